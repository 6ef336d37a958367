"""The SQLite storage, async (the source of ``_sync``)."""
