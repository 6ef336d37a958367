"""Waiting for background work (a refresh, a thread) with a deadline, never for a freshness
lifetime (that is the fake clock's job). The async/sync names pair up under unasync."""

from __future__ import annotations

import threading
import time
import typing as t

import anyio


async def async_wait_for(predicate: t.Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await anyio.sleep(0.01)
    return True


def wait_for(predicate: t.Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


async def async_eventually(check: t.Callable[[], t.Awaitable[bool]], timeout: float = 5.0) -> bool:
    """Run ``check`` until it says yes (background work has landed) or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            return False
        await anyio.sleep(0.01)
    return True


def eventually(check: t.Callable[[], bool], timeout: float = 5.0) -> bool:
    """Run ``check`` until it says yes (background work has landed) or ``timeout`` passes."""
    return wait_for(check, timeout)


async def async_concurrently(fns: t.Sequence[t.Callable[[], t.Awaitable[None]]]) -> None:
    """Run every ``fn`` at once (one task each) and wait for them all."""
    async with anyio.create_task_group() as group:
        for fn in fns:
            group.start_soon(fn)


def concurrently(fns: t.Sequence[t.Callable[[], None]], timeout: float = 30.0) -> None:
    """Run every ``fn`` at once (one thread each) and wait for them all."""
    threads = [threading.Thread(target=fn) for fn in fns]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
        assert not thread.is_alive(), f"a thread still runs after {timeout} s"
