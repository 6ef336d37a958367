# GENERATED from the async source by scripts/unasync.py; do not edit.
"""Bodies on their way through the cache: the tee that stores while the caller reads, and
the stored body served to the caller, whose failure is a ``StoredBodyError``."""

from __future__ import annotations

import logging
import typing as t

from ..._storage._sync._entry_store import BackendWriter, Body, body_error

__all__ = [
    "SliceStream",
    "StoredBody",
    "TeeStream",
    "close_stream",
]

logger = logging.getLogger("hishel")


def close_stream(stream: object) -> None:
    """Close a body stream if it can be closed (storage streams hold files)."""
    close = getattr(stream, "close", None)
    if close is not None:
        close()


class TeeStream:
    """Yields the origin's body to the caller while writing it to storage.

    The entry is committed when the body ends; an error, an early close or a body the caller
    never finishes aborts it, so storage never holds a partial body. ``on_done`` runs once,
    after the commit or the abort (it releases requests coalesced behind this one).
    """

    def __init__(
        self,
        stream: t.Iterable[bytes],
        writer: BackendWriter | None,
        on_done: t.Callable[[], None] | None = None,
    ) -> None:
        self._stream = stream
        self._iterator: t.Iterator[bytes] | None = None
        self._writer = writer
        self._on_done = on_done
        self._finished = False

    def __iter__(self) -> TeeStream:
        self._iterator = self._stream.__iter__()
        return self

    def __next__(self) -> bytes:
        assert self._iterator is not None
        try:
            chunk = self._iterator.__next__()
        except StopIteration:
            self._finish(commit=True)
            raise
        except BaseException:
            self._finish(commit=False)
            raise
        if self._writer is not None:
            try:
                self._writer.write(chunk)
            except Exception:
                logger.warning("hishel: storage write failed; response not cached", exc_info=True)
                self._finish(commit=False)
        return chunk

    def _finish(self, *, commit: bool) -> None:
        if self._finished:
            return
        self._finished = True
        writer, self._writer = self._writer, None
        try:
            if writer is not None and commit:
                writer.commit()
            elif writer is not None:
                writer.abort()
        except Exception:
            logger.warning("hishel: storage commit failed; response not cached", exc_info=True)
        finally:
            if self._on_done is not None:
                self._on_done()

    def close(self) -> None:
        self._finish(commit=False)
        close_stream(self._stream)


class StoredBody:
    """A stored body served to the caller. A read that fails mid-body (the storage lost the
    body, or a reader outlived the grace of a replaced one) raises ``StoredBodyError``,
    is logged once, and ``on_broken`` runs (it drops the entry if it is still the same one,
    so the next request is a miss)."""

    def __init__(self, body: Body, on_broken: t.Callable[[], None]) -> None:
        self._body = body
        self._iterator: t.Iterator[bytes] | None = None
        self._on_broken: t.Callable[[], None] | None = on_broken

    def __iter__(self) -> StoredBody:
        self._iterator = self._body.__iter__()
        return self

    def __next__(self) -> bytes:
        assert self._iterator is not None
        try:
            return self._iterator.__next__()
        except StopIteration:
            raise
        except Exception as exc:
            error = body_error(exc)
            on_broken, self._on_broken = self._on_broken, None
            if on_broken is not None:
                logger.warning("hishel: %s; the entry is dropped", error)
                on_broken()
            if error is exc:
                raise
            raise error from exc

    def close(self) -> None:
        close_stream(self._body)


class SliceStream:
    """Bytes ``start`` to ``stop`` (exclusive) of a body, for a 206 served from storage."""

    def __init__(self, stream: t.Iterable[bytes], start: int, stop: int) -> None:
        self._stream = stream
        self._start = start
        self._stop = stop

    def __iter__(self) -> t.Iterator[bytes]:
        position = 0
        try:
            for chunk in self._stream:
                end = position + len(chunk)
                if end > self._start and position < self._stop:
                    yield chunk[max(0, self._start - position) : self._stop - position]
                position = end
                if position >= self._stop:
                    break
        finally:
            close_stream(self._stream)

    def close(self) -> None:
        close_stream(self._stream)
