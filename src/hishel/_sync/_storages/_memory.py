# GENERATED from the async source by scripts/unasync.py; do not edit.
"""In-memory storage: records and bodies in an LRU map of this process, with their byte total
(what ``stats().bytes`` counts) kept as they change, for the byte budget."""

from __future__ import annotations

import threading
import typing as t
from collections import OrderedDict
from dataclasses import dataclass

from ..._checks import check_number
from ..._layout import Record, new_version
from ..._management import record_bytes
from ..._models import BytesBody
from ._backend import Backend, BackendWriter, Body, BufferedWriter
from ._base import BaseStorage, StorageOptions

if t.TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["InMemoryStorage"]


@dataclass(slots=True)
class _Item:
    record: Record
    body: bytes


class _AsyncMemoryWriter(BufferedWriter):
    def __init__(self, backend: MemoryBackend, key: str, head: bytes, at: float) -> None:
        super().__init__()
        self._backend = backend
        self._key = key
        self._head = head
        self._stored_at = at

    def _committed(self, body: bytes) -> None:
        record = Record(self._head, self._stored_at, len(body), new_version())
        self._backend._put(self._key, _Item(record, body))


class MemoryBackend(Backend):
    """At most ``capacity`` entries; the least recently used goes first."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._items: OrderedDict[str, _Item] = OrderedDict()
        self._bytes = 0
        # Never held across an await: guards the map for the threads of the sync twin.
        self._lock = threading.Lock()

    def _put(self, key: str, item: _Item) -> None:
        with self._lock:
            old = self._items.get(key)
            self._bytes += record_bytes(item.record) - (record_bytes(old.record) if old else 0)
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self._capacity:
                self._bytes -= record_bytes(self._items.popitem(last=False)[1].record)

    def read(self, key: str) -> tuple[Record, Body] | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
        return item.record, BytesBody(item.body)

    def open_writer(self, key: str, head: bytes, stored_at: float) -> BackendWriter:
        return _AsyncMemoryWriter(self, key, head, stored_at)

    def replace_head(self, key: str, head: bytes, version: str) -> bool:
        with self._lock:
            item = self._items.get(key)
            if item is None or item.record.version != version:
                return False
            old = item.record
            item.record = Record(head, old.stored_at, old.size, old.version)
            self._bytes += len(head) - len(old.head)
            return True

    def delete(self, key: str) -> None:
        with self._lock:
            item = self._items.pop(key, None)
            if item is not None:
                self._bytes -= record_bytes(item.record)

    def total_bytes(self) -> int:
        return self._bytes

    def heads(self) -> t.Iterator[tuple[str, Record]]:
        with self._lock:
            items = [(key, item.record) for key, item in self._items.items()]
        for pair in items:
            yield pair


class InMemoryStorage(BaseStorage):
    """Entries kept in this process, at most ``capacity``; the least recently used goes first.

    Args:
        capacity: the number of entries kept (>= 1).
        max_size: at most this many bytes of heads and bodies (None: no byte budget); the
            least recently used entries are evicted past it.
        serializer: writes the entry heads (default ``JSONSerializer``); bodies stay raw.
        ttl: seconds (or a ``timedelta``) after ``store`` when an entry stops being served.
        clock: ``now() -> float`` read for ttl (default ``time.time``).
        signing_key: signs every entry head (HMAC-SHA256); an unsigned or tampered
            entry is a miss, removed, never deserialized (see ``BaseStorage``).
    """

    def __init__(
        self,
        *,
        capacity: int = 128,
        **options: Unpack[StorageOptions],
    ) -> None:
        super().__init__(**options)
        check_number("capacity", capacity, minimum=1, integer=True)
        self._memory = MemoryBackend(capacity)
        self._backend = self._memory

    def __len__(self) -> int:
        return len(self._memory._items)
