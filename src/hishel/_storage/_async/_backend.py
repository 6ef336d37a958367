"""The byte-level interface every backend implements, and what the blob backends share.

A backend knows keys, bytes, ttl and locking; nothing of HTTP. Six methods:

- ``read(key)``: the entry's ``Record`` (head bytes, stored_at, body size, version) and an
  open reader of its body, or None;
- ``open_writer(key, head, stored_at)``: a writer that streams the body and makes the entry
  visible only at ``commit`` (``abort`` leaves nothing);
- ``replace_head(key, head, version)``: rewrite the head of the entry of that version, in
  place, without touching its body (False when the entry is gone or was replaced);
- ``delete(key)``; ``heads()``: every (key, record) without reading bodies, a record that
  cannot be unpacked (truncated, its inline body cut short) as an ``UnreadableRecord`` (so
  management can count and remove it; ``heads()`` never raises on one); ``aclose()``.

One optional method has a default: ``total_bytes()``, the store's byte total when the backend
keeps one every process sharing it updates (the byte budget's fast path; None: it scans).
Three more let a backend in this process keep heads as the codec's values and make their
bytes only when asked for (``read_value``, ``open_value_writer``, ``replace_value``); their
defaults encode at once and call the byte methods.

The codec above it (``hishel._storage._codec``) owns what the head bytes mean.

A body reader fails only as ``httpcore.ReadError`` (what the caller of a transport expects
from a body that stops), whatever the backend raised (``OSError``, a Redis or SQLite error,
a body gone mid-read): the backends keep a replaced or removed body readable for a while
(``STREAM_GRACE``), so this happens only to a reader slower than that, or to a lost body.
"""

from __future__ import annotations

import abc
import typing as t

import httpcore

from ..._core._concurrency import async_to_thread
from .._layout import Record, UnreadableRecord, listed_record, new_version, pack

__all__ = [
    "CHUNK_SIZE",
    "AsyncBackend",
    "AsyncBackendWriter",
    "AsyncBody",
    "AsyncBodySink",
    "AsyncBufferedWriter",
    "AsyncPiecedBody",
    "AsyncChunkStream",
    "AsyncSpillWriter",
    "Record",
    "STORED_BODY_ERROR",
    "STREAM_GRACE",
    "UnreadableRecord",
    "close_body",
    "body_error",
    "listed_record",
]

CHUNK_SIZE = 64 * 1024
STREAM_GRACE = 60.0
"""Seconds a replaced or removed body stays readable for a reader that already started it."""

STORED_BODY_ERROR = httpcore.ReadError
"""What a stored body that cannot be read to its end raises (``body_error``'s type)."""


def body_error(exc: BaseException) -> httpcore.ReadError:
    """The error a stored body that cannot be read to its end raises (``exc`` the cause)."""
    if isinstance(exc, httpcore.ReadError):
        return exc
    return httpcore.ReadError(f"the stored body could not be read to its end ({exc})")


AsyncBody = t.AsyncIterable[bytes]
"""A stored body; a reader that holds a file or a connection also has ``aclose``."""


class AsyncBackendWriter(abc.ABC):
    """Receives one entry's body; nothing is visible until ``commit``."""

    @abc.abstractmethod
    async def write(self, chunk: bytes) -> None:
        """Add the next piece of the body."""

    @abc.abstractmethod
    async def commit(self) -> None:
        """The body is complete: make the entry visible, replacing the one under its key."""

    @abc.abstractmethod
    async def abort(self) -> None:
        """Forget the entry; nothing is stored."""


class AsyncBackend(abc.ABC):
    """Where entries live, as bytes (see the module docstring)."""

    @abc.abstractmethod
    async def read(self, key: str) -> tuple[Record, AsyncBody] | None:
        """The record under ``key`` and an open reader of its body (None: absent)."""

    @abc.abstractmethod
    async def open_writer(self, key: str, head: bytes, stored_at: float) -> AsyncBackendWriter:
        """Start an entry under ``key`` with ``head``; its body is written to the writer."""

    @abc.abstractmethod
    async def replace_head(self, key: str, head: bytes, version: str) -> bool:
        """Replace the head of the entry of ``version``; its body is not touched."""

    @abc.abstractmethod
    async def delete(self, key: str) -> None:
        """Remove the entry under ``key`` (absent: nothing happens)."""

    @abc.abstractmethod
    def heads(self) -> t.AsyncIterator[tuple[str, Record]]:
        """Every stored (key, record), bodies unread."""

    async def aclose(self) -> None:  # noqa: B027 - most backends hold nothing
        """Release what the backend holds (connections, files)."""

    def names_key(self, name: str) -> bool:
        """Whether ``name``, as ``heads()`` yields it, is the key the entry was stored under
        (a signature is bound to that key); False when the backend keeps a digest of it."""
        return True

    def record_name(self, name: str) -> str:
        """How a log line names the record ``heads()`` yields as ``name`` (a file: its path)."""
        return repr(name)

    async def read_value(self, key: str) -> tuple[Record, AsyncBody, object] | None:
        """As ``read``, with the head's value when the backend kept one (then it is what the
        head decodes to, and ``record.head`` may be empty); None in its place: decode it."""
        found = await self.read(key)
        return None if found is None else (found[0], found[1], None)

    async def open_value_writer(
        self, key: str, value: object, encoded: t.Callable[[], bytes], stored_at: float
    ) -> AsyncBackendWriter:
        """As ``open_writer`` for the head ``value``, whose bytes ``encoded()`` makes."""
        return await self.open_writer(key, encoded(), stored_at)

    async def replace_value(
        self, key: str, value: object, encoded: t.Callable[[], bytes], version: str
    ) -> bool:
        """As ``replace_head`` for the head ``value``, whose bytes ``encoded()`` makes."""
        return await self.replace_head(key, encoded(), version)

    async def total_bytes(self) -> int | None:
        """The heads and bodies of every record, in bytes (``stats().bytes``), when the
        backend keeps that total up to date for every process sharing it; None (the
        default): not known cheaply, so the byte budget estimates it from ``heads()``."""
        return None


class _Reader(t.Protocol):
    def read(self, size: int, /) -> bytes: ...

    def close(self) -> None: ...


class AsyncChunkStream:
    """A body of ``size`` bytes read lazily in ``CHUNK_SIZE`` pieces from a blocking reader
    (a file, an S3 body) in worker threads; closed when the body ends or on ``aclose``."""

    def __init__(self, reader: _Reader, size: int) -> None:
        self._reader = reader
        self._remaining = size
        self._closed = False

    def __aiter__(self) -> AsyncChunkStream:
        return self

    async def __anext__(self) -> bytes:
        if self._remaining <= 0 or self._closed:
            await self.aclose()
            raise StopAsyncIteration
        try:
            chunk = await async_to_thread(self._reader.read, min(CHUNK_SIZE, self._remaining))
        except Exception as exc:
            await self._close_quietly()
            raise body_error(exc) from exc
        if not chunk:
            await self._close_quietly()
            raise body_error(EOFError("it ended early"))
        self._remaining -= len(chunk)
        return chunk

    async def _close_quietly(self) -> None:
        try:
            await self.aclose()
        except Exception:  # the read already failed; that is what the caller hears
            return

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._reader.close()


_Piece = bytes | None


class AsyncPiecedBody:
    """A body of ``size`` bytes read piece by piece: ``read_piece(n)`` returns piece ``n``
    (None when it is gone: lost, or replaced or removed longer than ``STREAM_GRACE`` ago)."""

    def __init__(self, read_piece: t.Callable[[int], t.Awaitable[_Piece]], size: int) -> None:
        self._read_piece = read_piece
        self._remaining = size
        self._n = 0

    def __aiter__(self) -> AsyncPiecedBody:
        return self

    async def __anext__(self) -> bytes:
        if self._remaining <= 0:
            raise StopAsyncIteration
        try:
            piece = await self._read_piece(self._n)
        except Exception as exc:
            self._remaining = 0
            raise body_error(exc) from exc
        if not piece or len(piece) > self._remaining:
            self._remaining = 0
            raise body_error(LookupError("it is gone from storage"))
        self._n += 1
        self._remaining -= len(piece)
        return piece

    async def aclose(self) -> None:
        self._remaining = 0


class AsyncBufferedWriter(AsyncBackendWriter):
    """A writer that keeps the body in memory and hands it over whole at ``commit``."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    async def write(self, chunk: bytes) -> None:
        self._chunks.append(chunk)

    async def commit(self) -> None:
        body, self._chunks = b"".join(self._chunks), []
        await self._committed(body)

    @abc.abstractmethod
    async def _committed(self, body: bytes) -> None:
        """Make the entry with ``body`` visible."""

    async def abort(self) -> None:
        self._chunks = []


class AsyncBodySink(abc.ABC):
    """Where a blob backend streams a body too large to ride in its record."""

    @abc.abstractmethod
    async def write(self, data: bytearray) -> None:
        """Append the next piece of the body."""

    async def put(self, data: bytearray) -> None:
        """The whole body in one piece (a backend may send it in one call)."""
        await self.write(data)

    @abc.abstractmethod
    async def discard(self) -> None:
        """Remove what was written."""


class AsyncSpillWriter(AsyncBackendWriter):
    """The writer of the blob backends: a body of up to ``limit`` bytes stays in memory and
    goes inline in the record; past it, the body streams to a blob named by the new version
    (``backend._open_body``), in pieces of at least ``piece`` bytes (a body that never
    reached a whole piece goes in one ``put``). ``commit`` hands the packed record to
    ``backend._commit``, which makes it visible atomically."""

    def __init__(
        self,
        backend: _SpillBackend,
        key: str,
        head: bytes,
        stored_at: float,
        *,
        limit: int,
        piece: int = CHUNK_SIZE,
    ) -> None:
        self._backend = backend
        self._key = key
        self._head = head
        self._stored_at = stored_at
        self._limit = limit
        self._piece = max(piece, 1)
        self._version = new_version()
        self._buffer = bytearray()  # grows in place: no second copy when a piece is sent
        self._size = 0
        self._sink: AsyncBodySink | None = None
        self._done = False

    async def write(self, chunk: bytes) -> None:
        if self._done:
            raise RuntimeError("this entry writer is finished")
        self._buffer += chunk
        self._size += len(chunk)
        if self._size > self._limit and len(self._buffer) >= self._piece:
            await self._flush(put=False)

    async def _flush(self, *, put: bool) -> None:
        if self._sink is None:
            self._sink = await self._backend._open_body(self._key, self._version)
        data, self._buffer = self._buffer, bytearray()
        await (self._sink.put(data) if put else self._sink.write(data))

    async def commit(self) -> None:
        if self._done:
            raise RuntimeError("this entry writer is finished")
        self._done = True
        try:
            inline: bytes | None = None
            if self._sink is None and self._size <= self._limit:
                inline, self._buffer = bytes(self._buffer), bytearray()
            elif self._sink is None:
                await self._flush(put=True)
            elif self._buffer:
                await self._flush(put=False)
            record = pack(self._head, self._stored_at, self._version, inline, self._size)
            await self._backend._commit(self._key, record, self._version, self._sink)
        except BaseException:
            await self._discard()
            raise

    async def abort(self) -> None:
        if not self._done:
            self._done = True
            await self._discard()

    async def _discard(self) -> None:
        self._buffer = bytearray()
        sink, self._sink = self._sink, None
        if sink is not None:
            await sink.discard()


class _SpillBackend(t.Protocol):
    async def _open_body(self, key: str, version: str) -> AsyncBodySink: ...

    async def _commit(
        self, key: str, record: bytes, version: str, sink: AsyncBodySink | None
    ) -> None: ...


async def close_body(body: object) -> None:
    """Close a body stream if it can be closed (storage streams hold files)."""
    close = getattr(body, "aclose", None)
    if close is not None:
        await close()
