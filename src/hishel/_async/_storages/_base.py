"""The storage interface (seed): keys, entries, TTL; nothing of HTTP semantics.

An entry is an httpcore ``Response`` (with its body), the ``Request`` that produced it and
its ``Metadata``. Besides the five public methods, ``_open_writer`` lets the flow stream a
body into storage while the caller reads it; the default buffers and calls ``store`` on
commit, so a user-written storage that implements only the public methods keeps working.
Backends that can write incrementally override it.

Every storage takes a keyword-only ``clock`` (anything with ``now() -> float``, epoch
seconds; default ``time.time``) that it reads for ttl, so tests expire entries without
sleeping. ``expired`` is the one ttl rule all backends share.
"""

from __future__ import annotations

import logging
import time
import typing as t
from datetime import datetime, timezone

import httpcore

from ..._concurrency import async_to_thread
from ..._frame import CHUNK_SIZE, with_body
from ..._serializers import BaseSerializer, JSONSerializer, Metadata

__all__ = [
    "AsyncBaseStorage",
    "AsyncChunkStream",
    "AsyncEntryWriter",
    "Clock",
    "check_number",
    "expired",
]

logger = logging.getLogger("hishel")

_S = t.TypeVar("_S", bound="AsyncBaseStorage")


class Clock(t.Protocol):
    """Anything with ``now() -> float`` (epoch seconds)."""

    def now(self) -> float: ...


class _SystemClock:
    def now(self) -> float:
        return time.time()


def expired(created_at: float, ttl: float | None, now: float) -> bool:
    """Whether an entry stored at ``created_at`` has outlived ``ttl`` seconds at ``now``."""
    return ttl is not None and now - created_at >= ttl


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


class AsyncEntryWriter:
    """Receives one entry's body chunk by chunk; nothing is visible until ``commit``.

    The default buffers in memory and calls ``storage.store`` on commit.
    """

    def __init__(
        self,
        storage: AsyncBaseStorage,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> None:
        self._storage = storage
        self._key = key
        self._response = response
        self._request = request
        self._metadata = metadata
        self._chunks: list[bytes] = []

    async def write(self, chunk: bytes) -> None:
        """Add the next piece of the body."""
        self._chunks.append(chunk)

    async def commit(self) -> None:
        """The body is complete: make the entry visible."""
        body = b"".join(self._chunks)
        self._chunks = []
        response = with_body(self._response, body)
        await self._storage.store(self._key, response, self._request, self._metadata)

    async def abort(self) -> None:
        """Forget the entry; nothing is stored."""
        self._chunks = []


class _Reader(t.Protocol):
    def read(self, size: int, /) -> bytes: ...

    def close(self) -> None: ...


class AsyncChunkStream:
    """A stored body read lazily in ``CHUNK_SIZE`` pieces from a blocking reader (a file, an
    S3 body) in worker threads; the reader is closed when the body ends or the stream is
    closed."""

    def __init__(self, first: bytes, reader: _Reader, remaining: int) -> None:
        self._first = first
        self._reader = reader
        self._remaining = remaining
        self._closed = False

    def __aiter__(self) -> AsyncChunkStream:
        return self

    async def __anext__(self) -> bytes:
        if self._first:
            chunk, self._first = self._first, b""
            return chunk
        if self._remaining <= 0 or self._closed:
            await self.aclose()
            raise StopAsyncIteration
        chunk = await async_to_thread(self._reader.read, min(CHUNK_SIZE, self._remaining))
        if not chunk:
            await self.aclose()
            raise OSError("the stored body ended early")
        self._remaining -= len(chunk)
        return chunk

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._reader.close()


class AsyncBaseStorage:
    """Base class of the asynchronous storages.

    ``serializer`` turns entries into bytes (default ``JSONSerializer``); ``ttl`` is a
    storage-level expiry in seconds counted from ``store``, independent of HTTP freshness
    (``update_metadata`` does not restart it); ``clock`` (``now() -> float``) is read for ttl.
    """

    def __init__(
        self,
        *,
        serializer: BaseSerializer | None = None,
        ttl: int | float | None = None,
        clock: Clock | None = None,
    ) -> None:
        if serializer is not None and not callable(getattr(serializer, "loads", None)):
            raise TypeError(f"serializer must be a BaseSerializer, not {serializer!r}")
        if clock is not None and not callable(getattr(clock, "now", None)):
            raise TypeError("clock must be an object with a now() method returning epoch seconds")
        self._serializer = serializer or JSONSerializer()
        self._ttl = check_number("ttl", ttl)
        self._clock: Clock = clock if clock is not None else _SystemClock()

    async def store(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata | None = None,
    ) -> None:
        """Store ``response`` (with its body) and ``request`` under ``key``."""
        raise NotImplementedError()

    async def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None:
        """Return the entry stored under ``key``, or ``None`` (absent, expired or unreadable)."""
        raise NotImplementedError()

    async def remove(self, key: str | httpcore.Response) -> None:
        """Remove the entry under ``key`` (or the key in a served response's metadata)."""
        raise NotImplementedError()

    async def update_metadata(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> None:
        """Replace the metadata of an existing entry; a no-op when it is absent.

        The body is not rewritten and ttl is not restarted.
        """
        raise NotImplementedError()

    async def aclose(self) -> None:
        """Release what the storage holds (connections, files)."""

    async def _open_writer(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> AsyncEntryWriter:
        """Start an entry whose body arrives in chunks (``response``'s body is ignored)."""
        return AsyncEntryWriter(self, key, response, request, metadata)

    async def __aenter__(self: _S) -> _S:
        return self

    async def __aexit__(self, *args: object) -> None:
        await self.aclose()

    # -- helpers for the backends ---------------------------------------------------------

    def _now(self) -> float:
        return self._clock.now()

    def _expired(self, stored_at: float) -> bool:
        return expired(stored_at, self._ttl, self._now())

    def _metadata(self, key: str, metadata: Metadata | None) -> Metadata:
        if metadata is not None:
            return metadata
        created_at = datetime.fromtimestamp(self._now(), tz=timezone.utc)
        return Metadata(cache_key=key, number_of_uses=0, created_at=created_at)

    @staticmethod
    def _key_of(key: str | httpcore.Response) -> str:
        if isinstance(key, str):
            return key
        metadata = key.extensions.get("cache_metadata")
        if not isinstance(metadata, dict) or "cache_key" not in metadata:
            raise ValueError("this response was not served from storage: pass its key instead")
        return str(metadata["cache_key"])
