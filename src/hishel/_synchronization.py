"""hishel 0.1's ``hishel._synchronization`` import path: ``AsyncLock`` (tasks) and ``Lock``
(threads), context managers as in 0.1, from ``hishel._core._concurrency``."""

from __future__ import annotations

from ._core._concurrency import AsyncLock, Lock

__all__ = ["AsyncLock", "Lock"]
