# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The storages: where entries live. Optional backends import their library on construction."""

from ._base import BaseStorage
from ._file import FileStorage
from ._memory import InMemoryStorage
from ._redis import RedisStorage
from ._s3 import S3Storage
from ._sqlite import SQLiteStorage

__all__ = [
    "BaseStorage",
    "FileStorage",
    "InMemoryStorage",
    "RedisStorage",
    "S3Storage",
    "SQLiteStorage",
]
