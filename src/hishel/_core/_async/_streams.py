"""Bodies on their way through the cache: the tee that stores while the caller reads, and
the stored body served to the caller, whose failure is a ``StoredBodyError``."""

from __future__ import annotations

import logging
import typing as t

from ..._storage._async._entry_store import AsyncBackendWriter, AsyncBody, body_error

__all__ = [
    "AsyncSliceStream",
    "AsyncStoredBody",
    "AsyncTeeStream",
    "close_stream",
]

logger = logging.getLogger("hishel")


async def close_stream(stream: object) -> None:
    """Close a body stream if it can be closed (storage streams hold files)."""
    close = getattr(stream, "aclose", None)
    if close is not None:
        await close()


class AsyncTeeStream:
    """Yields the origin's body to the caller while writing it to storage.

    The entry is committed when the body ends; an error, an early close or a body the caller
    never finishes aborts it, so storage never holds a partial body. ``on_done`` runs once,
    after the commit or the abort (it releases requests coalesced behind this one).
    """

    def __init__(
        self,
        stream: t.AsyncIterable[bytes],
        writer: AsyncBackendWriter | None,
        on_done: t.Callable[[], None] | None = None,
    ) -> None:
        self._stream = stream
        self._iterator: t.AsyncIterator[bytes] | None = None
        self._writer = writer
        self._on_done = on_done
        self._finished = False

    def __aiter__(self) -> AsyncTeeStream:
        self._iterator = self._stream.__aiter__()
        return self

    async def __anext__(self) -> bytes:
        assert self._iterator is not None
        try:
            chunk = await self._iterator.__anext__()
        except StopAsyncIteration:
            await self._finish(commit=True)
            raise
        except BaseException:
            await self._finish(commit=False)
            raise
        if self._writer is not None:
            try:
                await self._writer.write(chunk)
            except Exception:
                logger.warning("hishel: storage write failed; response not cached", exc_info=True)
                await self._finish(commit=False)
        return chunk

    async def _finish(self, *, commit: bool) -> None:
        if self._finished:
            return
        self._finished = True
        writer, self._writer = self._writer, None
        try:
            if writer is not None and commit:
                await writer.commit()
            elif writer is not None:
                await writer.abort()
        except Exception:
            logger.warning("hishel: storage commit failed; response not cached", exc_info=True)
        finally:
            if self._on_done is not None:
                self._on_done()

    async def aclose(self) -> None:
        await self._finish(commit=False)
        await close_stream(self._stream)


class AsyncStoredBody:
    """A stored body served to the caller. A read that fails mid-body (the storage lost the
    body, or a reader outlived the grace of a replaced one) raises ``StoredBodyError``,
    is logged once, and ``on_broken`` runs (it drops the entry if it is still the same one,
    so the next request is a miss)."""

    def __init__(self, body: AsyncBody, on_broken: t.Callable[[], t.Awaitable[None]]) -> None:
        self._body = body
        self._iterator: t.AsyncIterator[bytes] | None = None
        self._on_broken: t.Callable[[], t.Awaitable[None]] | None = on_broken

    def __aiter__(self) -> AsyncStoredBody:
        self._iterator = self._body.__aiter__()
        return self

    async def __anext__(self) -> bytes:
        assert self._iterator is not None
        try:
            return await self._iterator.__anext__()
        except StopAsyncIteration:
            raise
        except Exception as exc:
            error = body_error(exc)
            on_broken, self._on_broken = self._on_broken, None
            if on_broken is not None:
                logger.warning("hishel: %s; the entry is dropped", error)
                await on_broken()
            if error is exc:
                raise
            raise error from exc

    async def aclose(self) -> None:
        await close_stream(self._body)


class AsyncSliceStream:
    """Bytes ``start`` to ``stop`` (exclusive) of a body, for a 206 served from storage."""

    def __init__(self, stream: t.AsyncIterable[bytes], start: int, stop: int) -> None:
        self._stream = stream
        self._start = start
        self._stop = stop

    async def __aiter__(self) -> t.AsyncIterator[bytes]:
        position = 0
        try:
            async for chunk in self._stream:
                end = position + len(chunk)
                if end > self._start and position < self._stop:
                    yield chunk[max(0, self._start - position) : self._stop - position]
                position = end
                if position >= self._stop:
                    break
        finally:
            await close_stream(self._stream)

    async def aclose(self) -> None:
        await close_stream(self._stream)
