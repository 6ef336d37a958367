"""Command line: ``python -m hishel demo`` (also the ``hishel`` console script).

The demo starts the package's loopback origin (``hishel._tools._origin``, the one the tests and the
benchmarks use) on 127.0.0.1 (in a thread, HTTP/1.1, ~200 ms per response),
sends a fixed list of requests through ``hishel.CacheClient()`` with the default storage (a
``FileStorage`` in ``./.hishel_cache``), prints where each response came from, then sends the
same requests through plain httpx to measure what the cache saved. The origin listens on a
fixed port so that a second run finds the entries of the first one: the cache key contains the
URL, port included.

Like any Unix tool, ``hishel ... | head -1`` ends quietly when the reader of its output goes
away: no traceback, exit code 141 (128 + SIGPIPE, what a shell reports for a tool the signal
ended, so ``set -o pipefail`` sees the same as with ``cat``).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

import hishel
from hishel._tools._origin import Origin

from . import _cli

__all__ = ["main"]

CLOSED_PIPE = 141  # the exit code when stdout is a pipe whose reader went away (128 + SIGPIPE)
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


def _demo(port: int, delay: float, clear: bool) -> int:
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hishel", description="hishel: an HTTP cache for httpx")
    parser.add_argument("--version", action="version", version=f"hishel {hishel.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="command")
    demo = commands.add_parser(
        "demo",
        help="run a local origin and show what the cache does",
        description="Send requests to a local origin through hishel.CacheClient() and show "
        "where each response came from. The cache is ./.hishel_cache in the current directory.",
    )
    demo.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"origin port (default {DEFAULT_PORT}; fixed so runs share cache keys)",
    )
    demo.add_argument(
        "--delay",
        type=float,
        default=DEFAULT_DELAY,
        help=f"seconds the origin takes per response (default {DEFAULT_DELAY})",
    )
    demo.add_argument("--clear", action="store_true", help="remove ./.hishel_cache first")
    _cli.add_cache_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m hishel`` and the ``hishel`` script; returns the exit code
    (``CLOSED_PIPE`` when the reader of stdout went away)."""
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()  # (also after --help: a closed pipe fails here, not at exit)
    except BrokenPipeError:
        _drop_stdout()
        return CLOSED_PIPE


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so what is still buffered is not written to the closed
    pipe again at exit (Python would report it as "Exception ignored")."""
    with contextlib.suppress(OSError, ValueError):  # (not a real file: nothing to drop)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "cache":
        return _cli.run(args)
    if args.command != "demo":
        parser.print_help()
        return 2
    try:
        return _demo(port=args.port, delay=args.delay, clear=args.clear)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
