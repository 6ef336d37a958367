"""Check (c): a frozen or killed Redis. Every request is answered from the origin in time.

One case per flavour (sync, async), client and fault; each case has a redis-server of its
own. The client is the one the storage builds (default settings: the storage's ``timeout``
as socket timeouts, no retries), or one the caller builds with no timeouts at all, or with
``socket_timeout=2`` and redis-py's default retries. First the cache is shown to work
(entries stored, then hits); then the server is frozen (SIGSTOP: connections are accepted by
the kernel but never answered, the worst case) or killed, and N requests go through the
cache. The clock the controller (and so the breaker) reads jumps past the breaker's cooldown
before each request, so every request tries the storage again. Each request must be
answered, from the origin, none slower than ``BOUND`` (the storage's default ``timeout`` of
1 s, plus a margin); the figure gives the slowest per case. A watchdog continues (SIGCONT) a
frozen server after ``WATCHDOG`` seconds, so an unbounded case ends (and misses its bound)
instead of hanging the run.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import threading
import time
import typing as t
import uuid

import hishel
from hishel._tools._origin import Origin

from ._common import Figure, redis_server

BOUND = 1.5  # seconds, per request: the default timeout (1 s) and a margin
WARM = 4  # resources stored (and hit) before the fault
WATCHDOG = 30.0
CLIENTS = ("storage-built", "no timeouts", "socket_timeout=2")
FAULTS = ("frozen", "killed")


def _routes(origin: Origin, count: int) -> None:
    for n in range(count):
        origin.route(
            f"/f/{n}", body=f"frozen {n}".encode() * 100, headers={"Cache-Control": "max-age=600"}
        )


def _expected(n: int) -> bytes:
    return f"frozen {n}".encode() * 100


class JumpingClock:
    """Real time, plus whatever ``jump`` added (past the breaker's cooldown)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def jump(self) -> None:
        self.offset += 10.0


class Tally:
    def __init__(self) -> None:
        self.requests = self.from_origin = self.errors = self.warm_hits = 0
        self.worst = 0.0

    def answer(self, n: int, started: float, response: t.Any) -> None:
        self.worst = max(self.worst, time.monotonic() - started)
        self.requests += 1
        ok = response.status_code == 200 and response.content == _expected(n)
        self.from_origin += ok and not response.extensions["from_cache"]


class Fault:
    """Freezes or kills a server; a frozen one is continued by a watchdog, and at the end."""

    def __init__(self, proc: subprocess.Popen[bytes], kind: str) -> None:
        self._proc = proc
        self._kind = kind
        self._timer: threading.Timer | None = None

    def __enter__(self) -> Fault:
        if self._kind == "frozen":
            os.kill(self._proc.pid, signal.SIGSTOP)
            self._timer = threading.Timer(WATCHDOG, self._thaw)
            self._timer.daemon = True
            self._timer.start()
        else:
            self._proc.kill()
            self._proc.wait(10)
        return self

    def _thaw(self) -> None:
        if self._proc.poll() is None:
            os.kill(self._proc.pid, signal.SIGCONT)

    def __exit__(self, *args: object) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._thaw()


def _redis_client(module: t.Any, port: int, client: str) -> t.Any:
    settings = {"socket_timeout": 2.0} if client == "socket_timeout=2" else {}
    return module.Redis(host="127.0.0.1", port=port, **settings)


def _storage(cls: t.Any, module: t.Any, port: int, client: str) -> tuple[t.Any, t.Any]:
    """The storage, and the client the caller built (None: the storage built its own)."""
    namespace = f"frozen-{uuid.uuid4().hex}"
    if client != "storage-built":
        given = _redis_client(module, port, client)
        return cls(client=given, namespace=namespace), given
    storage = cls(namespace=namespace)
    # The storage builds its client for localhost:6379, the machine's own Redis (never
    # frozen here): that client is pointed at this case's server before it first connects.
    storage._backend._client.connection_pool.connection_kwargs.update(host="127.0.0.1", port=port)
    return storage, None


def _sync(port: int, proc: t.Any, origin: Origin, count: int, case: tuple[str, str]) -> Tally:
    import redis

    tally, clock = Tally(), JumpingClock()
    storage, given = _storage(hishel.RedisStorage, redis, port, case[0])
    controller = hishel.Controller(clock=clock)
    with hishel.CacheClient(storage=storage, controller=controller, timeout=10) as client:
        for n in range(WARM):
            client.get(origin.url(f"/f/{n}"))
            tally.warm_hits += client.get(origin.url(f"/f/{n}")).extensions["from_cache"]
        with Fault(proc, case[1]):
            for i in range(count):
                n = i % (WARM * 2)  # stored ones and new ones
                clock.jump()
                started = time.monotonic()
                try:
                    response = client.get(origin.url(f"/f/{n}"))
                except Exception:
                    tally.errors += 1
                    continue
                tally.answer(n, started, response)
    if given is not None:
        given.close()
    return tally


async def _async(
    port: int, proc: t.Any, origin: Origin, count: int, case: tuple[str, str]
) -> Tally:
    import redis.asyncio

    tally, clock = Tally(), JumpingClock()
    storage, given = _storage(hishel.AsyncRedisStorage, redis.asyncio, port, case[0])
    controller = hishel.Controller(clock=clock)
    async with hishel.AsyncCacheClient(storage=storage, controller=controller, timeout=10) as http:
        for n in range(WARM):
            await http.get(origin.url(f"/f/{n}"))
            tally.warm_hits += (await http.get(origin.url(f"/f/{n}"))).extensions["from_cache"]
        with Fault(proc, case[1]):
            for i in range(count):
                n = i % (WARM * 2)
                clock.jump()
                started = time.monotonic()
                try:
                    response = await http.get(origin.url(f"/f/{n}"))
                except Exception:
                    tally.errors += 1
                    continue
                tally.answer(n, started, response)
    if given is not None:
        await given.aclose()
    return tally


def run(requests: int) -> Figure:
    """About ``requests`` requests per flavour, shared by its cases (at least 2 a case)
    while the server is frozen or killed."""
    count = max(2, requests // 3)
    started = time.monotonic()
    lines: list[str] = []
    ok = True
    sent = answered = errors = warm = 0
    worst = 0.0
    with Origin() as origin:
        _routes(origin, WARM * 2)
        for flavour in ("sync", "async"):
            for case in ((client, fault) for client in CLIENTS for fault in FAULTS):
                with redis_server() as (port, proc):
                    if flavour == "sync":
                        tally = _sync(port, proc, origin, count, case)
                    else:
                        tally = asyncio.run(_async(port, proc, origin, count, case))
                case_ok = (
                    tally.from_origin == tally.requests == count
                    and tally.errors == 0
                    and tally.worst <= BOUND
                    and tally.warm_hits == WARM
                )
                ok = ok and case_ok
                sent += tally.requests + tally.errors
                answered += tally.from_origin
                errors += tally.errors
                warm += tally.warm_hits
                worst = max(worst, tally.worst)
                lines.append(
                    f"    {flavour:5} {case[0]:16} {case[1]:6}: max latency {tally.worst:.3f} s, "
                    f"{tally.from_origin}/{count} from the origin"
                    + ("" if case_ok else "   <-- MISSED")
                )
    cases = len(lines)
    head = (
        f"frozen/killed redis: {cases} cases x {count} req, {answered}/{sent} answered from the "
        f"origin, {errors} errors, max latency {worst:.2f} s (bound {BOUND} s per request), "
        f"{warm}/{cases * WARM} hits before the fault, {time.monotonic() - started:.1f} s"
    )
    return Figure("\n".join([head, *lines]), ok)
