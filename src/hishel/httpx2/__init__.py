"""hishel over httpx2 (the continuation of HTTPX): ``CacheClient``, ``AsyncCacheClient``,
``CacheTransport`` and ``AsyncCacheTransport``, the same as ``hishel``'s httpx ones over httpx2's
clients and transports (arguments, defaults, extensions). Storages and the Controller are
``hishel``'s: a sync client takes the sync storages, an async one the ``Async*`` ones.

Needs the ``httpx2`` extra: ``pip install "hishel[httpx2]"``. The shells are generated from
the httpx ones (``hishel._hosts._x2``, by ``scripts/unasync.py``).
"""

from __future__ import annotations

try:
    import httpcore2 as _httpcore2
    import httpx2 as _httpx2
except ImportError as exc:  # pragma: no cover - tested in a subprocess
    raise ImportError(
        'hishel.httpx2 needs httpx2 and httpcore2: pip install "hishel[httpx2]"'
    ) from exc

from .._hosts._x2._async._client import AsyncCacheClient
from .._hosts._x2._async._transports import AsyncCacheTransport
from .._hosts._x2._sync._client import CacheClient
from .._hosts._x2._sync._transports import CacheTransport

del _httpcore2, _httpx2

__all__ = ["AsyncCacheClient", "AsyncCacheTransport", "CacheClient", "CacheTransport"]
