"""Check (c): a frozen backend. A redis-server started here is SIGSTOPped mid-run.

First the cache is shown to work (entries stored, then hits). Then the server is frozen
(SIGSTOP: connections are accepted by the kernel but never answered, the worst case) and N
requests go through a ``RedisStorage``-backed client, sync (a client with its own timeouts
and no retries, as the README says) and async (a plain client: the storage enforces its
``timeout``). Every request must be answered, from the origin, none slower than the bound.
Then the server is continued (SIGCONT) and stopped.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
import typing as t
import uuid

import hishel
from hishel._origin import Origin

from ._common import Figure, redis_client, redis_server

BOUND = 1.5  # seconds, per request
WARM = 4  # resources stored (and hit) before the freeze


def _routes(origin: Origin, count: int) -> None:
    for n in range(count):
        origin.route(
            f"/f/{n}", body=f"frozen {n}".encode() * 100, headers={"Cache-Control": "max-age=600"}
        )


def _expected(n: int) -> bytes:
    return f"frozen {n}".encode() * 100


class Tally:
    def __init__(self) -> None:
        self.requests = self.from_origin = self.errors = self.warm_hits = 0
        self.worst = 0.0

    def answer(self, n: int, started: float, response: t.Any) -> None:
        self.worst = max(self.worst, time.monotonic() - started)
        self.requests += 1
        ok = response.status_code == 200 and response.content == _expected(n)
        self.from_origin += ok and not response.extensions["from_cache"]


def _sync(port: int, pid: int, origin: Origin, count: int, tally: Tally) -> None:
    storage = hishel.RedisStorage(client=redis_client(port), namespace=f"frozen-{uuid.uuid4().hex}")
    with hishel.CacheClient(storage=storage, timeout=10) as client:
        for n in range(WARM):
            client.get(origin.url(f"/f/{n}"))
            tally.warm_hits += client.get(origin.url(f"/f/{n}")).extensions["from_cache"]
        os.kill(pid, signal.SIGSTOP)
        try:
            for i in range(count):
                n = i % (WARM * 2)  # stored ones and new ones
                started = time.monotonic()
                try:
                    response = client.get(origin.url(f"/f/{n}"))
                except Exception:
                    tally.errors += 1
                    continue
                tally.answer(n, started, response)
        finally:
            os.kill(pid, signal.SIGCONT)


async def _async(port: int, pid: int, origin: Origin, count: int, tally: Tally) -> None:
    import redis.asyncio

    client = redis.asyncio.Redis(host="127.0.0.1", port=port)  # no timeouts of its own
    storage = hishel.AsyncRedisStorage(client=client, namespace=f"frozen-{uuid.uuid4().hex}")
    try:
        async with hishel.AsyncCacheClient(storage=storage, timeout=10) as http:
            for n in range(WARM):
                await http.get(origin.url(f"/f/{n}"))
                tally.warm_hits += (await http.get(origin.url(f"/f/{n}"))).extensions["from_cache"]
            os.kill(pid, signal.SIGSTOP)
            try:
                for i in range(count):
                    n = i % (WARM * 2)
                    started = time.monotonic()
                    try:
                        response = await http.get(origin.url(f"/f/{n}"))
                    except Exception:
                        tally.errors += 1
                        continue
                    tally.answer(n, started, response)
            finally:
                os.kill(pid, signal.SIGCONT)
    finally:
        await client.aclose()


def run(count: int) -> Figure:
    """``count`` requests per flavour (sync, async) while the server is frozen."""
    started = time.monotonic()
    sync, asynchronous = Tally(), Tally()
    with Origin() as origin, redis_server() as (port, proc):
        _routes(origin, WARM * 2)
        _sync(port, proc.pid, origin, count, sync)
        asyncio.run(_async(port, proc.pid, origin, count, asynchronous))
    sent = sync.requests + asynchronous.requests + sync.errors + asynchronous.errors
    answered = sync.from_origin + asynchronous.from_origin
    errors = sync.errors + asynchronous.errors
    worst = max(sync.worst, asynchronous.worst)
    warm = sync.warm_hits + asynchronous.warm_hits
    line = (
        f"frozen redis: {sent} req while SIGSTOPped (sync {count}, async {count}), "
        f"{answered}/{sent} answered from the origin, {errors} errors, max latency "
        f"{worst:.2f} s (sync {sync.worst:.2f}, async {asynchronous.worst:.2f}; bound "
        f"{BOUND} s), {warm}/{2 * WARM} hits before the freeze, {time.monotonic() - started:.1f} s"
    )
    ok = answered == sent == 2 * count and errors == 0 and worst <= BOUND and warm == 2 * WARM
    return Figure(line, ok)
