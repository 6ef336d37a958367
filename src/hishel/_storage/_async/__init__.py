"""The storage base classes over the backend interface, async (source of ``_sync``)."""
