"""The Redis storage, async (the source of ``_sync``)."""
