# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The Redis storage, async (the source of ``_sync``)."""
