"""httpx drivers: ``hishel.CacheClient`` and ``hishel.AsyncCacheClient``."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

import anyio.from_thread
import httpx

import hishel
from tests.hosts.drivers._protocol import Answer, Client, Driver, StorageSpec, joined_headers

__all__ = ["DRIVERS"]


def _extensions(force_cache: bool, cache_disabled: bool) -> dict[str, Any]:
    extensions: dict[str, Any] = {}
    if force_cache:
        extensions["force_cache"] = True
    if cache_disabled:
        extensions["cache_disabled"] = True
    return extensions


def _answer(response: httpx.Response, body: bytes) -> Answer:
    return Answer(
        status=response.status_code,
        headers=joined_headers(response.headers.multi_items()),
        body=body,
        from_cache=bool(response.extensions.get("from_cache", False)),
        revalidated=bool(response.extensions.get("revalidated", False)),
        cache_status=response.extensions.get("cache_status"),
    )


class _SyncClient:
    def __init__(self, client: hishel.CacheClient) -> None:
        self._client = client

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        force_cache: bool = False,
        cache_disabled: bool = False,
        stream: bool = False,
    ) -> Answer:
        extensions = _extensions(force_cache, cache_disabled)
        if stream:
            with self._client.stream(
                method, url, headers=headers, content=body, extensions=extensions
            ) as response:
                return _answer(response, b"".join(response.iter_bytes(chunk_size=7)))
        response = self._client.request(
            method, url, headers=headers, content=body, extensions=extensions
        )
        return _answer(response, response.content)


class _AsyncClient:
    def __init__(
        self, portal: anyio.from_thread.BlockingPortal, client: hishel.AsyncCacheClient
    ) -> None:
        self._portal = portal
        self._client = client

    async def _request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        body: bytes | None,
        extensions: dict[str, Any],
        stream: bool,
    ) -> Answer:
        if stream:
            async with self._client.stream(
                method, url, headers=headers, content=body, extensions=extensions
            ) as response:
                chunks = [chunk async for chunk in response.aiter_bytes(chunk_size=7)]
                return _answer(response, b"".join(chunks))
        response = await self._client.request(
            method, url, headers=headers, content=body, extensions=extensions
        )
        return _answer(response, response.content)

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        force_cache: bool = False,
        cache_disabled: bool = False,
        stream: bool = False,
    ) -> Answer:
        extensions = _extensions(force_cache, cache_disabled)
        answer: Answer = self._portal.call(
            self._request, method, url, headers, body, extensions, stream
        )
        return answer


@contextlib.contextmanager
def _open_sync(spec: StorageSpec, controller: hishel.Controller | None) -> Iterator[Client]:
    with hishel.CacheClient(storage=spec.sync(), controller=controller) as client:
        yield _SyncClient(client)


@contextlib.contextmanager
def _open_async(spec: StorageSpec, controller: hishel.Controller | None) -> Iterator[Client]:
    async def build() -> hishel.AsyncCacheClient:
        return hishel.AsyncCacheClient(storage=spec.async_(), controller=controller)

    with anyio.from_thread.start_blocking_portal() as portal:
        client = portal.call(build)
        try:
            yield _AsyncClient(portal, client)
        finally:
            portal.call(client.aclose)


DRIVERS: list[Driver] = [
    Driver(name="httpx", is_async=False, library="httpx", open=_open_sync),
    Driver(name="httpx-async", is_async=True, library="httpx", open=_open_async),
]
