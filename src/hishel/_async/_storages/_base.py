"""The storage interface (seed): keys, entries, TTL; nothing of HTTP semantics.

An entry is an httpcore ``Response`` (with its body), the ``Request`` that produced it and
its ``Metadata``. Besides the five public methods, ``_open_writer`` lets the flow stream a
body into storage while the caller reads it; the default buffers and calls ``store`` on
commit, so a user-written storage that implements only the public methods keeps working.
Backends that can write incrementally override it.
"""

from __future__ import annotations

import typing as t

import httpcore

from ..._serializers import BaseSerializer, JSONSerializer, Metadata

__all__ = ["AsyncBaseStorage", "AsyncEntryWriter"]

_S = t.TypeVar("_S", bound="AsyncBaseStorage")


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
        self._chunks.append(chunk)

    async def commit(self) -> None:
        body = b"".join(self._chunks)
        self._chunks = []
        response = httpcore.Response(
            status=self._response.status,
            headers=self._response.headers,
            content=body,
            extensions=self._response.extensions,
        )
        await self._storage.store(self._key, response, self._request, self._metadata)

    async def abort(self) -> None:
        self._chunks = []


class AsyncBaseStorage:
    """Base class of the asynchronous storages.

    ``serializer`` turns entries into bytes (default ``JSONSerializer``); ``ttl`` is a
    storage-level expiry in seconds counted from ``store``, independent of HTTP freshness
    (``update_metadata`` does not restart it).
    """

    def __init__(
        self,
        *,
        serializer: BaseSerializer | None = None,
        ttl: int | float | None = None,
    ) -> None:
        if ttl is not None and (isinstance(ttl, bool) or not isinstance(ttl, int | float) or ttl < 0):
            raise ValueError(f"ttl must be a non-negative number of seconds or None, not {ttl!r}")
        self._serializer = serializer or JSONSerializer()
        self._ttl = ttl

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
        """Replace the metadata of an existing entry; a no-op when it is absent."""
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
