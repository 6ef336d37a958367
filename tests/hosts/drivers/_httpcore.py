"""httpcore drivers: ``hishel.CacheConnectionPool`` / ``AsyncCacheConnectionPool`` over
httpcore's connection pools. httpcore does not decode content codings: ``Answer.body`` is
the body as sent (a gzip body stays gzip)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import Any

import anyio.from_thread
import httpcore

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


def _answer(response: httpcore.Response, body: bytes) -> Answer:
    return Answer(
        status=response.status,
        headers=joined_headers(response.headers),
        body=body,
        from_cache=bool(response.extensions.get("from_cache", False)),
        revalidated=bool(response.extensions.get("revalidated", False)),
        cache_status=response.extensions.get("cache_status"),
    )


class _SyncClient:
    def __init__(self, pool: hishel.CacheConnectionPool) -> None:
        self._pool = pool

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
        fields = list((headers or {}).items())
        if stream:
            with self._pool.stream(
                method, url, headers=fields, content=body, extensions=extensions
            ) as response:
                return _answer(response, b"".join(response.iter_stream()))
        response = self._pool.request(
            method, url, headers=fields, content=body, extensions=extensions
        )
        return _answer(response, response.content)


class _AsyncClient:
    def __init__(
        self, portal: anyio.from_thread.BlockingPortal, pool: hishel.AsyncCacheConnectionPool
    ) -> None:
        self._portal = portal
        self._pool = pool

    async def _request(
        self,
        method: str,
        url: str,
        fields: list[tuple[str, str]],
        body: bytes | None,
        extensions: dict[str, Any],
        stream: bool,
    ) -> Answer:
        if stream:
            async with self._pool.stream(
                method, url, headers=fields, content=body, extensions=extensions
            ) as response:
                chunks = [chunk async for chunk in response.aiter_stream()]
                return _answer(response, b"".join(chunks))
        response = await self._pool.request(
            method, url, headers=fields, content=body, extensions=extensions
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
        fields = list((headers or {}).items())
        answer: Answer = self._portal.call(
            self._request, method, url, fields, body, extensions, stream
        )
        return answer


@contextlib.contextmanager
def _open_sync(spec: StorageSpec, controller: hishel.Controller | None) -> Iterator[Client]:
    pool = hishel.CacheConnectionPool(
        httpcore.ConnectionPool(), storage=spec.sync(), controller=controller
    )
    with pool:
        yield _SyncClient(pool)


@contextlib.contextmanager
def _open_async(spec: StorageSpec, controller: hishel.Controller | None) -> Iterator[Client]:
    async def build() -> hishel.AsyncCacheConnectionPool:
        return hishel.AsyncCacheConnectionPool(
            httpcore.AsyncConnectionPool(), storage=spec.async_(), controller=controller
        )

    with anyio.from_thread.start_blocking_portal() as portal:
        pool = portal.call(build)
        try:
            yield _AsyncClient(portal, pool)
        finally:
            portal.call(pool.aclose)


DRIVERS: list[Driver] = [
    Driver(name="httpcore", is_async=False, library="httpcore", open=_open_sync),
    Driver(name="httpcore-async", is_async=True, library="httpcore", open=_open_async),
]
