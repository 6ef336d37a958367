"""The S3 storage, async (the source of ``_sync``)."""
