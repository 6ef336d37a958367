"""A typed user program that uses every public name of hishel; ``mypy --strict`` must pass.

Not a test module (pytest does not collect it): ``tests/test_typed_program.py`` type-checks
it. It is written the way a user of hishel 0.1 writes code, with the added names too.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta, timezone

import httpcore
import httpx
import redis

import hishel
from hishel._utils import generate_key


class MyClock:
    def now(self) -> float:
        return 1_700_000_000.0


class MyStorage(hishel.BaseStorage):
    """A user storage in the 0.1 way: only the public methods overridden."""

    def store(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: hishel.Metadata | None = None,
    ) -> None:
        return None

    def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, hishel.Metadata] | None:
        return None


class MySerializer(hishel.BaseSerializer):
    def dumps(
        self, response: httpcore.Response, request: httpcore.Request, metadata: hishel.Metadata
    ) -> str | bytes:
        return hishel.JSONSerializer().dumps(response, request, metadata)

    def loads(
        self, data: str | bytes
    ) -> tuple[httpcore.Response, httpcore.Request, hishel.Metadata]:
        return hishel.JSONSerializer().loads(data)

    @property
    def is_binary(self) -> bool:
        return False


def my_key(request: httpcore.Request, body: bytes) -> str:
    return "custom-" + generate_key(request, body)


def controller() -> hishel.Controller:
    return hishel.Controller(
        cacheable_methods=("GET", "POST", "QUERY"),
        cacheable_status_codes=[*hishel.HEURISTICALLY_CACHEABLE_STATUS_CODES, 200],
        cache_private=False,
        allow_heuristics=True,
        clock=MyClock(),
        allow_stale=True,
        always_revalidate=False,
        force_cache=False,
        key_generator=my_key,
        default_ttl=timedelta(minutes=5),
        ttl_rules={
            "https://api.example.com/*": 60,
            "https://example.com/live/*": hishel.DO_NOT_CACHE,
        },
        cache_status_header=True,
    )


def sync_storages() -> list[hishel.BaseStorage]:
    return [
        hishel.FileStorage(base_path=".cache/hishel", ttl=3600, serializer=hishel.YAMLSerializer()),
        hishel.InMemoryStorage(capacity=64, serializer=hishel.PickleSerializer()),
        hishel.SQLiteStorage(connection=sqlite3.connect(":memory:"), table_name="cache"),
        hishel.RedisStorage(client=redis.Redis(host="127.0.0.1"), namespace="app", ttl=60),
        hishel.S3Storage(bucket_name="bucket", key_prefix="cache/"),
        MyStorage(serializer=MySerializer()),
    ]


def async_storages() -> list[hishel.AsyncBaseStorage]:
    return [
        hishel.AsyncFileStorage(base_path=".cache/hishel"),
        hishel.AsyncInMemoryStorage(capacity=64),
        hishel.AsyncSQLiteStorage(),
        hishel.AsyncRedisStorage(namespace="app"),
        hishel.AsyncS3Storage(bucket_name="bucket"),
    ]


def sync_program() -> bytes:
    with hishel.MockTransport() as mock:
        mock.add_responses([httpx.Response(200, content=b"hello")])
        transport = hishel.CacheTransport(mock, storage=hishel.InMemoryStorage())
        with hishel.CacheClient(
            transport=transport,
            controller=controller(),
            follow_redirects=True,
            timeout=httpx.Timeout(5.0),
            headers={"User-Agent": "typed"},
            mounts={"http://internal": httpx.HTTPTransport()},
        ) as client:
            response = client.get("https://hishel.com", extensions={"force_cache": True})
            from_cache: bool = response.extensions["from_cache"]
            metadata: hishel.Metadata | None = response.extensions.get("cache_metadata")
            if metadata is not None:
                age = datetime.now() - metadata["created_at"].replace(tzinfo=None)
                print(age, metadata["number_of_uses"], metadata["cache_key"], from_cache)
    with hishel.MockConnectionPool() as pool:
        pool.add_responses([httpcore.Response(200, content=b"hi")])
        with hishel.CacheConnectionPool(pool, storage=hishel.InMemoryStorage()) as cached:
            core = cached.request("GET", "https://hishel.com/")
            copy: httpcore.Response = hishel.clone_model(core)
            request_copy: httpcore.Request = hishel.clone_model(httpcore.Request("GET", "/"))
            print(copy.status, request_copy.method)
    return response.content


async def async_program() -> bytes:
    async with hishel.MockAsyncTransport() as mock:
        mock.add_responses([httpx.Response(200, content=b"hello")])
        transport = hishel.AsyncCacheTransport(mock, storage=hishel.AsyncInMemoryStorage())
        async with hishel.AsyncCacheClient(transport=transport, base_url="https://a") as client:
            response = await client.get("/")
    async with hishel.MockAsyncConnectionPool() as pool:
        pool.add_responses([httpcore.Response(200)])
        async with hishel.AsyncCacheConnectionPool(pool) as cached:
            await cached.request("GET", "https://hishel.com/")
    return response.content


def headers_and_errors() -> None:
    cache_control: hishel.CacheControl = hishel.CacheControl(max_age=60, public=True)
    vary = hishel.Vary.from_value(["Accept, Accept-Encoding"])
    try:
        raise hishel.ParseError("The directive should not be left blank.")
    except hishel.CacheControlError as error:
        print(error, cache_control, vary)
    try:
        raise hishel.ValidationError("The directive 'max_age' necessitates a value.")
    except (hishel.ValidationError, ValueError) as error:
        print(error)


def counters(client: hishel.CacheClient) -> int:
    stats: hishel.CacheStats = client.stats
    return stats.hits + stats.misses + stats.revalidated + stats.stored + stats.errors


def lfu() -> list[str]:
    cache: hishel.LFUCache[str, int] = hishel.LFUCache(capacity=2)
    cache.put("a", 1)
    value: int = cache.get("a")
    print(value, cache.min_freq, cache.capacity)
    cache.remove_key("a")
    return list(cache)


def manage(storage: hishel.BaseStorage) -> int:
    infos: list[hishel.EntryInfo] = list(storage.entries())
    for info in infos:
        fresh = info.fresh_until is not None and info.fresh_until > datetime.now(timezone.utc)
        print(info.key, info.method, info.url, info.status, info.size, info.uses, fresh)
        print(info.created_at, info.last_used_at, info.expires_at)
    stats: hishel.StorageStats = storage.stats()
    print(stats.entries, stats.bytes)
    removed = storage.purge(url="https://hishel.com/", older_than=timedelta(days=1))
    removed += storage.purge(pattern="https://*.hishel.com/*", expired=True, stale=True)
    return removed + storage.clear()


async def amanage(storage: hishel.AsyncBaseStorage) -> int:
    urls = [info.url async for info in storage.entries()]
    stats: hishel.StorageStats = await storage.stats()
    print(urls, stats)
    return await storage.purge(older_than=3600) + await storage.clear()


def main() -> None:
    logging.getLogger("hishel.controller").setLevel(logging.DEBUG)
    hishel.install_cache(storage=hishel.InMemoryStorage(), controller=hishel.Controller())
    hishel.uninstall_cache()
    hishel.install_cache()
    version: str = hishel.__version__
    print(version, sync_storages, async_storages, sync_program, async_program, lfu)
    print(manage, amanage)
    headers_and_errors()
