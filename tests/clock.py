"""The one fake clock of the test suite (pytest plugin, fixture ``clock``).

Every time-dependent part of hishel (the Controller, the storages, the breaker) takes a clock
with a ``now()`` method; tests hand it this one and move time with ``advance`` instead of
sleeping out a lifetime.

    def test_expiry(clock):
        storage = hishel.InMemoryStorage(ttl=10, clock=clock)
        ...
        clock.advance(11)
"""

from __future__ import annotations

import time

import pytest

__all__ = ["FakeClock", "clock"]


class FakeClock:
    """``now()`` stands still until ``advance``; starts at ``start`` or at the real time."""

    def __init__(self, start: float | None = None) -> None:
        self.current = time.time() if start is None else start

    def now(self) -> float:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += seconds


@pytest.fixture
def clock() -> FakeClock:
    """A fresh fake clock at the current real time."""
    return FakeClock()
