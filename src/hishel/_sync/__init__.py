# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The async sources; ``hishel._sync`` is generated from them by scripts/unasync.py."""
