"""Checks of constructor arguments and of storage-level expiry, shared by every storage."""

from __future__ import annotations

from datetime import timedelta

__all__ = ["check_number", "check_ttl", "expired"]


def expired(stored_at: float, ttl: float | None, now: float) -> bool:
    """Whether an entry stored at ``stored_at`` has outlived ``ttl`` seconds at ``now``."""
    return ttl is not None and now - stored_at >= ttl


def check_number(
    name: str, value: object, *, minimum: float = 0, integer: bool = False
) -> float | None:
    """Validate an optional numeric constructor argument; fail with a clear message."""
    if value is None:
        return None
    ok = isinstance(value, int) or (not integer and isinstance(value, float))
    if isinstance(value, bool) or not isinstance(value, int | float) or not ok or value < minimum:
        what = "an integer" if integer else "a number"
        raise ValueError(f"{name} must be {what} >= {minimum}, not {value!r}")
    return value


def check_ttl(name: str, value: object) -> float | None:
    """Seconds from a number or a ``timedelta`` (None: no limit)."""
    if isinstance(value, timedelta):
        value = value.total_seconds()
    return check_number(name, value)
