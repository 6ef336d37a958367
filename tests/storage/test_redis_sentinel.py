"""A Sentinel-managed client passed to a Redis storage, against a real master and sentinel.

The storage never calls through the caller's client, nor through the caller's ``Sentinel``:
master discovery of its private client goes through private sentinel clients, with socket
timeouts of at most the storage's ``timeout`` and no retries. So a frozen sentinel (SIGSTOP:
it accepts connections and never answers) costs a sync request about ``timeout`` even when
the caller's sentinel clients have no timeouts at all (it used to hold the request until
the sentinel was thawed). The caller's clients here are built with no timeouts.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
import typing as t

import pytest
import redis
import redis.asyncio
import redis.asyncio.sentinel
import redis.sentinel

import hishel
from hishel._storage._redis._async._bound import describe
from tests.origin import Origin
from tests.redis_cluster import _cli
from tests.storage.redis_sentinel import SERVICE, LoopbackSentinel, redis_sentinel

__all__ = ["redis_sentinel"]  # fixture

TIMEOUT = 0.5
BOUND = 3.0  # seconds for the request: "bounded by timeout", generously; not a speed figure
NO_TIMEOUTS = {"socket_timeout": None, "socket_connect_timeout": None}
MODULES = {"sync": redis.sentinel, "async": redis.asyncio.sentinel}


def calls_client(storage: t.Any) -> t.Any:
    """The client a Redis storage sends its commands through (made at the first call)."""
    return storage._backend._calls._calls_client()


def retries(client: t.Any) -> int | None:
    """The retries ``client`` sets (None: its connections' default)."""
    retry = client.get_retry()
    return None if retry is None else int(retry.get_retries())


def sentinel_settings(sentinel: t.Any) -> list[tuple[t.Any, ...]]:
    """Each sentinel client of ``sentinel``: the client, its settings and its retries."""
    return [
        (client, dict(client.connection_pool.connection_kwargs), retries(client))
        for client in sentinel.sentinels
    ]


def given_client(deployment: LoopbackSentinel, module: t.Any, **sentinel_kwargs: t.Any) -> t.Any:
    """The caller's master client, through a caller's ``Sentinel`` with no timeouts."""
    kwargs = {**NO_TIMEOUTS, **sentinel_kwargs}
    sentinel = module.Sentinel(deployment.sentinels, sentinel_kwargs=kwargs, **NO_TIMEOUTS)
    return sentinel.master_for(SERVICE)


def close(storage: t.Any, given: t.Any) -> None:
    if isinstance(storage, hishel.RedisStorage):
        storage.close()
        given.close()
        given.connection_pool.sentinel_manager.close()
        return

    async def aclose() -> None:
        await storage.aclose()
        await given.aclose()
        await given.connection_pool.sentinel_manager.aclose()

    asyncio.run(aclose())


@pytest.mark.parametrize("flavour", list(MODULES))
def test_private_client_of_a_sentinel_client_is_bounded(
    redis_sentinel: LoopbackSentinel, flavour: str
) -> None:
    module = MODULES[flavour]
    given = given_client(redis_sentinel, module)
    caller_sentinel = given.connection_pool.sentinel_manager
    before = (
        dict(given.connection_pool.connection_kwargs),
        retries(given),
        sentinel_settings(caller_sentinel),
    )
    assert before[0].get("socket_timeout") is None and before[2][0][1]["socket_timeout"] is None
    storage_class = hishel.RedisStorage if flavour == "sync" else hishel.AsyncRedisStorage
    storage = storage_class(client=given, timeout=TIMEOUT)
    private = calls_client(storage)

    assert private is not given and private.connection_pool is not given.connection_pool
    pool = private.connection_pool
    assert isinstance(pool, module.SentinelConnectionPool)
    assert (pool.service_name, pool.is_master) == (SERVICE, True)
    kwargs = pool.connection_kwargs
    assert (kwargs["socket_timeout"], kwargs["socket_connect_timeout"]) == (TIMEOUT, TIMEOUT)
    assert retries(private) == 0
    private_sentinel = pool.sentinel_manager
    assert private_sentinel is not caller_sentinel
    assert [
        (c.connection_pool.connection_kwargs["host"], c.connection_pool.connection_kwargs["port"])
        for c in private_sentinel.sentinels
    ] == redis_sentinel.sentinels
    for client in private_sentinel.sentinels:
        assert client not in caller_sentinel.sentinels
        settings = client.connection_pool.connection_kwargs
        assert (settings["socket_timeout"], settings["socket_connect_timeout"]) == (
            TIMEOUT,
            TIMEOUT,
        )
        assert retries(client) == 0
    assert describe(given) == f"Redis Sentinel service {SERVICE} at 127.0.0.1:{redis_sentinel.port}"

    after = (
        dict(given.connection_pool.connection_kwargs),
        retries(given),
        sentinel_settings(caller_sentinel),
    )
    assert after == before  # the caller's client and its sentinel clients are left as they are
    close(storage, given)


def test_the_sentinel_credentials_are_kept_and_never_described(
    redis_sentinel: LoopbackSentinel,
) -> None:
    given = given_client(redis_sentinel, redis.sentinel, username="ops", password="hunter2")
    private = calls_client(hishel.RedisStorage(client=given, timeout=TIMEOUT))
    for client in private.connection_pool.sentinel_manager.sentinels:
        settings = client.connection_pool.connection_kwargs
        assert (settings["username"], settings["password"]) == ("ops", "hunter2")
    assert "hunter2" not in describe(given) and "ops" not in describe(given)


def test_a_round_trip_through_a_sentinel_client(
    redis_sentinel: LoopbackSentinel, origin: Origin
) -> None:
    _cli(redis_sentinel.master_port, "flushall")
    given = given_client(redis_sentinel, redis.sentinel)
    storage = hishel.RedisStorage(client=given, timeout=TIMEOUT)
    origin.route("/a", body=b"x", headers={"Cache-Control": "max-age=60"})
    with hishel.CacheClient(storage=storage) as http:
        assert http.get(origin.url("/a")).extensions["from_cache"] is False
        second = http.get(origin.url("/a"))
    assert (second.content, second.extensions["from_cache"]) == (b"x", True)
    assert origin.count("/a") == 1
    assert int(_cli(redis_sentinel.master_port, "dbsize")) > 0  # stored on the master
    given.close()
    given.connection_pool.sentinel_manager.close()


@pytest.mark.anyio
async def test_an_async_round_trip_through_a_sentinel_client(
    redis_sentinel: LoopbackSentinel, origin: Origin
) -> None:
    """Under asyncio through the private client; under trio through its sync twin."""
    _cli(redis_sentinel.master_port, "flushall")
    given = given_client(redis_sentinel, redis.asyncio.sentinel)
    storage = hishel.AsyncRedisStorage(client=given, timeout=TIMEOUT)
    origin.route("/b", body=b"y", headers={"Cache-Control": "max-age=60"})
    async with hishel.AsyncCacheClient(storage=storage) as http:
        await http.get(origin.url("/b"))
        second = await http.get(origin.url("/b"))
    assert (second.content, second.extensions["from_cache"]) == (b"y", True)
    assert origin.count("/b") == 1
    assert int(_cli(redis_sentinel.master_port, "dbsize")) > 0  # stored on the master


def test_a_frozen_sentinel_costs_a_sync_request_at_most_about_the_timeout(
    redis_sentinel: LoopbackSentinel, origin: Origin
) -> None:
    """The request runs in a daemon thread joined for ``BOUND`` seconds, so an unbounded
    call fails the test instead of hanging it (the sentinel is thawed in ``finally``)."""
    given = given_client(redis_sentinel, redis.sentinel)
    storage = hishel.RedisStorage(client=given, timeout=TIMEOUT)  # not yet connected
    origin.route("/f", body=b"z", headers={"Cache-Control": "max-age=60"})
    http = hishel.CacheClient(storage=storage)
    outcome: list[t.Any] = []

    def request() -> None:
        try:
            outcome.append(http.get(origin.url("/f")))
        except BaseException as exc:  # reported below
            outcome.append(exc)

    os.kill(redis_sentinel.pid, signal.SIGSTOP)
    try:
        start = time.monotonic()
        worker = threading.Thread(target=request, daemon=True)
        worker.start()
        worker.join(BOUND)
        took = time.monotonic() - start
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(redis_sentinel.pid, signal.SIGCONT)
    print(f"latency: frozen sentinel, request took {took:.3f} s")  # pytest -s
    assert not worker.is_alive(), f"the request was still held after {BOUND} s"
    (response,) = outcome
    assert not isinstance(response, BaseException), response
    assert (response.status_code, response.content) == (200, b"z")
    assert response.extensions["from_cache"] is False  # a miss from the origin, not an error
    assert took < BOUND
    http.close()
    given.close()
    given.connection_pool.sentinel_manager.close()


def clients_named(port: int, name: str) -> int:
    """Connections to the server or sentinel on ``port`` whose client name is ``name``."""
    return _cli(port, "client", "list").count(f" name={name} ")


def test_the_private_clients_are_closed_with_the_storage(
    redis_sentinel: LoopbackSentinel,
) -> None:
    """Its master connections and its sentinel clients' connections; the caller's stay."""
    name = f"hishel-sentinel-{os.getpid()}"
    given = given_client(redis_sentinel, redis.sentinel, client_name=name)
    assert given.ping() is True  # the caller's own sentinel connection
    storage = hishel.RedisStorage(client=given, timeout=TIMEOUT)
    assert storage.stats().entries >= 0  # a call through the private client
    assert clients_named(redis_sentinel.port, name) == 2
    storage.close()
    assert clients_named(redis_sentinel.port, name) == 1
    assert given.ping() is True
    given.close()
    given.connection_pool.sentinel_manager.close()


def test_a_sentinel_storage_shows_its_sentinels_and_service_without_credentials(
    redis_sentinel: LoopbackSentinel,
) -> None:
    given = given_client(redis_sentinel, redis.sentinel, username="ops", password="hunter2")
    shown = repr(hishel.RedisStorage(client=given, timeout=None))
    where = f"127.0.0.1:{redis_sentinel.port}"
    assert shown == f"RedisStorage(client=<Redis redis+sentinel://{where}/{SERVICE}/0>, " + (
        "namespace='hishel', timeout=None)"
    )
    assert "hunter2" not in shown and "ops" not in shown
