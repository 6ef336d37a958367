"""Checks of constructor arguments and of storage-level expiry, shared by every storage."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

__all__ = ["check_base_path", "check_number", "check_ttl", "expired"]


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


def check_base_path(path: Path) -> None:
    """Fail at construction, naming the path and the fix, when ``path`` cannot hold the
    cache: a file, or a directory (or the nearest existing parent) that cannot be written.
    Nothing is created here: the folder is made on the first store."""
    if path.exists() and not path.is_dir():
        raise ValueError(
            f"FileStorage base_path {str(path)!r} is a file, not a directory: "
            "pass a directory path (it is created when missing)"
        )
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise ValueError(
            f"FileStorage base_path {str(path)!r} cannot be created: {str(probe)!r} is a "
            "file; pass a path under a directory"
        )
    if not os.access(probe, os.W_OK | os.X_OK):
        what = "is not writable" if probe == path else f"cannot be created in {str(probe)!r}"
        raise PermissionError(
            f"FileStorage base_path {str(path)!r} {what}: give this user write access, "
            "or pass a writable base_path"
        )
