"""``async_deadline``: the bound on every storage call (asyncio's timer, trio's anyio scope)."""

from __future__ import annotations

import asyncio

import anyio
import pytest

from hishel._core._concurrency import async_deadline


@pytest.mark.anyio
async def test_a_deadline_that_passes_raises_timeout_error() -> None:
    with pytest.raises(TimeoutError), async_deadline(0.01):
        await anyio.sleep(5)
    await anyio.sleep(0)  # the task is not left cancelled


@pytest.mark.anyio
async def test_a_block_within_its_deadline_returns_and_leaves_no_timer() -> None:
    with async_deadline(0.05):
        await anyio.sleep(0)
    await anyio.sleep(0.1)  # past the deadline: nothing fires later


@pytest.mark.anyio
async def test_a_deadline_inside_an_anyio_scope_belongs_to_the_inner_block() -> None:
    with anyio.fail_after(5):
        with pytest.raises(TimeoutError), async_deadline(0.01):
            await anyio.sleep(5)
        await anyio.sleep(0)
    with anyio.move_on_after(0.01) as scope:  # the outer scope's cancellation is its own
        with async_deadline(5):
            await anyio.sleep(5)
    assert scope.cancelled_caught


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_a_cancellation_from_outside_is_not_a_timeout(anyio_backend: str) -> None:
    started = asyncio.Event()

    async def call() -> None:
        with async_deadline(5):
            started.set()
            await asyncio.sleep(5)

    task = asyncio.create_task(call())
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
