"""Hand-written async/sync pairs for what a line rewrite cannot express.

``scripts/unasync.py`` turns ``async_x`` into ``x`` and ``AsyncX`` into ``X``, so async code
calls the left member of a pair and the generated sync code the right one.
"""

from __future__ import annotations

import functools
import threading
import typing as t

import anyio
import anyio.to_thread

T = t.TypeVar("T")


async def async_to_thread(fn: t.Callable[..., T], *args: t.Any, **kwargs: t.Any) -> T:
    """Run a blocking call in a worker thread (async side)."""
    return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs))


def to_thread(fn: t.Callable[..., T], *args: t.Any, **kwargs: t.Any) -> T:
    """Run a blocking call in the calling thread (sync side)."""
    return fn(*args, **kwargs)


class AsyncLock:
    """A lock for tasks (async side); created lazily so it can be built outside a loop."""

    def __init__(self) -> None:
        self._lock: anyio.Lock | None = None

    async def __aenter__(self) -> None:
        if self._lock is None:
            self._lock = anyio.Lock()
        await self._lock.acquire()

    async def __aexit__(self, *args: object) -> None:
        assert self._lock is not None
        self._lock.release()


class Lock:
    """A lock for threads (sync side)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, *args: object) -> None:
        self._lock.release()
