"""Hand-written async/sync pairs for what a line rewrite cannot express.

``scripts/unasync.py`` turns ``async_x`` into ``x`` and ``AsyncX`` into ``X``, so async code
calls the left member of a pair and the generated sync code the right one.
"""

from __future__ import annotations

import asyncio
import contextlib
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


async def async_abandoning_thread(fn: t.Callable[..., T], *args: t.Any, **kwargs: t.Any) -> T:
    """A blocking call in a worker thread that a deadline may leave behind (async side):
    on cancellation the caller goes on and the thread's result is dropped."""
    call = functools.partial(fn, *args, **kwargs)
    return await anyio.to_thread.run_sync(call, abandon_on_cancel=True)


def abandoning_thread(fn: t.Callable[..., T], *args: t.Any, **kwargs: t.Any) -> T:
    """A blocking call in the calling thread (sync side: its client's timeouts bound it,
    those of a private client the storage made, ``_s3_bound``)."""
    return fn(*args, **kwargs)


def async_in_trio() -> bool:
    """Whether this task runs under trio, anyio's other backend (async side; read at each
    call): no asyncio loop is running. redis-py's asyncio client needs one."""
    return asyncio._get_running_loop() is None


def in_trio() -> bool:
    """Never on the sync side: sync code calls its clients directly."""
    return False


def async_in_event_loop() -> bool:
    """Whether this side's code runs in an event loop's thread, where a blocking call holds
    every other task (async side: yes; a worker-thread hop is what avoids that)."""
    return True


def in_event_loop() -> bool:
    """The sync side blocks only its own caller."""
    return False


class AsyncWorkerThreads:
    """Blocking calls in at most ``n`` worker threads at once (async side; the limiter is
    made lazily, inside the running loop). A call whose deadline passes is left to finish
    in its thread, still holding its place: its client's socket timeouts bound it."""

    def __init__(self, n: int) -> None:
        self._n = n
        self._limiter: anyio.CapacityLimiter | None = None

    async def run(self, fn: t.Callable[..., T], *args: t.Any) -> T:
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self._n)
        call = functools.partial(fn, *args)
        return await anyio.to_thread.run_sync(call, abandon_on_cancel=True, limiter=self._limiter)


class WorkerThreads:
    """Sync side: the call runs in the calling thread."""

    def __init__(self, n: int) -> None:
        self._n = n

    def run(self, fn: t.Callable[..., T], *args: t.Any) -> T:
        return fn(*args)


_asyncio_timeout = getattr(asyncio, "timeout", None)  # Python 3.11+


def async_deadline(seconds: float | None) -> t.ContextManager[t.Any]:
    """Cancel the block after ``seconds`` with ``TimeoutError`` (async side; None: no bound).

    Under asyncio (3.11+) its own ``timeout``, which costs a fraction of anyio's cancel
    scope on a path taken by every storage call; under trio (or 3.10) anyio's."""
    if seconds is None:
        return _NO_DEADLINE
    if _asyncio_timeout is not None and not async_in_trio():
        return t.cast("t.ContextManager[t.Any]", _AsyncioDeadline(seconds))
    return anyio.fail_after(seconds)


_NO_DEADLINE = contextlib.nullcontext()


class _AsyncioDeadline:
    """``asyncio.timeout`` as a plain context manager (its enter and exit never await): the
    task is cancelled at the deadline and that cancellation, and only it, is turned into
    ``TimeoutError``; a cancellation from outside still propagates."""

    __slots__ = ("_cancelling", "_fired", "_handle", "_seconds", "_task")
    _task: t.Any
    _handle: asyncio.TimerHandle
    _cancelling: int

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._fired = False

    def __enter__(self) -> _AsyncioDeadline:
        task: t.Any = asyncio.current_task()  # (3.11+: cancelling / uncancel)
        if task is None:
            raise RuntimeError("a storage deadline needs a running asyncio task")
        self._task = task
        self._cancelling = task.cancelling()
        self._handle = task.get_loop().call_later(self._seconds, self._fire)
        return self

    def _fire(self) -> None:
        self._fired = True
        self._task.cancel()

    def __exit__(self, exc_type: type[BaseException] | None, exc: object, tb: object) -> None:
        self._handle.cancel()
        ours = self._fired and self._task.uncancel() <= self._cancelling
        if ours and exc_type is asyncio.CancelledError:
            raise TimeoutError("the storage call took longer than its timeout")


def deadline(seconds: float | None) -> t.ContextManager[t.Any]:
    """No bound on the sync side: a blocking call cannot be interrupted; storages bound
    their calls with the socket timeouts of the clients they call through instead (their
    own, or private ones made from a client passed in: ``_redis_bound``, ``_s3_bound``)."""
    return _NO_DEADLINE


def _new_lock() -> anyio.Lock:
    try:  # anyio 4.5+: an uncontended acquire does not yield to the event loop
        return anyio.Lock(fast_acquire=True)
    except TypeError:
        return anyio.Lock()


class AsyncLock:
    """A lock for tasks (async side); created lazily so it can be built outside a loop."""

    def __init__(self) -> None:
        self._lock: anyio.Lock | None = None

    async def __aenter__(self) -> None:
        if self._lock is None:
            self._lock = _new_lock()
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


class AsyncEvent:
    """A one-shot event for tasks (async side); created lazily inside the running loop."""

    def __init__(self) -> None:
        self._event: anyio.Event | None = None
        self._set = False

    def set(self) -> None:
        self._set = True
        if self._event is not None:
            self._event.set()

    async def wait(self, timeout: float) -> bool:
        """Wait until set or ``timeout`` seconds pass; return whether it was set."""
        if self._set:
            return True
        if self._event is None:
            self._event = anyio.Event()
        with anyio.move_on_after(timeout):
            await self._event.wait()
        return self._set


class Event:
    """A one-shot event for threads (sync side)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        self._event.set()

    def wait(self, timeout: float) -> bool:
        """Wait until set or ``timeout`` seconds pass; return whether it was set."""
        return self._event.wait(timeout)


_TASKS: set[t.Any] = set()


def async_spawn(fn: t.Callable[..., t.Awaitable[None]], *args: t.Any) -> None:
    """Run ``fn(*args)`` in the background of the running event loop (asyncio or trio).

    ``fn`` must handle its own errors: nothing awaits it.
    """
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        import trio

        trio.lowlevel.spawn_system_task(fn, *args)
        return
    task: t.Any = loop.create_task(fn(*args))  # type: ignore[arg-type]
    _TASKS.add(task)  # keep a reference until done
    task.add_done_callback(_TASKS.discard)


_EXECUTOR: t.Any = None
_EXECUTOR_LOCK = threading.Lock()


def spawn(fn: t.Callable[..., None], *args: t.Any) -> None:
    """Run ``fn(*args)`` on hishel's small shared pool of background threads (sync side)."""
    global _EXECUTOR
    with _EXECUTOR_LOCK:
        if _EXECUTOR is None:
            from concurrent.futures import ThreadPoolExecutor

            _EXECUTOR = ThreadPoolExecutor(max_workers=4, thread_name_prefix="hishel")
    _EXECUTOR.submit(fn, *args)
