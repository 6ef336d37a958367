# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The async shells (the source of ``hishel._hosts._sync``)."""
