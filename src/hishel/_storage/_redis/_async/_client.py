"""The commands the Redis backend sends: to one server or a Redis Cluster, under asyncio or trio.

redis-py's asyncio clients (``redis.asyncio.Redis``, ``redis.asyncio.cluster.RedisCluster``)
need a running asyncio loop. Under trio (checked at each call) the commands go instead to an
equivalent sync client, built once from the asyncio client's connection settings (nodes,
db, credentials, TLS; socket timeouts bounded by the storage ``timeout``; no retries), in
worker threads of the storage's own, at most ``THREADS`` at once; the asyncio client is
then never touched. A client the caller passed is never used for the calls either: they go
through a private client derived from it, bounded by ``timeout`` (``_redis_bound``).

A cluster client routes each command by the hash slot of its key: every key of one entry
carries the same hash tag, so each script and pipeline stays in one slot; ``SCAN`` goes to
every primary node.
"""

from __future__ import annotations

import itertools
import threading
import typing as t

from ...._core._concurrency import AsyncWorkerThreads, async_in_trio
from ..._extras import import_extra
from ._bound import (
    bounded_client,
    close_bounded,
    close_twin,
    describe,
    is_cluster,
    sync_twin,
)

if t.TYPE_CHECKING:
    import redis.asyncio as redis
    from redis.asyncio.cluster import RedisCluster

__all__ = ["THREADS", "AsyncRedisCalls", "describe", "is_cluster", "sync_twin"]

THREADS = 8  # worker threads of one storage under trio
_BATCH = 500  # names per SCAN step
_DOWN = frozenset({"ConnectionError", "TimeoutError"})


def _bytes(value: t.Any) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def _command(client: t.Any, command: str, *args: t.Any) -> t.Any:
    return getattr(client, command)(*args)


def _append(client: t.Any, name: str, data: bytes, px: int) -> None:
    with client.pipeline(transaction=False) as pipe:
        pipe.append(name, data)
        pipe.pexpire(name, px)
        pipe.execute()


def _script(client: t.Any, scripts: dict[str, t.Any], text: str, *call: t.Any) -> t.Any:
    script = scripts.get(text)
    if script is None:
        script = scripts[text] = client.register_script(text)  # its digest; no I/O
    return script(*call)


def _scan(client: t.Any, match: str) -> t.Iterator[t.Any]:
    return iter(client.scan_iter(match=match, count=_BATCH))


def _take(client: t.Any, names: t.Iterator[t.Any]) -> list[t.Any]:
    return list(itertools.islice(names, _BATCH))


class _Reachable:
    """A cluster that cannot be reached says so as a ``ConnectionError`` (redis-py raises a
    ``RedisClusterException`` from one), so the breaker sees the backend failing. (A class,
    not a generator: it wraps every Redis call.)"""

    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: t.Any
    ) -> None:
        if not isinstance(exc, Exception):
            return
        kinds = {cls.__name__ for cls in type(exc).__mro__}
        cause = {cls.__name__ for cls in type(exc.__cause__).__mro__}
        # redis-py 8 says so itself (RedisClusterUnreachableError); earlier versions raise a
        # bare RedisClusterException from the connection error
        if "RedisClusterUnreachableError" in kinds or (
            "RedisClusterException" in kinds and cause & _DOWN
        ):
            errors = import_extra("redis.exceptions", "redis")
            raise errors.ConnectionError(f"Redis Cluster unreachable: {exc}") from exc


_REACHABLE = _Reachable()


class AsyncRedisCalls:
    """The backend's Redis commands over ``client`` (see the module docstring). ``aclose``
    closes ``client`` when ``owned`` (a client the caller passed is left open), the private
    client derived from a passed one and the sync twin, when made."""

    def __init__(self, client: redis.Redis | RedisCluster, timeout: float | None, owned: bool):
        self.client = client
        self._timeout = timeout
        self._owned = owned
        # the client the calls go through: made at the first call from a client passed in
        self._bounded: t.Any = client if owned or timeout is None else None
        self._bounded_lock = threading.Lock()
        self._scripts: dict[str, t.Any] = {}
        self._twin: t.Any = None  # made in a worker thread: a cluster client connects at once
        self._twin_scripts: dict[str, t.Any] = {}
        self._twin_lock = threading.Lock()
        self._threads = AsyncWorkerThreads(THREADS)

    def _calls_client(self) -> t.Any:
        """The client the calls go through (a sync cluster client connects when made: at
        the first call, inside its bound)."""
        bounded = self._bounded
        if bounded is not None:
            return bounded
        wait = -1 if self._timeout is None else self._timeout
        if not self._bounded_lock.acquire(timeout=wait):
            raise TimeoutError("the storage's Redis client is still being made")
        try:
            if self._bounded is None:
                self._bounded = bounded_client(self.client, t.cast(float, self._timeout))
            return self._bounded
        finally:
            self._bounded_lock.release()

    def _in_twin(self, fn: t.Callable[..., t.Any], *args: t.Any) -> t.Any:
        with self._twin_lock:
            if self._twin is None:
                self._twin = sync_twin(self.client, self._timeout)
        return fn(self._twin, *args)

    async def _threaded(self, fn: t.Callable[..., t.Any], *args: t.Any) -> t.Any:
        """``fn(twin, *args)`` in a worker thread (under trio: redis.asyncio needs asyncio)."""
        with _REACHABLE:
            return await self._threads.run(self._in_twin, fn, *args)

    async def _call(self, command: str, *args: t.Any) -> t.Any:
        if async_in_trio():
            return await self._threaded(_command, command, *args)
        with _REACHABLE:
            return await getattr(self._calls_client(), command)(*args)

    async def get(self, name: str) -> bytes | None:
        value = await self._call("get", name)
        return None if value is None else _bytes(value)

    async def getrange(self, name: str, start: int, end: int) -> bytes:
        return _bytes(await self._call("getrange", name, start, end))

    async def delete(self, *names: str) -> None:
        await self._call("delete", *names)

    async def append(self, name: str, data: bytes, px: int) -> None:
        """Append ``data`` to ``name`` and let it expire ``px`` ms later (one round trip)."""
        if async_in_trio():
            await self._threaded(_append, name, data, px)
            return
        with _REACHABLE:
            await self._append(name, data, px)

    async def _append(self, name: str, data: bytes, px: int) -> None:
        async with self._calls_client().pipeline(transaction=False) as pipe:
            pipe.append(name, data)
            pipe.pexpire(name, px)
            await pipe.execute()

    async def script(self, text: str, keys: list[str], args: list[t.Any]) -> t.Any:
        """Run the Lua ``text`` (sent by its digest once the server knows it)."""
        if async_in_trio():
            return await self._threaded(_script, self._twin_scripts, text, keys, args)
        with _REACHABLE:
            script = self._scripts.get(text)
            if script is None:
                script = self._scripts[text] = self._calls_client().register_script(text)
            return await script(keys, args)

    async def names(self, match: str) -> t.AsyncIterator[bytes]:
        """Every key name matching ``match`` (on a cluster: of every primary node)."""
        if async_in_trio():
            found = await self._threaded(_scan, match)
            while batch := await self._threaded(_take, found):
                for name in batch:
                    yield _bytes(name)
            return
        with _REACHABLE:
            async for name in self._calls_client().scan_iter(match=match, count=_BATCH):
                yield _bytes(name)

    async def aclose(self) -> None:
        twin, self._twin = self._twin, None
        if twin is not None:
            await self._threads.run(close_twin, twin)
        bounded = self._bounded
        if bounded is not None and bounded is not self.client and not async_in_trio():
            self._bounded = None
            await close_bounded(bounded)
        if self._owned and not async_in_trio():  # under trio it was never connected
            await self.client.aclose()
