"""The Redis store: the storage, its client handling and its bounded calls."""
