"""In-memory storage: Python objects in an LRU map, bodies as bytes; nothing is serialized."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import httpcore

from ..._frame import with_body
from ..._models import make_response
from ..._serializers import BaseSerializer, Metadata, clone_model, response_body
from ._base import AsyncBaseStorage, AsyncEntryWriter, Clock, check_number

__all__ = ["AsyncInMemoryStorage"]


@dataclass(slots=True)
class _Item:
    response: httpcore.Response  # without its body
    body: bytes
    request: httpcore.Request
    metadata: Metadata
    stored_at: float


class _AsyncMemoryWriter(AsyncEntryWriter):
    """Keeps the chunks and, on commit, the models as given: the flow hands over fresh
    objects it no longer touches, so there is nothing to copy."""

    _storage: AsyncInMemoryStorage

    async def commit(self) -> None:
        body = b"".join(self._chunks)
        self._chunks = []
        response = self._response
        item = _Item(
            response=make_response(response.status, response.headers, b"", response.extensions),
            body=body,
            request=self._request,
            metadata=Metadata(**self._metadata),
            stored_at=self._storage._now(),
        )
        self._storage._put(self._key, item)


class AsyncInMemoryStorage(AsyncBaseStorage):
    """Entries kept in this process, at most ``capacity``; the least recently used goes first.

    Args:
        capacity: the number of entries kept (>= 1).
        serializer: accepted for symmetry with the other storages; entries stay Python objects.
        ttl: seconds after ``store`` when an entry stops being served (None: never).
        clock: ``now() -> float`` read for ttl (default ``time.time``).
    """

    def __init__(
        self,
        *,
        capacity: int = 128,
        serializer: BaseSerializer | None = None,
        ttl: int | float | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(serializer=serializer, ttl=ttl, clock=clock)
        check_number("capacity", capacity, minimum=1, integer=True)
        self._capacity = capacity
        self._items: OrderedDict[str, _Item] = OrderedDict()
        # Never held across an await: guards the map for the threads of the sync twin.
        self._lock = threading.Lock()

    async def store(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata | None = None,
    ) -> None:
        item = _Item(
            response=with_body(clone_model(response), b""),
            body=response_body(response),
            request=clone_model(request),
            metadata=Metadata(**self._metadata(key, metadata)),
            stored_at=self._now(),
        )
        self._put(key, item)

    def _put(self, key: str, item: _Item) -> None:
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)

    async def _open_writer(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> AsyncEntryWriter:
        return _AsyncMemoryWriter(self, key, response, request, metadata)

    async def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if self._expired(item.stored_at):
                del self._items[key]
                return None
            self._items.move_to_end(key)
        response = item.response
        return (
            make_response(response.status, response.headers, item.body, dict(response.extensions)),
            item.request,  # never mutated by the flow: shared, not copied
            Metadata(**item.metadata),
        )

    async def remove(self, key: str | httpcore.Response) -> None:
        with self._lock:
            self._items.pop(self._key_of(key), None)

    async def update_metadata(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                item.metadata = Metadata(**metadata)

    def __len__(self) -> int:
        return len(self._items)
