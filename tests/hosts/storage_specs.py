"""The five backing stores of the every-host suite, each as a ``StorageSpec``.

A spec names one place where entries live and opens it as a sync storage (``sync()``) or an
async one (``async_()``): memory keeps one shared ``InMemoryStorage`` and one shared
``AsyncInMemoryStorage`` (a process-local dict cannot be shared between the two), the others
open a new storage object over the same place on every call (the same folder, database file,
Redis namespace, S3 bucket and prefix), so whatever one host stored another host finds.
Redis and S3 reuse the storage tests' fixtures (tests/storage_fixtures.py): real Redis on
127.0.0.1:6379 with a namespace of the test's own, moto's S3 server with a prefix of its own,
both cleaned up after the test.
"""

from __future__ import annotations

import typing as t
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import hishel
from tests.clock import FakeClock
from tests.hosts.drivers import StorageSpec
from tests.storage_fixtures import S3_BUCKET

__all__ = ["ALL_STORAGES", "SHARED_PLACES", "make_spec"]

ALL_STORAGES = ["memory", "file", "sqlite", "redis", "s3"]
SHARED_PLACES = ["file", "sqlite", "redis", "s3"]  # one place, open from sync and async hosts


class MemorySpec:
    name = "memory"

    def __init__(self, clock: FakeClock) -> None:
        self._clock = clock
        self._sync: hishel.InMemoryStorage | None = None
        self._async: hishel.AsyncInMemoryStorage | None = None

    def sync(self) -> hishel.BaseStorage:
        if self._sync is None:
            self._sync = hishel.InMemoryStorage(clock=self._clock)
        return self._sync

    def async_(self) -> hishel.AsyncBaseStorage:
        if self._async is None:
            self._async = hishel.AsyncInMemoryStorage(clock=self._clock)
        return self._async


class FileSpec:
    name = "file"

    def __init__(self, base_path: Path, clock: FakeClock) -> None:
        self._base_path = base_path
        self._clock = clock

    def sync(self) -> hishel.BaseStorage:
        return hishel.FileStorage(base_path=self._base_path, clock=self._clock)

    def async_(self) -> hishel.AsyncBaseStorage:
        return hishel.AsyncFileStorage(base_path=self._base_path, clock=self._clock)


class SQLiteSpec:
    name = "sqlite"

    def __init__(self, database: Path, clock: FakeClock) -> None:
        self._database = database
        self._clock = clock

    def sync(self) -> hishel.BaseStorage:
        return hishel.SQLiteStorage(connection=self._database, clock=self._clock)

    def async_(self) -> hishel.AsyncBaseStorage:
        return hishel.AsyncSQLiteStorage(connection=self._database, clock=self._clock)


class RedisSpec:
    """Redis on 127.0.0.1:6379 under one namespace. The clients it makes stay the caller's
    (the storages call through private clients of their own): ``close()`` closes the sync
    ones; an async client that was handed over never connects."""

    name = "redis"

    def __init__(self, namespace: str, clock: FakeClock) -> None:
        self._namespace = namespace
        self._clock = clock
        self._clients: list[t.Any] = []

    def sync(self) -> hishel.BaseStorage:
        import redis

        client = redis.Redis(host="127.0.0.1", port=6379)
        self._clients.append(client)
        return hishel.RedisStorage(client=client, namespace=self._namespace, clock=self._clock)

    def async_(self) -> hishel.AsyncBaseStorage:
        import redis.asyncio

        client = redis.asyncio.Redis(host="127.0.0.1", port=6379)
        return hishel.AsyncRedisStorage(client=client, namespace=self._namespace, clock=self._clock)

    def close(self) -> None:
        for client in self._clients:
            client.close()


class S3Spec:
    name = "s3"

    def __init__(self, client: t.Any, prefix: str, clock: FakeClock) -> None:
        self._client = client
        self._prefix = prefix
        self._clock = clock

    def sync(self) -> hishel.BaseStorage:
        return hishel.S3Storage(
            bucket_name=S3_BUCKET, client=self._client, key_prefix=self._prefix, clock=self._clock
        )

    def async_(self) -> hishel.AsyncBaseStorage:
        return hishel.AsyncS3Storage(
            bucket_name=S3_BUCKET, client=self._client, key_prefix=self._prefix, clock=self._clock
        )


@pytest.fixture
def make_spec(
    request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock
) -> Iterator[Callable[[str], StorageSpec]]:
    """``make_spec(name)``: the spec of one backing store for this test (its own folder,
    database, namespace or prefix), built on first use and cleaned up at teardown."""
    redis_specs: list[RedisSpec] = []

    def make(name: str) -> StorageSpec:
        if name == "memory":
            return MemorySpec(clock)
        if name == "file":
            return FileSpec(tmp_path / "cache", clock)
        if name == "sqlite":
            return SQLiteSpec(tmp_path / "cache.db", clock)
        if name == "redis":
            request.getfixturevalue("redis_client")  # fails clearly when no server runs
            spec = RedisSpec(request.getfixturevalue("redis_namespace"), clock)
            redis_specs.append(spec)
            return spec
        if name == "s3":
            client = request.getfixturevalue("s3_client")
            return S3Spec(client, request.getfixturevalue("s3_prefix"), clock)
        raise ValueError(f"unknown storage {name!r}")

    yield make
    for spec in redis_specs:
        spec.close()
