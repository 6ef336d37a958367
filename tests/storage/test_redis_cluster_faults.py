"""Redis Cluster facts the storage relies on, and its timeout under a frozen node: redis-py's
``scan_iter`` on a cluster client visits every primary, and a frozen node (SIGSTOP) costs one
request about ``timeout``, under asyncio and trio."""

from __future__ import annotations

import os
import signal
import time
import typing as t

import pytest
import redis.asyncio.cluster

import hishel
from tests.origin import Origin
from tests.redis_cluster import LoopbackCluster
from tests.storage_fixtures import async_close_redis

BOUND = 1.5  # seconds: "does not hang", not a speed figure


def test_scan_iter_of_a_cluster_client_visits_every_primary(
    redis_cluster_client: t.Any, redis_cluster_namespace: str
) -> None:
    primaries = {node.name for node in redis_cluster_client.get_primaries()}
    placed: dict[str, str] = {}
    i = 0
    while set(placed.values()) != primaries:  # a key on each primary
        name = f"{redis_cluster_namespace}:{i}"
        placed[name] = redis_cluster_client.get_node_from_key(name).name
        redis_cluster_client.set(name, b"v")
        i += 1
    found = redis_cluster_client.scan_iter(match=f"{redis_cluster_namespace}:*", count=10)
    assert sorted(n.decode() for n in found) == sorted(placed)
    assert len(primaries) == 3


@pytest.fixture
def own_cluster() -> t.Iterator[LoopbackCluster]:
    """A cluster of this test's own, whose nodes it may freeze."""
    cluster = LoopbackCluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
@pytest.mark.anyio
async def test_a_frozen_cluster_node_does_not_hold_requests(
    anyio_backend: str, own_cluster: LoopbackCluster, origin: Origin
) -> None:
    origin.route("/r", body=b"body", headers={"Cache-Control": "max-age=600"})
    client = redis.asyncio.cluster.RedisCluster(host="127.0.0.1", port=own_cluster.ports[0])
    storage = hishel.AsyncRedisStorage(client=client, namespace="frozen", timeout=1.0)
    took = []
    async with hishel.AsyncCacheClient(storage=storage) as http:
        await http.get(origin.url("/r"))
        assert (await http.get(origin.url("/r"))).extensions["from_cache"] is True
        (key,) = [info.key async for info in storage.entries()]
        port = own_cluster.node_port(f"frozen:entry:{{{key}}}")
        os.kill(own_cluster.procs[own_cluster.ports.index(port)].pid, signal.SIGSTOP)
        for _ in range(4):
            start = time.monotonic()
            response = await http.get(origin.url("/r"))
            took.append(time.monotonic() - start)
            assert (response.status_code, response.content) == (200, b"body")
    own_cluster.stop()
    await async_close_redis(client)
    print(f"latency: frozen cluster node, 4 requests, slowest {max(took):.3f} s")
    assert max(took) < BOUND, took
    assert origin.count("/r") == 5  # answered by the origin while the node is frozen
