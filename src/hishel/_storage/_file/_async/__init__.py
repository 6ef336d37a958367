"""The file storage, async (the source of ``_sync``)."""
