"""The cost of ``storage.entries()`` (and ``stats()``) over N stored entries, per backend.

Run by hand (not part of the test suite)::

    .venv/bin/python benchmarks/entries.py                    # 10,000 entries, every storage
    .venv/bin/python benchmarks/entries.py --count 1000 --storages s3 --mode async

Each storage is pre-filled with N 1 KiB entries (``max-age=3600``) through the storage API,
then ``entries()`` is consumed whole ``--repeat`` times (best time kept), then ``stats()``
once. Redis round trips and S3 calls of one listing are counted on the client. Redis must be
listening on 127.0.0.1:6379; S3 is moto's server on 127.0.0.1 (HTTP round trips, so its
figures say how many calls a listing makes more than how long a real S3 takes).
"""

from __future__ import annotations

import argparse
import asyncio
import time
import typing as t

from _storages import (
    STORAGES,
    Backend,
    Resources,
    aprefill,
    close_async,
    close_sync,
    open_async,
    open_sync,
    prefill_sync,
)


def _row(name: str, mode: str, count: int, best: float, stats: float, calls: str) -> str:
    per = best / max(count, 1) * 1e6
    return f"{name:<7} {mode:<5} {count:>7,} {best:>9.3f} s {per:>9.1f} µs {stats:>9.3f} s  {calls}"


def _calls(backend: Backend, before: int) -> str:
    if backend.counter is None:
        return ""
    return f"{backend.counter.calls - before:,} {backend.counted}"


def run_sync(name: str, res: Resources, count: int, repeat: int) -> str:
    backend = open_sync(name, res, capacity=count)
    try:
        prefill_sync(backend, count)
        best = float("inf")
        before = backend.counter.calls if backend.counter else 0
        calls = ""
        for _ in range(repeat):
            start = time.perf_counter()
            listed = sum(1 for _ in backend.storage.entries())
            best = min(best, time.perf_counter() - start)
            if not calls:
                calls = _calls(backend, before)
        assert listed == count, (listed, count)
        start = time.perf_counter()
        stats = backend.storage.stats()
        spent = time.perf_counter() - start
        assert stats.entries == count
        return _row(name, "sync", count, best, spent, calls)
    finally:
        backend.storage.close()
        close_sync(backend)


async def run_async(name: str, res: Resources, count: int, repeat: int) -> str:
    backend = await open_async(name, res, capacity=count)
    try:
        await aprefill(backend, count)
        best = float("inf")
        before = backend.counter.calls if backend.counter else 0
        calls = ""
        for _ in range(repeat):
            start = time.perf_counter()
            listed = 0
            async for _ in backend.storage.entries():
                listed += 1
            best = min(best, time.perf_counter() - start)
            if not calls:
                calls = _calls(backend, before)
        assert listed == count, (listed, count)
        start = time.perf_counter()
        stats = await backend.storage.stats()
        spent = time.perf_counter() - start
        assert stats.entries == count
        return _row(name, "async", count, best, spent, calls)
    finally:
        await backend.storage.aclose()
        await close_async(backend)


def main(argv: t.Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--storages", default=",".join(STORAGES))
    parser.add_argument("--mode", choices=["sync", "async", "both"], default="both")
    args = parser.parse_args(argv)
    res = Resources()
    print(
        f"{'storage':<7} {'mode':<5} {'entries':>7} {'entries()':>11} {'per entry':>12} "
        f"{'stats()':>11}  calls per listing"
    )
    try:
        for name in args.storages.split(","):
            if args.mode in ("sync", "both"):
                print(run_sync(name, res, args.count, args.repeat), flush=True)
            if args.mode in ("async", "both"):
                print(asyncio.run(run_async(name, res, args.count, args.repeat)), flush=True)
    finally:
        res.close()


if __name__ == "__main__":
    main()
