"""Adaptive timing: warm up, pick N so a batch takes ``batch_seconds``, then alternate floor
and hishel batches ``repeats`` times and keep the median µs per request of each.

Alternating the two in one loop means drift on a noisy machine (frequency scaling, a
neighbour's load) hits both sides alike; the ratio is the median of the per-repeat ratios
(each hishel batch over the floor batch just before it), which cancels most of that drift.
"""

from __future__ import annotations

import gc
import statistics
import typing as t
from dataclasses import dataclass

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


def _n_for(elapsed: float, n: int, plan: Plan) -> int:
    per = max(elapsed / n, 1e-9)
    return max(plan.min_n, min(plan.max_n, round(plan.batch_seconds / per)))


def _summary(samples: list[float]) -> tuple[float, float]:
    median = statistics.median(samples)
    return median, (max(samples) - min(samples)) / median if median else 0.0


def _result(floor: list[float], ours: list[float], nf: int, no: int) -> Timing:
    (f, fs), (o, os_) = _summary(floor), _summary(ours)
    ratio = statistics.median(b / a for a, b in zip(floor, ours, strict=True))
    return Timing(f, o, nf, no, ratio, fs, os_)


def calibrate(batch: Batch, plan: Plan) -> int:
    batch(1)  # warm-up: imports, connections, first-use caches
    n = 1
    while True:
        elapsed = batch(n)
        if elapsed >= plan.batch_seconds / 4 or n >= plan.max_n:
            return _n_for(elapsed, n, plan)
        n *= 4


def measure(floor: Batch, ours: Batch, plan: Plan) -> Timing:
    nf, no = calibrate(floor, plan), calibrate(ours, plan)
    f_samples: list[float] = []
    o_samples: list[float] = []
    for _ in range(plan.repeats):
        gc.collect()
        f_samples.append(floor(nf) / nf * 1e6)
        gc.collect()
        o_samples.append(ours(no) / no * 1e6)
    return _result(f_samples, o_samples, nf, no)


async def acalibrate(batch: ABatch, plan: Plan) -> int:
    await batch(1)
    n = 1
    while True:
        elapsed = await batch(n)
        if elapsed >= plan.batch_seconds / 4 or n >= plan.max_n:
            return _n_for(elapsed, n, plan)
        n *= 4


async def ameasure(floor: ABatch, ours: ABatch, plan: Plan) -> Timing:
    nf, no = await acalibrate(floor, plan), await acalibrate(ours, plan)
    f_samples: list[float] = []
    o_samples: list[float] = []
    for _ in range(plan.repeats):
        gc.collect()
        f_samples.append(await floor(nf) / nf * 1e6)
        gc.collect()
        o_samples.append(await ours(no) / no * 1e6)
    return _result(f_samples, o_samples, nf, no)
