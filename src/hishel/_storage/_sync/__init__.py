# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The storage base classes over the backend interface, async (source of ``_sync``)."""
