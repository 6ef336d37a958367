# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The S3 storage, async (the source of ``_sync``)."""
