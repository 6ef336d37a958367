"""hishel over httpcore2 (the continuation of httpcore): ``CacheConnectionPool`` and
``AsyncCacheConnectionPool``, the same as ``hishel``'s httpcore ones over httpcore2's pools
(or any httpcore2 request interface). Storages and the Controller are ``hishel``'s: a sync
pool takes the sync storages, an async one the ``Async*`` ones.

Needs the ``httpx2`` extra: ``pip install "hishel[httpx2]"``. The shells are generated from
the httpcore ones (``hishel._hosts._x2``, by ``scripts/unasync.py``).
"""

from __future__ import annotations

try:
    import httpcore2 as _httpcore2
except ImportError as exc:  # pragma: no cover - tested in a subprocess
    raise ImportError('hishel.httpcore2 needs httpcore2: pip install "hishel[httpx2]"') from exc

from .._hosts._x2._async._pool import AsyncCacheConnectionPool
from .._hosts._x2._sync._pool import CacheConnectionPool

del _httpcore2

__all__ = ["AsyncCacheConnectionPool", "CacheConnectionPool"]
