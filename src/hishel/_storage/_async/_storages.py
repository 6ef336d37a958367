"""Every storage class, in one import. Optional backends import their library on construction."""

from .._file._async._file import AsyncFileStorage
from .._redis._async._redis import AsyncRedisStorage
from .._s3._async._s3 import AsyncS3Storage
from .._sqlite._async._sqlite import AsyncSQLiteStorage
from ._base import AsyncBaseStorage
from ._memory import AsyncInMemoryStorage

__all__ = [
    "AsyncBaseStorage",
    "AsyncFileStorage",
    "AsyncInMemoryStorage",
    "AsyncRedisStorage",
    "AsyncS3Storage",
    "AsyncSQLiteStorage",
]
