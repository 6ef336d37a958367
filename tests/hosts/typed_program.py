"""A typed user program that uses the public host modules; ``mypy --strict`` must pass.

Not a test module (pytest does not collect it): tests/hosts/test_typed_program.py
type-checks it. It reaches each host the way a user does: the host's cached client or pool,
a storage of the matching kind (sync for sync hosts, ``Async*`` for async ones), a
Controller, the request extensions (``force_cache``, ``cache_disabled``) and what the cache
reports back (``from_cache``, ``revalidated``, ``cache_status``, ``cache_metadata``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path

import httpcore
import httpcore2
import httpx
import httpx2
import requests

import hishel
import hishel.httpcore2
import hishel.httpx2
import hishel.requests

CONTROLLER = hishel.Controller(
    cacheable_methods=["GET", "POST"], allow_stale=True, stale_if_error=True, default_ttl=60
)


def report(extensions: Mapping[str, object]) -> str:
    """One line about how the cache answered, from a response's extensions."""
    metadata = extensions.get("cache_metadata")
    uses = metadata["number_of_uses"] if isinstance(metadata, dict) else 0
    return (
        f"from_cache={extensions['from_cache']!r} revalidated={extensions['revalidated']!r} "
        f"status={extensions.get('cache_status')!r} uses={uses}"
    )


# -- httpx --------------------------------------------------------------------------------------


def with_httpx(url: str, folder: Path) -> list[str]:
    storage: hishel.BaseStorage = hishel.FileStorage(base_path=folder, ttl=3600)
    lines: list[str] = []
    with hishel.CacheClient(storage=storage, controller=CONTROLLER, timeout=5.0) as client:
        response: httpx.Response = client.get(url, extensions={"force_cache": True})
        lines.append(report(response.extensions))
        with client.stream("GET", url, extensions={"cache_disabled": True}) as streamed:
            body = b"".join(streamed.iter_bytes())
        lines.append(f"{len(body)} bytes")
        stats: hishel.CacheStats = client.stats
        lines.append(f"hits={stats.hits} misses={stats.misses}")
    transport = hishel.CacheTransport(
        httpx.HTTPTransport(), storage=hishel.SQLiteStorage(connection=sqlite3.connect(":memory:"))
    )
    with httpx.Client(transport=transport) as plain:
        lines.append(report(plain.get(url).extensions))
    return lines


async def with_httpx_async(url: str) -> str:
    storage: hishel.AsyncBaseStorage = hishel.AsyncInMemoryStorage(capacity=64)
    async with hishel.AsyncCacheClient(storage=storage, controller=CONTROLLER) as client:
        response = await client.post(url, content=b"payload")
        async with client.stream("GET", url) as streamed:
            async for _chunk in streamed.aiter_bytes():
                pass
        return report(response.extensions)


# -- httpcore -----------------------------------------------------------------------------------


def with_httpcore(url: str) -> str:
    storage = hishel.InMemoryStorage(max_size=1 << 20)
    with hishel.CacheConnectionPool(httpcore.ConnectionPool(), storage, CONTROLLER) as pool:
        response: httpcore.Response = pool.request("GET", url, extensions={"force_cache": True})
        with pool.stream("GET", url) as streamed:
            size = sum(len(chunk) for chunk in streamed.iter_stream())
        return f"{report(response.extensions)} streamed={size}"


async def with_httpcore_async(url: str) -> str:
    async with hishel.AsyncCacheConnectionPool(
        httpcore.AsyncConnectionPool(),
        storage=hishel.AsyncFileStorage(base_path=".cache"),
        controller=hishel.Controller(cache_private=False),
    ) as pool:
        response = await pool.request("GET", url, extensions={"cache_disabled": True})
        return report(response.extensions)


# -- httpx2 and httpcore2 -----------------------------------------------------------------------


def with_httpx2(url: str) -> list[str]:
    lines: list[str] = []
    storage = hishel.RedisStorage(namespace="typed", ttl=600)
    with hishel.httpx2.CacheClient(storage=storage, controller=CONTROLLER) as client:
        response: httpx2.Response = client.get(url, extensions={"force_cache": True})
        lines.append(report(response.extensions))
    transport = hishel.httpx2.CacheTransport(httpx2.HTTPTransport(), storage=None)
    with httpx2.Client(transport=transport) as plain:
        lines.append(report(plain.get(url, extensions={"cache_disabled": True}).extensions))
    return lines


async def with_httpx2_async(url: str) -> str:
    async with hishel.httpx2.AsyncCacheClient(
        storage=hishel.AsyncS3Storage(bucket_name="cache", key_prefix="typed/"),
        controller=CONTROLLER,
    ) as client:
        async with client.stream("GET", url) as streamed:
            body = b"".join([chunk async for chunk in streamed.aiter_bytes()])
        transport = hishel.httpx2.AsyncCacheTransport(httpx2.AsyncHTTPTransport())
        async with httpx2.AsyncClient(transport=transport) as plain:
            await plain.get(url)
        return f"{report(streamed.extensions)} {len(body)} bytes"


def with_httpcore2(url: str) -> str:
    with hishel.httpcore2.CacheConnectionPool(
        httpcore2.ConnectionPool(), storage=hishel.SQLiteStorage(), controller=CONTROLLER
    ) as pool:
        response: httpcore2.Response = pool.request("GET", url)
        return report(response.extensions)


async def with_httpcore2_async(url: str) -> str:
    async with hishel.httpcore2.AsyncCacheConnectionPool(
        httpcore2.AsyncConnectionPool(), hishel.AsyncSQLiteStorage()
    ) as pool:
        async with pool.stream("GET", url, extensions={"force_cache": True}) as streamed:
            size = sum([len(chunk) async for chunk in streamed.aiter_stream()])
        return f"{report(streamed.extensions)} streamed={size}"


# -- requests -----------------------------------------------------------------------------------


def with_requests(url: str) -> list[str]:
    lines: list[str] = []
    storage: hishel.BaseStorage = hishel.FileStorage(base_path=".cache", signing_key="secret")
    with hishel.requests.CacheSession(storage=storage, controller=CONTROLLER) as session:
        response: hishel.requests.CacheResponse = session.get(url, force_cache=True, timeout=5)
        lines.append(f"{response.status_code} {len(response.content)}")
        metadata: hishel.Metadata | None = response.cache_metadata
        uses = metadata["number_of_uses"] if metadata is not None else 0
        lines.append(f"{response.from_cache} {response.revalidated} {response.cache_status} {uses}")
        posted = session.post(url, data=b"payload", cache_disabled=True)
        lines.append(str(posted.status_code))
        with session.get(url, stream=True) as streamed:
            lines.append(str(sum(len(chunk) for chunk in streamed.iter_content(1024))))
        lines.append(repr(session.storage) + repr(session.controller))
    adapter = hishel.requests.CacheAdapter(
        storage=hishel.RedisStorage(), controller=None, pool_connections=4, max_retries=2
    )
    with requests.Session() as plain:
        plain.mount("http://", adapter)
        lines.append(plain.get(url).text)
    return lines
