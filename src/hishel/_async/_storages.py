"""hishel 0.1's ``hishel._async._storages`` import path."""

from .._storage._async._storages import (
    AsyncBaseStorage,
    AsyncFileStorage,
    AsyncInMemoryStorage,
    AsyncRedisStorage,
    AsyncS3Storage,
    AsyncSQLiteStorage,
)

__all__ = [
    "AsyncBaseStorage",
    "AsyncFileStorage",
    "AsyncInMemoryStorage",
    "AsyncRedisStorage",
    "AsyncS3Storage",
    "AsyncSQLiteStorage",
]
