"""httpx2 drivers: ``hishel.httpx2.CacheClient`` and ``AsyncCacheClient``.

httpx2's client API is httpx's, so the httpx driver's request code drives it unchanged; only
the clients opened differ.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import anyio.from_thread

import hishel
from hishel.httpx2 import AsyncCacheClient, CacheClient
from tests.hosts.drivers._httpx import _AsyncClient, _SyncClient
from tests.hosts.drivers._protocol import Client, Driver, StorageSpec

__all__ = ["DRIVERS"]


@contextlib.contextmanager
def _open_sync(spec: StorageSpec, controller: hishel.Controller | None) -> Iterator[Client]:
    with CacheClient(storage=spec.sync(), controller=controller) as client:
        yield _SyncClient(client)  # type: ignore[arg-type]  # (httpx2's client, httpx's API)


@contextlib.contextmanager
def _open_async(spec: StorageSpec, controller: hishel.Controller | None) -> Iterator[Client]:
    async def build() -> Any:
        return AsyncCacheClient(storage=spec.async_(), controller=controller)

    with anyio.from_thread.start_blocking_portal() as portal:
        client = portal.call(build)
        try:
            yield _AsyncClient(portal, client)
        finally:
            portal.call(client.aclose)


DRIVERS: list[Driver] = [
    Driver(name="httpx2", is_async=False, library="httpx2", open=_open_sync),
    Driver(name="httpx2-async", is_async=True, library="httpx2", open=_open_async),
]
