"""The demo: ``hishel demo`` / ``python -m hishel demo``.

The demo starts the package's loopback origin (``hishel._tools._origin``, the one the tests and the
benchmarks use) on 127.0.0.1 (in a thread, HTTP/1.1, ~200 ms per response),
sends a fixed list of requests through ``hishel.CacheClient()`` with the default storage (a
``FileStorage`` in ``./.hishel_cache``), prints where each response came from, then sends the
same requests through plain httpx to measure what the cache saved. The origin listens on a
fixed port so that a second run finds the entries of the first one: the cache key contains the
URL, port included.
"""

from __future__ import annotations

import errno
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

import hishel
from hishel._tools._origin import Origin

__all__ = ["DEFAULT_DELAY", "DEFAULT_PORT", "run_demo"]

DEFAULT_PORT = 8765
DEFAULT_DELAY = 0.2
CACHE_DIR = Path(".hishel_cache")  # FileStorage's default base path, relative to the cwd
LAST_MODIFIED = "Mon, 01 Jan 2024 00:00:00 GMT"  # fixed, so a later run can revalidate


@dataclass(frozen=True)
class _Route:
    headers: tuple[tuple[str, str], ...]
    explanation: str
    etag: str | None = None
    last_modified: str | None = None


ROUTES: dict[str, _Route] = {
    "/fresh": _Route(
        (("Cache-Control", "max-age=3600"),),
        "reused without asking while fresh",
    ),
    "/etag": _Route(
        (("Cache-Control", "no-cache"), ("ETag", '"v1"')),
        "revalidated each time: If-None-Match -> 304",
        etag='"v1"',
    ),
    "/modified": _Route(
        (("Cache-Control", "max-age=0"), ("Last-Modified", LAST_MODIFIED)),
        "stale at once: If-Modified-Since -> 304",
        last_modified=LAST_MODIFIED,
    ),
    "/no-store": _Route(
        (("Cache-Control", "no-store"),),
        "never stored",
    ),
}

PLAN = ["/fresh", "/fresh", "/etag", "/etag", "/modified", "/modified", "/no-store", "/fresh"]


def _start_origin(port: int, delay: float) -> tuple[Origin, str | None]:
    note = None
    origin = Origin(port)
    try:
        origin.start()
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        origin = Origin()
        origin.start()
        note = (
            f"port {port} is busy, using {origin.port} instead: cache keys contain the "
            "port, so entries from earlier runs will not match"
        )
    for path, route in ROUTES.items():
        body = json.dumps({"path": path}).encode() + b"\n"
        validators = {"etag", "last-modified"}  # sent by the origin from etag=/last_modified=
        headers = [(n, v) for n, v in route.headers if n.lower() not in validators]
        origin.route(
            path,
            headers=[*headers, ("Content-Type", "application/json")],
            body=body,
            etag=route.etag,
            last_modified=route.last_modified,
            delay=delay,  # a realistic round trip plus server time
        )
    return origin, note


def _cache_files() -> int:
    if not CACHE_DIR.is_dir():
        return 0
    return sum(1 for path in CACHE_DIR.rglob("*") if path.is_file())


def _served_from(response: httpx.Response, seen_before: bool) -> str:
    earlier = "" if seen_before else " *"  # stored by an earlier run of the demo
    if response.extensions.get("revalidated", False):
        return "revalidated (304)" + earlier
    if response.extensions.get("from_cache", False):
        return "cache" + earlier
    return "network"


def _row(number: str, request: str, status: str, served: str, elapsed: str, width: int) -> str:
    return f"{number:>2}  {request:<{width}}  {status:>6}  {served:<19}  {elapsed:>8}"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def run_demo(port: int, delay: float, clear: bool) -> int:
    if clear and CACHE_DIR.exists():
        shutil.rmtree(CACHE_DIR)
        print(f"removed {CACHE_DIR}/")
    server, note = _start_origin(port, delay)
    base = server.base_url
    try:
        print(f"origin  {base}  (every response takes ~{delay * 1000:.0f} ms)")
        for path, route in ROUTES.items():
            fields = dict(route.headers)
            validator = "ETag" if route.etag else "Last-Modified" if route.last_modified else ""
            print(
                f"  {path:<10} Cache-Control: {fields['Cache-Control']:<13} {validator:<14}"
                f"{route.explanation}"
            )
        if note:
            print(f"note: {note}")
        files = _cache_files()
        state = f"{files} files left by an earlier run" if files else "empty"
        print(f"cache   FileStorage in ./{CACHE_DIR}/ ({state})")
        print()

        width = max(len(f"GET {path}") for path in PLAN)
        print(_row("#", "request", "status", "served from", "time", width))
        seen: set[str] = set()
        earlier_run = False
        started = time.perf_counter()
        with hishel.CacheClient() as client:
            for number, path in enumerate(PLAN, start=1):
                t0 = time.perf_counter()
                response = client.get(base + path)
                elapsed = time.perf_counter() - t0
                served = _served_from(response, path in seen)
                earlier_run = earlier_run or served.endswith(" *")
                seen.add(path)
                status = str(response.status_code)
                print(_row(str(number), f"GET {path}", status, served, _ms(elapsed), width))
        cached_total = time.perf_counter() - started
        reached, not_modified = server.count(), server.answered(304)
        if earlier_run:
            print(
                f"\n* stored by an earlier run in ./{CACHE_DIR}/: the origin keeps its port, "
                "so the cache keys match"
            )

        started = time.perf_counter()
        with httpx.Client() as plain:
            for path in PLAN:
                plain.get(base + path).raise_for_status()
        plain_total = time.perf_counter() - started

        print(
            f"\n{len(PLAN)} requests, {reached} reached the origin ({not_modified} answered "
            f"304 Not Modified).\n{_ms(cached_total)} with hishel vs {_ms(plain_total)} "
            "without the cache (the same requests through plain httpx, measured just now)."
        )
        print("Run it again to be served from the file cache; --clear starts afresh.")
        return 0
    finally:
        server.stop()
