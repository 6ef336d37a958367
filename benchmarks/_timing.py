"""Adaptive timing: warm up, pick N so a batch takes ``batch_seconds``, then alternate floor
and hishel batches (and, for some rows, a third side: the minimal writer of ``_writer.py``)
``repeats`` times and keep the median µs per request of each.

Alternating the sides in one loop means drift on a noisy machine (frequency scaling, a
neighbour's load) hits them alike; each ratio is the median of the per-repeat ratios (each
hishel batch over the floor / writer batch of the same repeat), which cancels most of that
drift. ``Plan.clock`` is what the batches read: wall time (``time.perf_counter``) or this
process's CPU time (``time.process_time``, steadier on a loaded machine).
"""

from __future__ import annotations

import gc
import statistics
import time
import typing as t
from dataclasses import dataclass, replace

Batch = t.Callable[[int], float]  # runs n requests, returns the seconds they took
ABatch = t.Callable[[int], t.Awaitable[float]]


@dataclass(frozen=True)
class Plan:
    batch_seconds: float = 0.05
    repeats: int = 7
    min_n: int = 3
    max_n: int = 20_000
    fill: int = 10_000  # entries stored before the hit10k case
    fill_s3: int = 1_000  # S3 (moto) stores take milliseconds each: fewer
    clock: t.Callable[[], float] = time.perf_counter  # read by every batch


CLOCKS: dict[str, t.Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}


QUICK = Plan(batch_seconds=0.01, repeats=3, min_n=2, max_n=2_000, fill=1_000, fill_s3=100)


@dataclass(frozen=True)
class Timing:
    floor_us: float
    ours_us: float
    floor_n: int
    ours_n: int
    ratio: float  # median of the per-repeat ratios
    floor_spread: float  # (max - min) / median over the repeats
    ours_spread: float
    writer_us: float | None = None  # the third side, when there is one
    writer_n: int = 0
    writer_ratio: float | None = None  # median of the per-repeat ratios hishel / writer
    writer_spread: float = 0.0


def _n_for(elapsed: float, n: int, plan: Plan) -> int:
    per = max(elapsed / n, 1e-9)
    return max(plan.min_n, min(plan.max_n, round(plan.batch_seconds / per)))


def _summary(samples: list[float]) -> tuple[float, float]:
    median = statistics.median(samples)
    return median, (max(samples) - min(samples)) / median if median else 0.0


def _ratio(base: list[float], ours: list[float]) -> float:
    return statistics.median(b / a for a, b in zip(base, ours, strict=True))


def _result(samples: dict[str, list[float]], ns: dict[str, int]) -> Timing:
    (f, fs), (o, os_) = _summary(samples["floor"]), _summary(samples["ours"])
    timing = Timing(
        f, o, ns["floor"], ns["ours"], _ratio(samples["floor"], samples["ours"]), fs, os_
    )
    if "writer" not in samples:
        return timing
    w, ws = _summary(samples["writer"])
    ratio = _ratio(samples["writer"], samples["ours"])
    return replace(timing, writer_us=w, writer_n=ns["writer"], writer_ratio=ratio, writer_spread=ws)


def calibrate(batch: Batch, plan: Plan) -> int:
    batch(1)  # warm-up: imports, connections, first-use caches
    n = 1
    while True:
        elapsed = batch(n)
        if elapsed >= plan.batch_seconds / 4 or n >= plan.max_n:
            return _n_for(elapsed, n, plan)
        n *= 4


def measure(floor: Batch, ours: Batch, plan: Plan, writer: Batch | None = None) -> Timing:
    """Alternate floor, writer (when given) and hishel batches; ratios per repeat."""
    sides = {"floor": floor, **({"writer": writer} if writer else {}), "ours": ours}
    ns = {name: calibrate(batch, plan) for name, batch in sides.items()}
    samples: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(plan.repeats):
        for name, batch in sides.items():
            gc.collect()
            samples[name].append(batch(ns[name]) / ns[name] * 1e6)
    return _result(samples, ns)


async def acalibrate(batch: ABatch, plan: Plan) -> int:
    await batch(1)
    n = 1
    while True:
        elapsed = await batch(n)
        if elapsed >= plan.batch_seconds / 4 or n >= plan.max_n:
            return _n_for(elapsed, n, plan)
        n *= 4


async def ameasure(floor: ABatch, ours: ABatch, plan: Plan, writer: ABatch | None = None) -> Timing:
    sides = {"floor": floor, **({"writer": writer} if writer else {}), "ours": ours}
    ns = {name: await acalibrate(batch, plan) for name, batch in sides.items()}
    samples: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(plan.repeats):
        for name, batch in sides.items():
            gc.collect()
            samples[name].append(await batch(ns[name]) / ns[name] * 1e6)
    return _result(samples, ns)
