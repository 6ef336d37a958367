"""The S3 store: the storage and its bounded client."""
