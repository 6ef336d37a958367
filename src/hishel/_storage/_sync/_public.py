# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The entry as the flow reads it, and the adapter for user-written storages.

A storage written the 0.1 way (a subclass of ``BaseStorage`` overriding ``store``,
``retrieve``, ``remove`` and ``update_metadata``) has no backend: the flow's reads, writes and
Vary indexes go through its public methods here. Such a storage keeps a Vary index as an
empty 200 response whose ``hishel_vary_index`` extension holds the index epoch, and whose
``X-Hishel-Vary-Index`` header holds it too (a serializer written for 0.1 keeps the headers,
not always the extensions).
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from datetime import datetime

import httpcore

from ..._core._models import BytesBody
from .._codec import EntryHead, VaryIndex, from_models, to_models
from .._serializers import Metadata
from ._backend import Body, BufferedWriter, close_body

if t.TYPE_CHECKING:
    from ._base import BaseStorage

__all__ = ["Found", "PublicWriter", "close_body", "public_read", "public_store_index"]

_INDEX_EXTENSION = "hishel_vary_index"
_INDEX_HEADER = b"x-hishel-vary-index"


@dataclass(slots=True)
class Found:
    """An entry read for the flow: its typed head, an open body, and the version that
    ``_entry_replace_head`` must match."""

    head: EntryHead | VaryIndex
    body: Body
    version: str
    size: int | None


class PublicWriter(BufferedWriter):
    """The writer for a storage without a backend: buffers, then calls ``store``."""

    def __init__(self, storage: BaseStorage, key: str, head: EntryHead) -> None:
        super().__init__()
        self._storage = storage
        self._key = key
        self._head = head

    def _committed(self, body: bytes) -> None:
        self._storage.store(self._key, *to_models(self._head, body))


def public_read(storage: BaseStorage, key: str) -> Found | None:
    """The entry under ``key``, read through the storage's ``retrieve``."""
    found = storage.retrieve(key)
    if found is None:
        return None
    response, request, metadata = found
    epoch = response.extensions.get(_INDEX_EXTENSION)
    if epoch is None and request.url.host == b"index":  # (the marker's own request)
        epoch = next((v.decode() for k, v in response.headers if k.lower() == _INDEX_HEADER), None)
    if epoch is not None:
        close_body(response.stream)
        names = [v.decode("latin-1") for k, v in response.headers if k.lower() == b"vary"]
        split = tuple(n.strip().lower() for v in names for n in v.split(",") if n.strip())
        return Found(VaryIndex(split, str(epoch)), BytesBody(b""), "public", 0)
    head = from_models(response, request, metadata)
    body = t.cast(Body, response.stream)
    return Found(head, body, "public", None)


def public_store_index(
    storage: BaseStorage, key: str, index: VaryIndex, created_at: datetime
) -> None:
    """Store the Vary index of ``key`` through the storage's ``store``."""
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
    storage.store(key, marker, httpcore.Request("GET", "http://index/"), metadata)
