"""``install_cache()``: make every httpx client in the process a caching one."""

from __future__ import annotations

import httpx

from ._async._client import AsyncCacheClient
from ._sync._client import CacheClient

__all__ = ["install_cache"]


def install_cache() -> None:
    """Replace ``httpx.Client`` and ``httpx.AsyncClient`` with the caching clients."""
    httpx.AsyncClient = AsyncCacheClient  # type: ignore[misc]
    httpx.Client = CacheClient  # type: ignore[misc]
