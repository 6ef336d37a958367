# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The file storage, async (the source of ``_sync``)."""
