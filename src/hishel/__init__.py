"""hishel: an HTTP cache for httpx and httpcore that follows RFC 9111."""

from __future__ import annotations

from . import _async as _async  # 0.1's import loaded these modules
from . import _controller as _controller
from . import _exceptions as _exceptions
from . import _headers as _headers
from . import _lfu_cache as _lfu_cache
from . import _serializers as _serializers
from . import _sync as _sync
from . import _synchronization as _synchronization
from . import _utils as _utils
from ._core import _logging
from ._core._lfu import LFUCache
from ._core._status import CacheStats
from ._core._ttl_rules import DO_NOT_CACHE
from ._exceptions import CacheControlError, ParseError, ValidationError
from ._headers import CacheControl, Vary
from ._hosts._async._client import AsyncCacheClient
from ._hosts._async._mock import MockAsyncConnectionPool, MockAsyncTransport
from ._hosts._async._pool import AsyncCacheConnectionPool
from ._hosts._async._transports import AsyncCacheTransport
from ._hosts._controller import HEURISTICALLY_CACHEABLE_STATUS_CODES, Controller
from ._hosts._install import install_cache, uninstall_cache
from ._hosts._sync._client import CacheClient
from ._hosts._sync._mock import MockConnectionPool, MockTransport
from ._hosts._sync._pool import CacheConnectionPool
from ._hosts._sync._transports import CacheTransport
from ._storage._async._storages import (
    AsyncBaseStorage,
    AsyncFileStorage,
    AsyncInMemoryStorage,
    AsyncRedisStorage,
    AsyncS3Storage,
    AsyncSQLiteStorage,
)
from ._storage._management import EntryInfo, StorageStats
from ._storage._serializers import (
    BaseSerializer,
    JSONSerializer,
    Metadata,
    PickleSerializer,
    YAMLSerializer,
    clone_model,
)
from ._storage._sync._storages import (
    BaseStorage,
    FileStorage,
    InMemoryStorage,
    RedisStorage,
    S3Storage,
    SQLiteStorage,
)

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
