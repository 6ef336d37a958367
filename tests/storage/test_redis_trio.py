"""AsyncRedisStorage under trio: redis.asyncio needs asyncio, so under trio
the storage sends its commands through a sync twin of the client it was given, in a bounded
set of worker threads. The contract suite runs every Redis case under trio; these check the
twin itself, the bound on threads, secrets in logs, and a clean exit of a trio program."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import threading
import time
import typing as t

import anyio
import pytest
import redis
import redis.asyncio
import redis.asyncio.cluster
import redis.cluster

import hishel
from hishel._core._concurrency import AsyncWorkerThreads
from hishel._storage._redis._async._client import sync_twin
from tests.origin import Origin
from tests.storage_fixtures import _free_port


def pool_settings(client: redis.Redis) -> dict[str, t.Any]:
    return dict(client.connection_pool.connection_kwargs)


def test_the_twin_keeps_host_db_credentials_and_tls_and_bounds_timeouts() -> None:
    given = redis.asyncio.Redis(
        host="127.0.0.1",
        port=6390,
        db=3,
        username="app",
        password="hunter2",
        socket_timeout=5.0,
        ssl=True,
        ssl_ca_certs="/etc/ssl/ca.pem",
    )
    twin = sync_twin(given, 1.0)
    kept = pool_settings(twin)
    assert (kept["host"], kept["port"], kept["db"]) == ("127.0.0.1", 6390, 3)
    assert (kept["username"], kept["password"]) == ("app", "hunter2")
    assert issubclass(twin.connection_pool.connection_class, redis.SSLConnection)
    assert kept["ssl_ca_certs"] == "/etc/ssl/ca.pem"
    assert (kept["socket_timeout"], kept["socket_connect_timeout"]) == (1.0, 1.0)
    assert twin.get_retry().get_retries() == 0  # no retry storms
    twin.close()


def test_the_twin_keeps_shorter_timeouts_and_unix_sockets() -> None:
    given = redis.asyncio.Redis(unix_socket_path="/tmp/redis.sock", socket_timeout=0.25)
    twin = sync_twin(given, 1.0)
    assert issubclass(twin.connection_pool.connection_class, redis.UnixDomainSocketConnection)
    assert pool_settings(twin)["path"] == "/tmp/redis.sock"
    assert pool_settings(twin)["socket_timeout"] == 0.25
    unbounded = sync_twin(redis.asyncio.Redis(socket_timeout=7.0), None)  # timeout=None
    assert pool_settings(unbounded)["socket_timeout"] == 7.0
    unbounded.close()
    twin.close()


def test_the_twin_of_a_cluster_client_reaches_the_same_cluster(
    redis_cluster_address: tuple[str, int],
) -> None:
    host, port = redis_cluster_address
    given = redis.asyncio.cluster.RedisCluster(host=host, port=port, socket_timeout=30)
    twin = sync_twin(given, 1.0)
    assert isinstance(twin, redis.cluster.RedisCluster)
    assert f"{host}:{port}" in twin.nodes_manager.startup_nodes
    assert len(twin.get_primaries()) == 3
    assert twin.nodes_manager.connection_kwargs["socket_timeout"] == 1.0
    assert twin.retry.get_retries() == 0
    twin.close()


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
@pytest.mark.anyio
async def test_worker_threads_are_bounded(anyio_backend: str) -> None:
    threads = AsyncWorkerThreads(2)
    running, most = 0, 0
    lock = threading.Lock()

    def blocking() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1

    async with anyio.create_task_group() as group:
        for _ in range(6):
            group.start_soon(threads.run, blocking)
    assert most == 2


@pytest.mark.parametrize("anyio_backend", ["trio"])
@pytest.mark.anyio
async def test_a_down_redis_under_trio_never_logs_the_password(
    anyio_backend: str, origin: Origin, caplog: pytest.LogCaptureFixture
) -> None:
    origin.route("/a", body=b"a", headers={"Cache-Control": "max-age=600"})
    client = redis.asyncio.Redis(host="127.0.0.1", port=_free_port(), password="hunter2")
    storage = hishel.AsyncRedisStorage(client=client)
    assert "hunter2" not in storage._describe()
    caplog.set_level(logging.DEBUG, logger="hishel")
    async with hishel.AsyncCacheClient(storage=storage) as http:
        for _ in range(2):
            response = await http.get(origin.url("/a"))
            assert (response.content, response.extensions["from_cache"]) == (b"a", False)
    assert "serving without the cache" in caplog.text  # the breaker opened: a backend failure
    assert "hunter2" not in caplog.text


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
@pytest.mark.anyio
async def test_an_unreachable_cluster_opens_the_breaker(
    anyio_backend: str, origin: Origin, caplog: pytest.LogCaptureFixture
) -> None:
    origin.route("/a", body=b"a", headers={"Cache-Control": "max-age=600"})
    client = redis.asyncio.cluster.RedisCluster(host="127.0.0.1", port=_free_port())
    caplog.set_level(logging.WARNING, logger="hishel")
    async with hishel.AsyncCacheClient(storage=hishel.AsyncRedisStorage(client=client)) as http:
        for _ in range(3):
            assert (await http.get(origin.url("/a"))).content == b"a"
    warnings = [r.getMessage() for r in caplog.records if r.name == "hishel"]
    assert len(warnings) == 1 and "Redis Cluster at 127.0.0.1" in warnings[0], warnings
    assert origin.count("/a") == 3


PROGRAM = """
import os, trio, httpcore, redis.asyncio, redis.asyncio.cluster
import hishel

async def main():
    host, _, port = os.environ["CLUSTER"].rpartition(":")
    clients = [
        redis.asyncio.Redis(host="127.0.0.1", port=6379),
        redis.asyncio.cluster.RedisCluster(host=host, port=int(port)),
    ]
    for i, client in enumerate(clients):
        for storage in (hishel.AsyncRedisStorage(client=client, namespace=os.environ["NS"]),
                        hishel.AsyncRedisStorage(namespace=os.environ["NS"])):
            response = httpcore.Response(200, content=b"x" * 3_000_000)
            await storage.store(f"k{i}", response, httpcore.Request("GET", "https://a/"))
            found = await storage.retrieve(f"k{i}")
            assert found is not None and b"".join([c async for c in found[0].aiter_stream()])
            assert [e.key async for e in storage.entries()]
            await storage.clear()
            await storage.aclose()
    print("done")

trio.run(main)
"""


def test_a_trio_program_using_redis_exits_cleanly(
    redis_cluster_address: tuple[str, int], redis_namespace: str
) -> None:
    host, port = redis_cluster_address
    env = {**os.environ, "CLUSTER": f"{host}:{port}", "NS": redis_namespace}
    done = subprocess.run(
        [sys.executable, "-X", "dev", "-c", textwrap.dedent(PROGRAM)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "done\n", "")
