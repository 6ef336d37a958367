# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The flow and its storage side, async (the source of ``hishel._core._sync``)."""
