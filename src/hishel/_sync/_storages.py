# GENERATED from the async source by scripts/unasync.py; do not edit.
"""hishel 0.1's ``hishel._sync._storages`` import path."""

from .._storage._sync._storages import (
    BaseStorage,
    FileStorage,
    InMemoryStorage,
    RedisStorage,
    S3Storage,
    SQLiteStorage,
)

__all__ = [
    "BaseStorage",
    "FileStorage",
    "InMemoryStorage",
    "RedisStorage",
    "S3Storage",
    "SQLiteStorage",
]
