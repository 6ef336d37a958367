"""The storages: where entries live. Optional backends import their library on construction."""

from ._base import AsyncBaseStorage
from ._file import AsyncFileStorage
from ._memory import AsyncInMemoryStorage
from ._redis import AsyncRedisStorage
from ._s3 import AsyncS3Storage
from ._sqlite import AsyncSQLiteStorage

__all__ = [
    "AsyncBaseStorage",
    "AsyncFileStorage",
    "AsyncInMemoryStorage",
    "AsyncRedisStorage",
    "AsyncS3Storage",
    "AsyncSQLiteStorage",
]
