"""hishel: an HTTP cache for httpx and httpcore that follows RFC 9111."""

from __future__ import annotations

from . import _lfu_cache as _lfu_cache  # 0.1's import loaded _lfu_cache, _synchronization, _utils
from . import _logging
from . import _synchronization as _synchronization
from . import _utils as _utils
from ._async._client import AsyncCacheClient
from ._async._mock import MockAsyncConnectionPool, MockAsyncTransport
from ._async._pool import AsyncCacheConnectionPool
from ._async._storages import (
    AsyncBaseStorage,
    AsyncFileStorage,
    AsyncInMemoryStorage,
    AsyncRedisStorage,
    AsyncS3Storage,
    AsyncSQLiteStorage,
)
from ._async._transports import AsyncCacheTransport
from ._controller import HEURISTICALLY_CACHEABLE_STATUS_CODES, Controller
from ._exceptions import CacheControlError, ParseError, ValidationError
from ._headers import CacheControl, Vary
from ._install import install_cache, uninstall_cache
from ._lfu import LFUCache
from ._management import EntryInfo, StorageStats
from ._serializers import (
    BaseSerializer,
    JSONSerializer,
    Metadata,
    PickleSerializer,
    YAMLSerializer,
    clone_model,
)
from ._status import CacheStats
from ._sync._client import CacheClient
from ._sync._mock import MockConnectionPool, MockTransport
from ._sync._pool import CacheConnectionPool
from ._sync._storages import (
    BaseStorage,
    FileStorage,
    InMemoryStorage,
    RedisStorage,
    S3Storage,
    SQLiteStorage,
)
from ._sync._transports import CacheTransport
from ._ttl_rules import DO_NOT_CACHE

_logging.install()  # 0.1's "hishel.controller" logger shows the decision lines

__version__ = "0.2.0"

__all__ = [
    "DO_NOT_CACHE",
    "HEURISTICALLY_CACHEABLE_STATUS_CODES",
    "AsyncBaseStorage",
    "AsyncCacheClient",
    "AsyncCacheConnectionPool",
    "AsyncCacheTransport",
    "AsyncFileStorage",
    "AsyncInMemoryStorage",
    "AsyncRedisStorage",
    "AsyncS3Storage",
    "AsyncSQLiteStorage",
    "BaseSerializer",
    "BaseStorage",
    "CacheClient",
    "CacheConnectionPool",
    "CacheControl",
    "CacheControlError",
    "CacheStats",
    "CacheTransport",
    "Controller",
    "EntryInfo",
    "FileStorage",
    "InMemoryStorage",
    "JSONSerializer",
    "LFUCache",
    "Metadata",
    "MockAsyncConnectionPool",
    "MockAsyncTransport",
    "MockConnectionPool",
    "MockTransport",
    "ParseError",
    "PickleSerializer",
    "RedisStorage",
    "S3Storage",
    "SQLiteStorage",
    "StorageStats",
    "ValidationError",
    "Vary",
    "YAMLSerializer",
    "clone_model",
    "install_cache",
    "uninstall_cache",
]
