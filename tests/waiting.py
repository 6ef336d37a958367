"""Polling for background work (a refresh, a thread), never for a freshness lifetime."""

from __future__ import annotations

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


async def async_pause(seconds: float) -> None:
    """Yield to background work for a moment."""
    await anyio.sleep(seconds)


def pause(seconds: float) -> None:
    """Yield to background threads for a moment."""
    time.sleep(seconds)
