"""Peak memory for one large response, each storage and mode in a fresh process.

The parent (``run.py --memory``) starts one child per storage and mode:

    python benchmarks/_memory.py STORAGE MODE BYTES S3_ENDPOINT_OR_-

The child streams the body from a mock origin that never holds it (64 KiB pieces from one
buffer) and reads it with ``iter_bytes()``, discarding chunks. Around each request it resets
the kernel's peak-RSS mark (``/proc/self/clear_refs``, Linux) and reports VmHWM minus the
VmRSS before the request: first plain httpx (the floor), then hishel's miss (stored) and hit,
then a 304 revalidation of a stored entry of the same size (the stored body is served, only
its head rewritten: it must cost about what a hit costs).
It prints one JSON line.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import json
import subprocess
import sys
import typing as t
from pathlib import Path

import httpx
from _origin import MockOrigin
from _storages import Resources, close_async, close_sync, open_async, open_sync

import hishel

HERE = Path(__file__).resolve().parent
MIB = 1 << 20


def _status_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def _trim() -> None:
    """Give freed heap pages back to the kernel (glibc), so the baseline RSS is honest."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _reset_peak() -> int:
    gc.collect()
    _trim()
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # resets VmHWM to the current RSS
    return _status_kib("VmRSS")


def _rise_mib(base_kib: int) -> float:
    return (_status_kib("VmHWM") - base_kib) / 1024


def _check(
    size: int, miss: tuple[int, dict[str, t.Any]], hit: tuple[int, dict[str, t.Any]], origin: int
) -> str:
    problems = []
    if miss[0] != size or hit[0] != size:
        problems.append(f"body lengths {miss[0]}, {hit[0]}")
    if miss[1].get("from_cache"):
        problems.append("the miss came from the cache")
    if not hit[1].get("from_cache"):
        problems.append("the hit did not come from the cache")
    if origin != 2:  # the floor's request and the miss
        problems.append(f"{origin} origin requests (expected 2)")
    return "ok" if not problems else "FAIL " + "; ".join(problems)


def _check_reval(verification: str, size: int, reval: tuple[int, dict[str, t.Any]]) -> str:
    if reval[0] == size and reval[1].get("revalidated") and reval[1].get("from_cache"):
        return verification
    problem = f"the revalidation gave {reval[0]} bytes, extensions {reval[1]}"
    return problem if verification == "ok" else f"{verification}; {problem}"


def child_sync(storage: str, size: int, res: Resources) -> dict[str, t.Any]:
    origin = MockOrigin()
    url = f"{origin.base_url}/stream/{size}/big"
    backend = open_sync(storage, res, capacity=8)
    try:
        floor = httpx.Client(transport=origin.transport(False), trust_env=False)
        ours = hishel.CacheClient(
            storage=backend.storage, transport=origin.transport(False), trust_env=False
        )

        def stream(client: httpx.Client, target: str) -> tuple[int, dict[str, t.Any]]:
            total = 0
            with client.stream("GET", target) as response:
                for chunk in response.iter_bytes():
                    total += len(chunk)
            return total, dict(response.extensions)

        with floor, ours:
            warm = f"{origin.base_url}/fresh/1024/warm"
            stream(floor, warm), stream(ours, warm), stream(ours, warm)
            before = origin.requests
            base = _reset_peak()
            stream(floor, url)
            floor_mib = _rise_mib(base)
            base = _reset_peak()
            miss = stream(ours, url)
            miss_mib = _rise_mib(base)
            base = _reset_peak()
            hit = stream(ours, url)
            hit_mib = _rise_mib(base)
            verification = _check(size, miss, hit, origin.requests - before)
            reval_url = f"{origin.base_url}/streval/{size}/big"
            stream(ours, reval_url)  # stored with max-age=0 and an ETag
            base = _reset_peak()
            reval = stream(ours, reval_url)
            reval_mib = _rise_mib(base)
            verification = _check_reval(verification, size, reval)
    finally:
        close_sync(backend)
    return {
        "floor_mib": floor_mib,
        "miss_mib": miss_mib,
        "hit_mib": hit_mib,
        "revalidate_mib": reval_mib,
        "verification": verification,
    }


async def child_async(storage: str, size: int, res: Resources) -> dict[str, t.Any]:
    origin = MockOrigin()
    url = f"{origin.base_url}/stream/{size}/big"
    backend = await open_async(storage, res, capacity=8)
    try:
        floor = httpx.AsyncClient(transport=origin.transport(True), trust_env=False)
        ours = hishel.AsyncCacheClient(
            storage=backend.storage, transport=origin.transport(True), trust_env=False
        )

        async def stream(client: httpx.AsyncClient, target: str) -> tuple[int, dict[str, t.Any]]:
            total = 0
            async with client.stream("GET", target) as response:
                async for chunk in response.aiter_bytes():
                    total += len(chunk)
            return total, dict(response.extensions)

        async with floor, ours:
            warm = f"{origin.base_url}/fresh/1024/warm"
            await stream(floor, warm)
            await stream(ours, warm)
            await stream(ours, warm)
            before = origin.requests
            base = _reset_peak()
            await stream(floor, url)
            floor_mib = _rise_mib(base)
            base = _reset_peak()
            miss = await stream(ours, url)
            miss_mib = _rise_mib(base)
            base = _reset_peak()
            hit = await stream(ours, url)
            hit_mib = _rise_mib(base)
            verification = _check(size, miss, hit, origin.requests - before)
            reval_url = f"{origin.base_url}/streval/{size}/big"
            await stream(ours, reval_url)  # stored with max-age=0 and an ETag
            base = _reset_peak()
            reval = await stream(ours, reval_url)
            reval_mib = _rise_mib(base)
            verification = _check_reval(verification, size, reval)
    finally:
        await close_async(backend)
    return {
        "floor_mib": floor_mib,
        "miss_mib": miss_mib,
        "hit_mib": hit_mib,
        "revalidate_mib": reval_mib,
        "verification": verification,
    }


def child(argv: list[str]) -> None:
    storage, mode, size_text, endpoint = argv
    size = int(size_text)
    res = Resources(None if endpoint == "-" else endpoint)
    try:
        if mode == "sync":
            result = child_sync(storage, size, res)
        else:
            result = asyncio.run(child_async(storage, size, res))
    finally:
        res.close()
    result.update(storage=storage, mode=mode, body_mib=size / MIB)
    print(json.dumps(result))


def run_memory(
    storages: list[str], modes: list[str], size: int, res: Resources
) -> t.Iterator[dict[str, t.Any]]:
    """One child per storage and mode; yields each child's result (or its error)."""
    for storage in storages:
        for mode in modes:
            endpoint = res.s3_endpoint() if storage == "s3" else "-"
            command = [sys.executable, str(HERE / "_memory.py"), storage, mode, str(size), endpoint]
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=900)
                lines = done.stdout.strip().splitlines()
                if done.returncode or not lines:
                    raise RuntimeError(done.stderr.strip() or f"exit status {done.returncode}")
                yield json.loads(lines[-1])
            except Exception as exc:
                yield {"storage": storage, "mode": mode, "error": f"{type(exc).__name__}: {exc}"}


if __name__ == "__main__":
    child(sys.argv[1:])
