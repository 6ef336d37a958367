"""httpcore2 drivers: ``hishel.httpcore2.CacheConnectionPool`` / ``AsyncCacheConnectionPool``
over httpcore2's connection pools.

httpcore2's pool API is httpcore's, so the httpcore driver's request code drives it
unchanged; only the pools opened differ. The body is as sent (no content decoding).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import anyio.from_thread
import httpcore2

import hishel
from hishel.httpcore2 import AsyncCacheConnectionPool, CacheConnectionPool
from tests.hosts.drivers._httpcore import _AsyncClient, _SyncClient
from tests.hosts.drivers._protocol import Client, Driver, StorageSpec

__all__ = ["DRIVERS"]


@contextlib.contextmanager
def _open_sync(spec: StorageSpec, controller: hishel.Controller | None) -> Iterator[Client]:
    pool = CacheConnectionPool(
        httpcore2.ConnectionPool(), storage=spec.sync(), controller=controller
    )
    with pool:
        yield _SyncClient(pool)  # type: ignore[arg-type]  # (httpcore2's pool, httpcore's API)


@contextlib.contextmanager
def _open_async(spec: StorageSpec, controller: hishel.Controller | None) -> Iterator[Client]:
    async def build() -> Any:
        return AsyncCacheConnectionPool(
            httpcore2.AsyncConnectionPool(), storage=spec.async_(), controller=controller
        )

    with anyio.from_thread.start_blocking_portal() as portal:
        pool = portal.call(build)
        try:
            yield _AsyncClient(portal, pool)
        finally:
            portal.call(pool.aclose)


DRIVERS: list[Driver] = [
    Driver(name="httpcore2", is_async=False, library="httpcore2", open=_open_sync),
    Driver(name="httpcore2-async", is_async=True, library="httpcore2", open=_open_async),
]
