"""``python -m stress [--short] [--only CHECKS] [--backends KINDS]``: run the stress checks.

Prints one figure line per check (per store for the per-store checks) and exits 1 when any
check misses its bound (or fails to run), 0 otherwise. See ``stress/__init__.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import time
import traceback
import typing as t
from dataclasses import dataclass

from ._common import Figure, WarningCounter, redis_cluster, redis_server

CHECKS = ("concurrency", "kills", "frozen", "secrets", "fuzz")
STORES = ("file", "sqlite", "redis", "redis-cluster")


@dataclass(frozen=True)
class Mode:
    """The counts and time budgets of one mode."""

    procs: int
    requests: int
    concurrency_budget: float  # seconds per store
    kills: int
    frozen_requests: int
    fuzz_examples: int
    fuzz_budget: float


SHORT = Mode(
    procs=3,
    requests=150,
    concurrency_budget=15,
    kills=8,
    frozen_requests=4,
    fuzz_examples=100,
    fuzz_budget=10,
)
FULL = Mode(
    procs=8,
    requests=2000,
    concurrency_budget=240,
    kills=100,
    frozen_requests=30,
    fuzz_examples=1500,
    fuzz_budget=150,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/stress", description=__doc__)
    parser.add_argument("--short", action="store_true", help="small counts (scripts/test)")
    parser.add_argument("--only", default=",".join(CHECKS), help="checks to run, comma-separated")
    parser.add_argument(
        "--backends", default=",".join(STORES), help="stores for concurrency and kills"
    )
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    stores = [name.strip() for name in args.backends.split(",") if name.strip()]
    unknown = [name for name in only if name not in CHECKS] + [
        name for name in stores if name not in STORES
    ]
    if unknown:
        parser.error(f"unknown check or store: {', '.join(unknown)}")
    mode = SHORT if args.short else FULL
    # SIGTERM (scripts/test's trap, a Ctrl-C'd parent) unwinds like Ctrl-C: finally blocks run.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    figures: list[Figure] = []
    print(f"==> stress ({'short' if args.short else 'full'} mode)", flush=True)
    with contextlib.ExitStack() as stack:
        ports = {"redis": 0, "redis-cluster": 0}
        if {"concurrency", "kills"} & set(only) and "redis" in stores:
            ports["redis"], _ = stack.enter_context(redis_server())
        if {"concurrency", "kills"} & set(only) and "redis-cluster" in stores:
            ports["redis-cluster"] = stack.enter_context(redis_cluster())
        for check in only:
            for runner in _runners(check, mode, stores, ports):
                figures.append(_run(runner))
    failed = [figure for figure in figures if not figure.ok]
    total = time.monotonic() - started
    print(f"==> stress: {len(figures) - len(failed)}/{len(figures)} within bounds, {total:.1f} s")
    return 1 if failed else 0


def _runners(
    check: str, mode: Mode, stores: list[str], ports: dict[str, int]
) -> list[t.Callable[[], Figure]]:
    if check == "concurrency":
        from . import _concurrency

        return [
            _bind(
                _concurrency.run,
                kind,
                mode.procs,
                mode.requests,
                mode.concurrency_budget,
                **({"redis_port": ports[kind]} if kind in ports else {}),
            )
            for kind in stores
        ]
    if check == "kills":
        from . import _kills

        return [
            _bind(
                _kills.run,
                kind,
                mode.kills,
                **({"redis_port": ports[kind]} if kind in ports else {}),
            )
            for kind in stores
        ]
    if check == "frozen":
        from . import _frozen

        return [_bind(_frozen.run, mode.frozen_requests)]
    if check == "secrets":
        from . import _secrets

        return [_bind(_secrets.run)]
    from . import _fuzz

    return [_bind(_fuzz.run, mode.fuzz_examples, mode.fuzz_budget)]


def _bind(fn: t.Callable[..., Figure], *args: t.Any, **kwargs: t.Any) -> t.Callable[[], Figure]:
    return lambda: fn(*args, **kwargs)


def _run(runner: t.Callable[[], Figure]) -> Figure:
    try:
        with WarningCounter():  # hishel's warnings (expected when a backend is frozen) kept off
            figure = runner()
    except Exception as exc:
        traceback.print_exc()
        figure = Figure(f"check FAILED to run: {type(exc).__name__}: {exc}", False)
    mark = "" if figure.ok else "   <-- MISSED ITS BOUND"
    print(figure.line + mark, flush=True)
    return figure


if __name__ == "__main__":
    sys.exit(main())
