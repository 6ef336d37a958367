"""The one clock: anything with ``now() -> float`` (epoch seconds).

The Controller, every storage and the flow's storage breaker read time only through a
``Clock``; tests inject a fake one instead of sleeping.
"""

from __future__ import annotations

import time
import typing as t

__all__ = ["Clock", "SystemClock", "check_clock"]


class Clock(t.Protocol):
    """Anything with ``now() -> float`` (epoch seconds)."""

    def now(self) -> float: ...


class SystemClock:
    """The wall clock (``time.time``)."""

    def now(self) -> float:
        return time.time()


def check_clock(clock: Clock | None) -> Clock:
    """The given clock, or the system clock; a clear error for anything without ``now()``."""
    if clock is None:
        return SystemClock()
    if not callable(getattr(clock, "now", None)):
        raise TypeError("clock must be an object with a now() method returning epoch seconds")
    return clock
