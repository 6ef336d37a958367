# GENERATED from the async source by scripts/unasync.py; do not edit.
"""Every storage class, in one import. Optional backends import their library on construction."""

from .._file._sync._file import FileStorage
from .._redis._sync._redis import RedisStorage
from .._s3._sync._s3 import S3Storage
from .._sqlite._sync._sqlite import SQLiteStorage
from ._base import BaseStorage
from ._memory import InMemoryStorage

__all__ = [
    "BaseStorage",
    "FileStorage",
    "InMemoryStorage",
    "RedisStorage",
    "S3Storage",
    "SQLiteStorage",
]
