# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The SQLite storage, async (the source of ``_sync``)."""
