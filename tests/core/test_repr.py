"""``repr()`` shows what an object is and where it keeps entries, never a secret; the
transports, pools and clients expose their storage and controller read-only."""

from __future__ import annotations

import sqlite3
import typing as t
from datetime import timedelta
from pathlib import Path

import anysqlite
import httpcore
import httpx
import pytest
import redis

import hishel
from tests.clock import FakeClock
from tests.storage_fixtures import S3_BUCKET

SECRET = "s3cr3t-signing-key"


@pytest.mark.parametrize("cls", [hishel.FileStorage, hishel.AsyncFileStorage])
def test_file_storage_shows_its_absolute_path_and_non_default_options(
    cls: t.Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert repr(cls()) == f"{cls.__name__}(base_path={str(tmp_path / '.hishel_cache')!r})"
    storage = cls(base_path="cache", ttl=60, max_size=1000, check_ttl_every=5, signing_key=SECRET)
    assert repr(storage) == (
        f"{cls.__name__}(base_path={str(tmp_path / 'cache')!r}, check_ttl_every=5, ttl=60, "
        "max_size=1000, signing_key=<set>)"
    )


@pytest.mark.parametrize("cls", [hishel.InMemoryStorage, hishel.AsyncInMemoryStorage])
def test_memory_storage_shows_only_what_differs_from_the_defaults(cls: t.Any) -> None:
    assert repr(cls()) == f"{cls.__name__}()"
    storage = cls(capacity=5, ttl=1.5, serializer=hishel.PickleSerializer(), clock=FakeClock())
    assert repr(storage) == (
        f"{cls.__name__}(capacity=5, serializer=PickleSerializer(), ttl=1.5, clock=<FakeClock>)"
    )


@pytest.mark.parametrize("cls", [hishel.SQLiteStorage, hishel.AsyncSQLiteStorage])
def test_sqlite_storage_shows_its_database_and_table(
    cls: t.Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    name = cls.__name__
    assert repr(cls()) == f"{name}(database=':memory:', table_name='cache')"
    storage = cls(connection="cache.db", table_name="entries", create_table=False)
    database = str(tmp_path / "cache.db")
    assert repr(storage) == (
        f"{name}(database={database!r}, table_name='entries', create_table=False)"
    )


def test_sqlite_storage_over_a_given_connection_names_its_file(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "given.db")
    storage = hishel.SQLiteStorage(connection=connection)
    assert repr(storage) == (
        f"SQLiteStorage(database={str(tmp_path / 'given.db')!r}, table_name='cache')"
    )
    connection.close()


@pytest.mark.anyio
async def test_async_sqlite_storage_over_a_given_connection_names_its_file(
    tmp_path: Path,
) -> None:
    connection = await anysqlite.connect(tmp_path / "given.db")
    storage = hishel.AsyncSQLiteStorage(connection=connection)
    assert str(tmp_path / "given.db") in repr(storage)
    await connection.close()


@pytest.mark.parametrize("cls", [hishel.RedisStorage, hishel.AsyncRedisStorage])
def test_redis_storage_shows_where_it_connects_without_credentials(cls: t.Any) -> None:
    name = cls.__name__
    default = cls()
    assert repr(default) == f"{name}(client=<Redis redis://localhost:6379/0>, namespace='hishel')"
    module = redis if cls is hishel.RedisStorage else redis.asyncio
    client = module.Redis.from_url("rediss://alice:pa55word@127.0.0.1:6380/3")
    storage = cls(client=client, namespace="app", timeout=None, signing_key=SECRET)
    shown = repr(storage)
    assert shown == (
        f"{name}(client=<Redis rediss://127.0.0.1:6380/3>, namespace='app', timeout=None, "
        "signing_key=<set>)"
    )
    assert "pa55word" not in shown and "alice" not in shown and SECRET not in shown


@pytest.mark.parametrize("cls", [hishel.S3Storage, hishel.AsyncS3Storage])
def test_s3_storage_shows_its_bucket_and_prefix(cls: t.Any, s3_client: t.Any) -> None:
    storage = cls(bucket_name=S3_BUCKET, client=s3_client)
    assert repr(storage) == f"{cls.__name__}(bucket_name={S3_BUCKET!r}, key_prefix='hishel/')"
    storage = cls(bucket_name=S3_BUCKET, client=s3_client, path_prefix="p/", timeout=2.5)
    assert repr(storage) == (
        f"{cls.__name__}(bucket_name={S3_BUCKET!r}, key_prefix='p/', timeout=2.5)"
    )


def test_a_user_storage_gets_a_repr_even_without_calling_the_base_constructor() -> None:
    class MyStorage(hishel.BaseStorage):
        def __init__(self) -> None:
            pass

    class Signed(hishel.AsyncBaseStorage):
        pass

    assert repr(MyStorage()) == "MyStorage()"
    assert repr(Signed(signing_key=SECRET, ttl=10)) == "Signed(ttl=10, signing_key=<set>)"


def test_controller_shows_its_non_default_options() -> None:
    assert repr(hishel.Controller()) == "Controller()"

    def my_key(request: httpcore.Request, body: bytes) -> str:
        return "k"

    controller = hishel.Controller(
        cacheable_methods=["post", "GET"],
        cacheable_status_codes=[301, 200],
        cache_private=False,
        allow_stale=True,
        key_generator=my_key,
        default_ttl=60,
        ttl_rules={"https://api/*": 30.5, "*/private/*": hishel.DO_NOT_CACHE},
        sensitive_headers=["X-Api-Key"],
        ignored_parameters=["utm_source"],
    )
    assert repr(controller) == (
        "Controller(cacheable_methods=['GET', 'POST'], cacheable_status_codes=[200, 301], "
        "cache_private=False, allow_stale=True, default_ttl=60, "
        "ttl_rules={'https://api/*': 30.5, '*/private/*': hishel.DO_NOT_CACHE}, "
        "sensitive_headers=('x-api-key',), ignored_parameters=('utm_source',), "
        "key_generator=<test_controller_shows_its_non_default_options.<locals>.my_key>)"
    )


def test_transports_and_pools_show_and_expose_their_storage_and_controller() -> None:
    storage = hishel.InMemoryStorage()
    controller = hishel.Controller(force_cache=True)
    transport = hishel.CacheTransport(httpx.HTTPTransport(), storage, controller)
    assert transport.storage is storage and transport.controller is controller
    assert repr(transport) == (
        "CacheTransport(wraps=<HTTPTransport>, storage=InMemoryStorage(), "
        "controller=Controller(force_cache=True))"
    )
    pool = hishel.AsyncCacheConnectionPool(
        httpcore.AsyncConnectionPool(), storage=hishel.AsyncInMemoryStorage(capacity=3)
    )
    assert isinstance(pool.storage, hishel.AsyncInMemoryStorage)
    assert repr(pool.controller) == "Controller()"
    assert repr(pool) == (
        "AsyncCacheConnectionPool(wraps=<AsyncConnectionPool>, "
        "storage=AsyncInMemoryStorage(capacity=3))"
    )
    with pytest.raises(AttributeError):
        transport.storage = hishel.InMemoryStorage()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        pool.controller = hishel.Controller()  # type: ignore[misc]


@pytest.mark.parametrize("cls", [hishel.CacheClient, hishel.AsyncCacheClient])
def test_a_client_shows_and_exposes_the_storage_of_its_default_transport(
    cls: t.Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    client = cls()
    storage_class = "FileStorage" if cls is hishel.CacheClient else "AsyncFileStorage"
    path = str(tmp_path / ".hishel_cache")
    assert repr(client) == f"{cls.__name__}(storage={storage_class}(base_path={path!r}))"
    assert type(client.storage).__name__ == storage_class
    assert repr(client.controller) == "Controller()"

    memory = (
        hishel.InMemoryStorage if cls is hishel.CacheClient else hishel.AsyncInMemoryStorage
    )()
    controller = hishel.Controller(allow_heuristics=True)
    client = cls(storage=memory, controller=controller)
    assert client.storage is memory and client.controller is controller
    assert repr(client) == (
        f"{cls.__name__}(storage={type(memory).__name__}(), "
        "controller=Controller(allow_heuristics=True))"
    )


def test_mocks_show_how_many_responses_are_queued() -> None:
    mock = hishel.MockTransport()
    mock.add_responses([httpx.Response(200), httpx.Response(404)])
    assert repr(mock) == "MockTransport(queued=2)"
    assert repr(hishel.MockAsyncConnectionPool()) == "MockAsyncConnectionPool(queued=0)"


def test_a_redis_cluster_storage_shows_its_nodes(
    redis_cluster_client: t.Any, redis_cluster_address: tuple[str, int]
) -> None:
    storage = hishel.RedisStorage(client=redis_cluster_client, namespace="ns")
    host, port = redis_cluster_address
    shown = repr(storage)
    assert shown.startswith("RedisStorage(client=<RedisCluster redis-cluster://")
    assert f"{host}:{port}" in shown and shown.endswith(", namespace='ns')")


def test_subclasses_with_attributes_of_their_own_still_have_a_repr() -> None:
    class OldStyle(hishel.BaseStorage):
        def __init__(self) -> None:
            self._ttl = timedelta(hours=1)  # set by hand, as some 0.1 subclasses did

    class Bare(hishel.Controller):
        def __init__(self) -> None:
            pass

    assert repr(OldStyle()) == "OldStyle(ttl=datetime.timedelta(seconds=3600))"
    assert repr(Bare()) == "Bare()"
