"""The flow's entry store over a user-written storage's public methods.

A storage written the 0.1 way (a subclass of ``AsyncBaseStorage`` overriding ``store``,
``retrieve``, ``remove`` and ``update_metadata``) has no backend: the flow's reads, writes and
Vary indexes go through its public methods here. Such a storage keeps a Vary index as an
empty 200 response whose ``hishel_vary_index`` extension holds the index epoch, and whose
``X-Hishel-Vary-Index`` header holds it too (a serializer written for 0.1 keeps the headers,
not always the extensions).
"""

from __future__ import annotations

import secrets
import typing as t
from datetime import datetime

import httpcore

from ..._core._messages import BytesBody
from .._codec import EntryHead, VaryIndex, from_models, to_models
from .._serializers import Metadata
from ._backend import AsyncBody, AsyncBufferedWriter, close_body
from ._entry_store import AsyncEntryStore, AsyncFound

__all__ = ["AsyncPublicEntryStore", "AsyncPublicMethods"]

_INDEX_EXTENSION = "hishel_vary_index"
_INDEX_HEADER = b"x-hishel-vary-index"


class AsyncPublicMethods(t.Protocol):
    """The seed's public storage methods, all the adapter calls."""

    async def store(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata | None = None,
    ) -> None: ...

    async def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None: ...

    async def remove(self, key: str) -> None: ...

    async def update_metadata(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> None: ...


class AsyncPublicWriter(AsyncBufferedWriter):
    """The writer for a storage without a backend: buffers, then calls ``store``."""

    def __init__(self, storage: AsyncPublicMethods, key: str, head: EntryHead) -> None:
        super().__init__()
        self._storage = storage
        self._key = key
        self._head = head

    async def _committed(self, body: bytes) -> None:
        await self._storage.store(self._key, *to_models(self._head, body))


class AsyncPublicEntryStore(AsyncEntryStore):
    """The entry store of a storage known by its public methods only.

    Heads are rewritten whole (``update_metadata``), as such a storage cannot replace a head
    alone; the privacy secret is kept in memory, as nothing else of it is shared.
    """

    __slots__ = ("_secret", "_storage", "_touch")

    def __init__(
        self,
        storage: AsyncPublicMethods,
        where: str,
        timeout: float | None,
        touch: t.Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(where, timeout)
        self._storage = storage
        self._touch = touch
        self._secret: bytes | None = None

    async def read(self, key: str) -> AsyncFound | None:
        found = await self._storage.retrieve(key)
        if found is None:
            return None
        response, request, metadata = found
        epoch = response.extensions.get(_INDEX_EXTENSION)
        if epoch is None and request.url.host == b"index":  # (the marker's own request)
            epoch = next(
                (v.decode() for k, v in response.headers if k.lower() == _INDEX_HEADER), None
            )
        if epoch is not None:
            await close_body(response.stream)
            names = [v.decode("latin-1") for k, v in response.headers if k.lower() == b"vary"]
            split = tuple(n.strip().lower() for v in names for n in v.split(",") if n.strip())
            return AsyncFound(VaryIndex(split, str(epoch)), BytesBody(b""), "public", 0)
        head = from_models(response, request, metadata)
        body = t.cast(AsyncBody, response.stream)
        return AsyncFound(head, body, "public", None)

    async def open_writer(self, key: str, head: EntryHead) -> AsyncPublicWriter:
        return AsyncPublicWriter(self._storage, key, head)

    async def store_index(self, key: str, index: VaryIndex, created_at: datetime) -> None:
        marker = httpcore.Response(
            200,
            headers=[
                (b"vary", ", ".join(index.names).encode("latin-1")),
                (_INDEX_HEADER, index.epoch.encode("latin-1")),
            ],
            content=b"",
            extensions={_INDEX_EXTENSION: index.epoch},
        )
        marker.read()  # read, as every response a storage is given: dumps may use .content
        metadata = Metadata(cache_key=key, number_of_uses=0, created_at=created_at)
        await self._storage.store(key, marker, httpcore.Request("GET", "http://index/"), metadata)

    async def replace_head(self, key: str, head: EntryHead, version: str) -> bool:
        if isinstance(head, EntryHead):
            response, request, metadata = to_models(head)
            await self._storage.update_metadata(key, response, request, metadata)
        return True

    async def remove(self, key: str) -> None:
        await self._storage.remove(key)

    async def privacy_secret(self) -> bytes:
        if self._secret is None:
            self._secret = secrets.token_bytes(32)
        return self._secret

    def touched(self, key: str) -> None:
        if self._touch is not None:
            self._touch(key)
