"""Storages under test, built fresh for each case, with their remote calls counted.

``memory``, ``file`` (a temporary directory), ``sqlite`` (a database file in it, opened by
hishel from its path; hishel 0.1 is given a ``sqlite3`` connection), ``redis``
(127.0.0.1:6379, a unique namespace whose keys are deleted afterwards) and ``s3`` (moto's
``ThreadedMotoServer`` on 127.0.0.1, one bucket per case, emptied and deleted afterwards).
Redis commands (round trips) and S3 API calls are counted on the client.
"""

from __future__ import annotations

import hashlib
import inspect
import itertools
import logging
import os
import shutil
import socket
import sqlite3
import tempfile
import typing as t
from dataclasses import dataclass, field
from pathlib import Path

import httpcore

import hishel

STORAGES = ("memory", "file", "sqlite", "redis", "s3")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
AWS = {
    "region_name": "us-east-1",
    "aws_access_key_id": "testing",
    "aws_secret_access_key": "testing",
}
# hishel's own configuration: a database it opens by path (WAL, synchronous=NORMAL); hishel
# 0.1 takes only a connection (its default, rollback journal with synchronous=FULL).
SQLITE_BY_PATH = not hishel.__version__.startswith("0.1")
for _name in ("NO_PROXY", "no_proxy"):
    os.environ[_name] = "127.0.0.1,localhost"


class Counter:
    """Counts calls; registered as a botocore event handler or wrapped around a client."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, **kwargs: t.Any) -> None:
        self.calls += 1


@dataclass
class Backend:
    storage: t.Any
    counter: Counter | None = None
    counted: str = ""  # what the counter counts: "S3 calls", "Redis round trips"
    cleanup: list[t.Callable[[], t.Any]] = field(default_factory=list)
    sqlite: t.Any = None  # the SQLite connection, for a faster pre-fill


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Resources:
    """Temporary directory, moto server and unique names shared by the cases of one run."""

    def __init__(self, s3_endpoint: str | None = None) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="hishel-bench-"))
        self.run_id = os.urandom(4).hex()
        self._seq = itertools.count()
        self._moto: t.Any = None
        self._s3_endpoint = s3_endpoint

    def unique(self, prefix: str) -> str:
        return f"{prefix}-{self.run_id}-{next(self._seq)}"

    def s3_endpoint(self) -> str:
        if self._s3_endpoint is None:
            from moto.server import ThreadedMotoServer

            port = free_port()
            logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
            self._moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
            self._moto.start()
            self._s3_endpoint = f"http://127.0.0.1:{port}"
        return self._s3_endpoint

    def s3_client(self) -> t.Any:
        import boto3

        return boto3.client("s3", endpoint_url=self.s3_endpoint(), **AWS)

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self._moto is not None:
            self._moto.stop()


def _count_redis(client: t.Any, counter: Counter, asynchronous: bool) -> None:
    """Count each command and each pipeline execution: one round trip each."""
    execute, pipeline = client.execute_command, client.pipeline

    def wrap_pipe(pipe: t.Any) -> t.Any:
        run = pipe.execute
        if asynchronous:

            async def aexecute(*args: t.Any, **kwargs: t.Any) -> t.Any:
                counter()
                return await run(*args, **kwargs)

            pipe.execute = aexecute
        else:

            def sexecute(*args: t.Any, **kwargs: t.Any) -> t.Any:
                counter()
                return run(*args, **kwargs)

            pipe.execute = sexecute
        return pipe

    if asynchronous:

        async def acommand(*args: t.Any, **kwargs: t.Any) -> t.Any:
            counter()
            return await execute(*args, **kwargs)

        client.execute_command = acommand
    else:

        def scommand(*args: t.Any, **kwargs: t.Any) -> t.Any:
            counter()
            return execute(*args, **kwargs)

        client.execute_command = scommand
    client.pipeline = lambda *a, **k: wrap_pipe(pipeline(*a, **k))


def _redis_storage(cls: t.Any, client: t.Any, namespace: str) -> t.Any:
    if "namespace" in inspect.signature(cls).parameters:
        return cls(client=client, namespace=namespace)
    return cls(client=client)  # hishel 0.1 (peer): bare keys, removed by _forget_redis


def _drop_s3_bucket(client: t.Any, bucket: str) -> None:
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket):
        keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
        if keys:
            client.delete_objects(Bucket=bucket, Delete={"Objects": keys})
    client.delete_bucket(Bucket=bucket)


def _drop_redis(namespace: str, written: set[bytes]) -> None:
    import redis

    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
    keys = list(client.scan_iter(match=f"{namespace}:*", count=1000)) + list(written)
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])
    client.close()


def _record_keys(client: t.Any, written: set[bytes]) -> None:
    """For a storage without namespaces: remember every key it sets, to delete them."""
    setter = client.set

    def recording(name: t.Any, *args: t.Any, **kwargs: t.Any) -> t.Any:
        written.add(name if isinstance(name, bytes) else str(name).encode())
        return setter(name, *args, **kwargs)

    client.set = recording


def open_sync(name: str, res: Resources, capacity: int) -> Backend:
    if name == "memory":
        return Backend(hishel.InMemoryStorage(capacity=capacity))
    if name == "file":
        path = res.tmp / res.unique("file")
        return Backend(hishel.FileStorage(base_path=path), cleanup=[lambda: shutil.rmtree(path)])
    if name == "sqlite":
        path = res.tmp / (res.unique("sqlite") + ".db")
        if SQLITE_BY_PATH:
            storage = hishel.SQLiteStorage(connection=path)
            return Backend(storage, cleanup=[storage.close])
        connection = sqlite3.connect(path)
        storage = hishel.SQLiteStorage(connection=connection)
        return Backend(storage, cleanup=[connection.close], sqlite=connection)
    if name == "redis":
        import redis

        namespace, written = res.unique("hishel-bench"), set[bytes]()
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
        counter = Counter()
        _count_redis(client, counter, asynchronous=False)
        storage = _redis_storage(hishel.RedisStorage, client, namespace)
        if "namespace" not in inspect.signature(hishel.RedisStorage).parameters:
            _record_keys(client, written)
        cleanup = [client.close, lambda: _drop_redis(namespace, written)]
        return Backend(storage, counter, "Redis round trips", cleanup)
    if name == "s3":
        client, bucket = res.s3_client(), res.unique("bench")
        client.create_bucket(Bucket=bucket)
        counter = Counter()
        client.meta.events.register("before-call.s3", counter)
        cleanup = [lambda: _drop_s3_bucket(client, bucket)]
        return Backend(
            hishel.S3Storage(bucket_name=bucket, client=client), counter, "S3 calls", cleanup
        )
    raise ValueError(f"unknown storage {name!r}")


async def open_async(name: str, res: Resources, capacity: int) -> Backend:
    storage: t.Any
    if name == "memory":
        return Backend(hishel.AsyncInMemoryStorage(capacity=capacity))
    if name == "file":
        path = res.tmp / res.unique("file")
        storage = hishel.AsyncFileStorage(base_path=path)
        return Backend(storage, cleanup=[lambda: shutil.rmtree(path)])
    if name == "sqlite":
        import anysqlite

        path = res.tmp / (res.unique("sqlite") + ".db")
        if SQLITE_BY_PATH:
            storage = hishel.AsyncSQLiteStorage(connection=path)
            return Backend(storage, cleanup=[storage.aclose])
        connection = await anysqlite.connect(str(path))
        storage = hishel.AsyncSQLiteStorage(connection=connection)
        return Backend(storage, cleanup=[connection.close], sqlite=connection)
    if name == "redis":
        import redis.asyncio

        namespace, written = res.unique("hishel-bench"), set[bytes]()
        client = redis.asyncio.Redis(host=REDIS_HOST, port=REDIS_PORT)
        counter = Counter()
        _count_redis(client, counter, asynchronous=True)
        storage = _redis_storage(hishel.AsyncRedisStorage, client, namespace)
        if "namespace" not in inspect.signature(hishel.AsyncRedisStorage).parameters:
            _record_keys(client, written)
        cleanup: list[t.Callable[[], t.Any]] = [
            client.aclose,
            lambda: _drop_redis(namespace, written),
        ]
        return Backend(storage, counter, "Redis round trips", cleanup)
    if name == "s3":
        client, bucket = res.s3_client(), res.unique("bench")
        client.create_bucket(Bucket=bucket)
        counter = Counter()
        client.meta.events.register("before-call.s3", counter)
        storage = hishel.AsyncS3Storage(bucket_name=bucket, client=client)
        return Backend(storage, counter, "S3 calls", [lambda: _drop_s3_bucket(client, bucket)])
    raise ValueError(f"unknown storage {name!r}")


def close_sync(backend: Backend) -> None:
    for step in backend.cleanup:
        step()


async def close_async(backend: Backend) -> None:
    for step in backend.cleanup:
        result = step()
        if inspect.isawaitable(result):
            await result


# -- pre-filling (the hit10k case) ---------------------------------------------------------

FILL_BODY = bytes(range(256)) * 4  # 1 KiB


def _fill_entry(i: int) -> tuple[str, httpcore.Response, httpcore.Request]:
    key = hashlib.blake2b(f"fill-{i}".encode(), digest_size=16).hexdigest()
    headers = [(b"cache-control", b"max-age=3600"), (b"content-length", b"1024")]
    response = httpcore.Response(200, headers=headers, content=FILL_BODY)
    request = httpcore.Request("GET", f"http://origin.test/fill/{i}")
    return key, response, request


def prefill_sync(backend: Backend, count: int) -> None:
    """Store ``count`` 1 KiB entries through the storage API (SQLite: without fsync; the
    durability setting is restored before anything is timed)."""
    if backend.sqlite is not None:
        backend.sqlite.execute("PRAGMA synchronous=OFF")
    for i in range(count):
        key, response, request = _fill_entry(i)
        response.read()
        backend.storage.store(key, response, request)
    if backend.sqlite is not None:
        backend.sqlite.execute("PRAGMA synchronous=FULL")


async def aprefill(backend: Backend, count: int) -> None:
    if backend.sqlite is not None:
        await backend.sqlite.execute("PRAGMA synchronous=OFF")
    for i in range(count):
        key, response, request = _fill_entry(i)
        await response.aread()
        await backend.storage.store(key, response, request)
    if backend.sqlite is not None:
        await backend.sqlite.execute("PRAGMA synchronous=FULL")
