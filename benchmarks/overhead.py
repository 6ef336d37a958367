"""hishel's own CPU cost per request on one path, for profiling (run by hand).

    .venv/bin/python benchmarks/overhead.py --case hit --mode sync --storage memory
    py-spy record -r 2000 -f raw -o hit.txt -- .venv/bin/python benchmarks/overhead.py --rounds 40

The transports are called directly with prebuilt ``httpx.Request`` objects (no client, no
request building), so what is timed is the mock origin alone (``mock``) against the cache
transport over the same mock origin (``cache``); ``diff`` is what the cache adds. Each figure
is the minimum over ``--rounds`` batches of process CPU time, which a loaded machine disturbs
least. ``PYTHONPATH=/other/tree/src`` measures another hishel the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import tempfile
import time
import typing as t

import httpx
from _origin import MockOrigin

import hishel

HEADERS = {"Host": "origin.test", "Accept": "*/*", "User-Agent": "python-httpx/0.28.1"}
BATCH = 1000


def _storage(name: str, asynchronous: bool, tmp: str) -> t.Any:
    if name == "memory":
        return hishel.AsyncInMemoryStorage() if asynchronous else hishel.InMemoryStorage()
    if name == "file":
        path = os.path.join(tmp, "cache")
        return (
            hishel.AsyncFileStorage(base_path=path)
            if asynchronous
            else hishel.FileStorage(base_path=path)
        )
    if name == "sqlite":
        from pathlib import Path

        path = Path(tmp) / "cache.db"
        if asynchronous:
            return hishel.AsyncSQLiteStorage(connection=path)
        return hishel.SQLiteStorage(connection=path)
    raise SystemExit(f"unknown storage {name!r} (memory, file, sqlite)")


def _batches(case: str) -> t.Callable[[], list[httpx.Request]]:
    seq = itertools.count()
    route = "reval" if case == "revalidate" else "fresh"

    def batch() -> list[httpx.Request]:
        if case == "miss":
            urls = [f"http://origin.test/fresh/1024/m{next(seq)}" for _ in range(BATCH)]
        else:
            urls = [f"http://origin.test/{route}/1024/one"] * BATCH
        return [httpx.Request("GET", url, headers=HEADERS) for url in urls]

    return batch


def run_sync(args: argparse.Namespace, tmp: str) -> dict[str, float]:
    origin = MockOrigin()
    sides = {
        "mock": origin.transport(False),
        "cache": hishel.CacheTransport(
            transport=origin.transport(False), storage=_storage(args.storage, False, tmp)
        ),
    }
    batch = _batches(args.case)

    def timed(transport: t.Any) -> float:
        requests = batch()
        start = time.process_time()
        for request in requests:
            transport.handle_request(request).read()
        return (time.process_time() - start) / len(requests) * 1e6

    timed(sides["cache"])
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        for name, transport in sides.items():
            best[name] = min(best.get(name, float("inf")), timed(transport))
    return best


async def run_async(args: argparse.Namespace, tmp: str) -> dict[str, float]:
    origin = MockOrigin()
    sides = {
        "mock": origin.transport(True),
        "cache": hishel.AsyncCacheTransport(
            transport=origin.transport(True), storage=_storage(args.storage, True, tmp)
        ),
    }
    batch = _batches(args.case)

    async def timed(transport: t.Any) -> float:
        requests = batch()
        start = time.process_time()
        for request in requests:
            await (await transport.handle_async_request(request)).aread()
        return (time.process_time() - start) / len(requests) * 1e6

    await timed(sides["cache"])
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        for name, transport in sides.items():
            best[name] = min(best.get(name, float("inf")), await timed(transport))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", choices=("hit", "miss", "revalidate"), default="hit")
    parser.add_argument("--mode", choices=("sync", "async"), default="sync")
    parser.add_argument("--storage", default="memory")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hishel-overhead-") as tmp:
        run = run_sync if args.mode == "sync" else lambda a, d: asyncio.run(run_async(a, d))
        best = run(args, tmp)
    print(
        f"{args.storage} {args.case} {args.mode}: mock {best['mock']:.1f} us, "
        f"cache {best['cache']:.1f} us, diff {best['cache'] - best['mock']:.1f} us "
        f"(min CPU of {args.rounds} x {BATCH}; hishel {hishel.__file__})",
        file=sys.stdout,
    )


if __name__ == "__main__":
    main()
