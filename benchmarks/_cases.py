"""The timed cases, sync and async: the same request sequence through plain httpx (the floor)
and through hishel, with a tally of what each hishel response claims and what reached the
origin, checked at the end.

- ``hit``: one fresh URL, stored once, then requested again and again.
- ``miss``: a new URL every time (each response is stored).
- ``revalidate``: one URL whose stored response is always stale (``max-age=0`` + ETag); the
  origin answers every conditional request with 304. The floor just GETs it (200 + body).
- ``hit10k``: ``hit`` after the storage was pre-filled with 10,000 other entries (1 KiB each).

``Spec.host`` picks the client library: ``httpx`` (plain httpx vs ``hishel.CacheClient``),
``httpx2`` (plain httpx2 vs ``hishel.httpx2.CacheClient``, over an httpx2 mock origin), or a
pool: ``httpcore`` (plain ``httpcore.ConnectionPool`` vs ``hishel.CacheConnectionPool`` over
one) and ``httpcore2`` (the same with httpcore2 and ``hishel.httpcore2``), which reach only a
real origin (``server``): a pool has no transport to mock.
"""

from __future__ import annotations

import itertools
import typing as t
from dataclasses import dataclass, field

import httpx
from _origin import Counts, Origin
from _storages import Backend, Resources, aprefill, close_async, close_sync, open_async, open_sync
from _storages import prefill_sync as fill_sync
from _timing import Plan, Timing, ameasure, measure
from _writer import Writer, async_batch, sync_batch, wants_writer

import hishel

SIZES = ("1k", "1m")
POOL_HOSTS = ("httpcore", "httpcore2")
HOSTS = ("httpx", "httpx2", *POOL_HOSTS)
CASES = ("hit", "miss", "revalidate", "hit10k")
MODES = ("sync", "async")
ORIGINS = ("mock", "server")


def parse_size(text: str) -> int:
    """``1k`` -> 1024, ``1m`` -> 1048576, ``100`` -> 100."""
    units = {"k": 1 << 10, "m": 1 << 20}
    text = text.strip().lower()
    if text[-1:] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


@dataclass(frozen=True)
class Spec:
    case: str
    mode: str
    storage: str
    size: str
    origin: str
    host: str = "httpx"


class PoolClient:
    """A connection pool driven as the cases drive a client: ``get(url)`` is the pool's
    ``request`` (the body read, the connection released), answered with its response."""

    def __init__(self, pool: t.Any) -> None:
        self._pool = pool

    def get(self, url: str) -> t.Any:
        return self._pool.request("GET", url)

    def __enter__(self) -> PoolClient:
        return self

    def __exit__(self, *args: object) -> None:
        self._pool.close()


class AsyncPoolClient(PoolClient):
    """``PoolClient`` over an async pool."""

    async def get(self, url: str) -> t.Any:  # type: ignore[override]
        return await self._pool.request("GET", url)

    async def __aenter__(self) -> AsyncPoolClient:
        return self

    async def __aexit__(self, *args: object) -> None:
        await self._pool.aclose()


def pools(host: str, asynchronous: bool) -> tuple[t.Any, t.Any]:
    """A plain pool of ``host`` as a client (the floor) and hishel's caching pool over one,
    built with the clients' arguments (``transport`` is None: a pool reaches a real origin)."""
    if host == "httpcore2":
        import httpcore2 as library

        from hishel import httpcore2 as cached
    else:
        import httpcore as library

        cached = hishel
    if asynchronous:
        pool, cache, client = (
            library.AsyncConnectionPool,
            cached.AsyncCacheConnectionPool,
            AsyncPoolClient,
        )
    else:
        pool, cache, client = library.ConnectionPool, cached.CacheConnectionPool, PoolClient

    def plain(transport: None = None, trust_env: bool = False) -> PoolClient:
        return client(pool())

    def ours(storage: t.Any, transport: None = None, trust_env: bool = False) -> PoolClient:
        return client(cache(pool(), storage=storage))

    return plain, ours


def clients(host: str, asynchronous: bool) -> tuple[t.Any, t.Any]:
    """The plain client class of ``host`` (the floor) and hishel's caching one."""
    if host in POOL_HOSTS:
        return pools(host, asynchronous)
    if host == "httpx2":
        import httpx2

        from hishel import httpx2 as cached

        if asynchronous:
            return httpx2.AsyncClient, cached.AsyncCacheClient
        return httpx2.Client, cached.CacheClient
    if asynchronous:
        return httpx.AsyncClient, hishel.AsyncCacheClient
    return httpx.Client, hishel.CacheClient


@dataclass
class Tally:
    """What the hishel responses of a case said, and what the origin and storage saw."""

    size: int
    requests: int = 0
    from_cache: int = 0
    revalidated: int = 0
    bad_length: int = 0
    origin: Counts = field(default_factory=lambda: Counts(0, 0, None))
    calls: int = 0
    stored: bool | None = None  # miss: a later request for the last URL is a hit

    def see(self, response: t.Any) -> None:  # httpx's, httpx2's, httpcore's or httpcore2's
        ext = response.extensions
        self.requests += 1
        self.from_cache += bool(ext.get("from_cache"))
        self.revalidated += bool(ext.get("revalidated"))
        self.bad_length += len(response.content) != self.size

    def add(self, seen: Counts, calls: int) -> None:
        connections = seen.connections
        if self.origin.connections is not None and connections is not None:
            connections += self.origin.connections
        self.origin = Counts(
            self.origin.requests + seen.requests,
            self.origin.not_modified + seen.not_modified,
            connections,
        )
        self.calls += calls


@dataclass
class Row:
    case: str
    mode: str
    storage: str
    size: str
    origin: str
    floor_us: float
    hishel_us: float
    ratio: float
    floor_n: int
    hishel_n: int
    spread: float  # the largest relative spread (max-min)/median of the sides
    verified: bool
    verification: str
    calls_per_request: float | None = None
    counted: str = ""
    new_connections: int | None = None
    note: str = ""
    writer_us: float | None = None  # the file rows' writer floor (_writer.py), same run
    writer_ratio: float | None = None  # median of the per-repeat ratios hishel / writer
    hishel_version: str = getattr(hishel, "__version__", "?")
    host: str = "httpx"


def verify(spec: Spec, tally: Tally, counted: str) -> tuple[bool, str]:
    n, origin, problems = tally.requests, tally.origin, []
    if tally.bad_length:
        problems.append(f"{tally.bad_length} wrong body lengths")
    if spec.case in ("hit", "hit10k"):
        summary = f"origin {origin.requests}/{n} hits"
        if origin.requests:
            problems.append(f"{origin.requests} origin requests")
        if tally.from_cache != n:
            problems.append(f"from_cache {tally.from_cache}/{n}")
    elif spec.case == "miss":
        summary = f"origin {origin.requests}/{n} misses"
        if origin.requests != n:
            problems.append(f"{origin.requests} origin requests for {n}")
        if tally.from_cache:
            problems.append(f"from_cache on {tally.from_cache} misses")
        if not tally.stored:
            problems.append("not stored")
    else:
        summary = f"304 {origin.not_modified}/{n}"
        if origin.not_modified != n or origin.requests != n:
            problems.append(f"{origin.requests} origin requests, {origin.not_modified} 304s")
        if tally.from_cache != n or tally.revalidated != n:
            problems.append(f"from_cache {tally.from_cache}, revalidated {tally.revalidated}")
    if origin.connections is not None:
        summary += f", {origin.connections} new conn"
        if spec.case in ("hit", "hit10k", "revalidate") and origin.connections:
            problems.append(f"{origin.connections} new TCP connections")
    if counted and n:
        summary += f", {tally.calls / n:.2f} {counted}/req"
    return not problems, ("ok " if not problems else "FAIL " + "; ".join(problems) + ": ") + summary


def _row(spec: Spec, timing: Timing, tally: Tally, backend: Backend, note: str) -> Row:
    ok, text = verify(spec, tally, backend.counted)
    return Row(
        spec.case,
        spec.mode,
        spec.storage,
        spec.size,
        spec.origin,
        round(timing.floor_us, 1),
        round(timing.ours_us, 1),
        round(timing.ratio, 3),
        timing.floor_n,
        timing.ours_n,
        round(max(timing.floor_spread, timing.ours_spread, timing.writer_spread), 3),
        ok,
        text,
        tally.calls / tally.requests if backend.counted and tally.requests else None,
        backend.counted,
        tally.origin.connections,
        note,
        None if timing.writer_us is None else round(timing.writer_us, 1),
        None if timing.writer_ratio is None else round(timing.writer_ratio, 3),
        host=spec.host,
    )


class _Urls:
    def __init__(self, spec: Spec, origin: Origin, res: Resources) -> None:
        self.size = parse_size(spec.size)
        route = "reval" if spec.case == "revalidate" else "fresh"
        self.prefix = f"{origin.base_url}/{route}/{self.size}/{res.unique('u')}"
        self.miss = spec.case == "miss"
        self._seq = itertools.count()
        self.last = self.prefix

    def batch(self, n: int, side: str) -> list[str]:
        if not self.miss:
            return [self.prefix] * n
        urls = [f"{self.prefix}-{side}{next(self._seq)}" for _ in range(n)]
        self.last = urls[-1]
        return urls


def _capacity(spec: Spec, plan: Plan) -> int:
    return plan.fill + 128 if spec.case == "hit10k" else 128


def _fill_count(spec: Spec, plan: Plan) -> int:
    return plan.fill_s3 if spec.storage == "s3" else plan.fill


def _writer(spec: Spec, res: Resources, urls: _Urls) -> Writer | None:
    if not wants_writer(spec.case, spec.storage):
        return None
    return Writer(res.tmp / res.unique("writer"), urls.size)


def run_sync(spec: Spec, origin: Origin, res: Resources, plan: Plan) -> Row:
    urls, note = _Urls(spec, origin, res), ""
    tally, scratch = Tally(urls.size), Tally(urls.size)
    backend = open_sync(spec.storage, res, _capacity(spec, plan))
    try:
        plain, cached = clients(spec.host, False)
        floor = plain(transport=origin.transport(False, spec.host), trust_env=False)
        ours = cached(
            storage=backend.storage, transport=origin.transport(False, spec.host), trust_env=False
        )
        with floor, ours:
            if spec.case == "hit10k":
                count = _fill_count(spec, plan)
                fill_sync(backend, count)
                note = f"{count} x 1 KiB entries pre-filled"
            if spec.case != "miss":
                ours.get(urls.prefix)  # stores the entry

            def floor_batch(n: int) -> float:
                batch = urls.batch(n, "f")
                start = plan.clock()
                for url in batch:
                    scratch.see(floor.get(url))
                return plan.clock() - start

            def ours_batch(n: int) -> float:
                batch = urls.batch(n, "h")
                before, calls = origin.counts(), backend.counter.calls if backend.counter else 0
                start = plan.clock()
                for url in batch:
                    tally.see(ours.get(url))
                elapsed = plan.clock() - start
                after = backend.counter.calls if backend.counter else 0
                tally.add(origin.counts() - before, after - calls)
                return elapsed

            writer, third = _writer(spec, res, urls), None
            if writer is not None:
                third = sync_batch(
                    floor, writer, lambda n: urls.batch(n, "w"), spec.case, plan.clock
                )
            timing = measure(floor_batch, ours_batch, plan, third)
            if urls.miss:
                tally.stored = bool(ours.get(urls.last).extensions.get("from_cache"))
    finally:
        close_sync(backend)
    return _row(spec, timing, tally, backend, note)


async def run_async(spec: Spec, origin: Origin, res: Resources, plan: Plan) -> Row:
    urls, note = _Urls(spec, origin, res), ""
    tally, scratch = Tally(urls.size), Tally(urls.size)
    backend = await open_async(spec.storage, res, _capacity(spec, plan))
    try:
        plain, cached = clients(spec.host, True)
        floor = plain(transport=origin.transport(True, spec.host), trust_env=False)
        ours = cached(
            storage=backend.storage, transport=origin.transport(True, spec.host), trust_env=False
        )
        async with floor, ours:
            if spec.case == "hit10k":
                count = _fill_count(spec, plan)
                await aprefill(backend, count)
                note = f"{count} x 1 KiB entries pre-filled"
            if spec.case != "miss":
                await ours.get(urls.prefix)

            async def floor_batch(n: int) -> float:
                batch = urls.batch(n, "f")
                start = plan.clock()
                for url in batch:
                    scratch.see(await floor.get(url))
                return plan.clock() - start

            async def ours_batch(n: int) -> float:
                batch = urls.batch(n, "h")
                before, calls = origin.counts(), backend.counter.calls if backend.counter else 0
                start = plan.clock()
                for url in batch:
                    tally.see(await ours.get(url))
                elapsed = plan.clock() - start
                after = backend.counter.calls if backend.counter else 0
                tally.add(origin.counts() - before, after - calls)
                return elapsed

            writer, athird = _writer(spec, res, urls), None
            if writer is not None:
                athird = async_batch(
                    floor, writer, lambda n: urls.batch(n, "w"), spec.case, plan.clock
                )
            timing = await ameasure(floor_batch, ours_batch, plan, athird)
            if urls.miss:
                tally.stored = bool((await ours.get(urls.last)).extensions.get("from_cache"))
    finally:
        await close_async(backend)
    return _row(spec, timing, tally, backend, note)
