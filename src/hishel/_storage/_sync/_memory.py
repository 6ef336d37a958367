# GENERATED from the async source by scripts/unasync.py; do not edit.
"""In-memory storage: heads (as the codec's values) and bodies in an LRU map of this process,
with their byte total (what ``stats().bytes`` counts) kept as they change, for the byte budget.

A head written by the flow is kept as the value reading it back gives, so a miss or a 304
never encodes it: its bytes are made once, only when something asks for them (management,
``stats()``, the public ``retrieve`` path); the byte total counts a head from then on.
"""

from __future__ import annotations

import itertools
import threading
import typing as t
from collections import OrderedDict
from dataclasses import dataclass

from ..._core._describe import storage_repr
from ..._core._messages import BytesBody
from .._checks import check_number, positional_01
from .._layout import Record
from ._backend import Backend, BackendWriter, Body, BufferedWriter
from ._base import BaseStorage, StorageOptions

if t.TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["InMemoryStorage"]

_VERSIONS = itertools.count(1)  # versions only this process sees: a counter is unique enough


@dataclass(slots=True)
class _Item:
    stored_at: float
    version: str
    body: BytesBody  # (each read hands out this one: a BytesBody is read-only)
    head: bytes | None  # the head bytes, once made
    value: object = None  # the head as a value, when it was given as one
    encode: t.Callable[[], bytes] | None = None  # makes ``head`` from ``value``
    record: Record | None = None  # what ``read_value`` gives with ``value`` (made once)

    def counted(self) -> int:
        """Bytes of the item in the store's total: its body, and its head once made."""
        return len(self.body.content) + (0 if self.head is None else len(self.head))


class _AsyncMemoryWriter(BufferedWriter):
    def __init__(
        self,
        backend: MemoryBackend,
        key: str,
        at: float,
        head: bytes | None,
        value: object = None,
        encode: t.Callable[[], bytes] | None = None,
    ) -> None:
        super().__init__()
        self._backend = backend
        self._key = key
        self._item = (at, head, value, encode)

    def _committed(self, body: bytes) -> None:
        at, head, value, encode = self._item
        self._backend._put(
            self._key, _Item(at, f"m{next(_VERSIONS)}", BytesBody(body), head, value, encode)
        )


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
            self._bytes += item.counted() - (old.counted() if old else 0)
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > self._capacity:
                self._bytes -= self._items.popitem(last=False)[1].counted()

    def _record(self, item: _Item) -> Record:
        """The item's record, making its head bytes if they were not made (lock held)."""
        if item.head is None:
            assert item.encode is not None
            item.head, item.encode = item.encode(), None
            self._bytes += len(item.head)
        return Record(item.head, item.stored_at, len(item.body.content), item.version)

    def read(self, key: str) -> tuple[Record, Body] | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            record = self._record(item)
        return record, item.body

    def read_value(self, key: str) -> tuple[Record, Body, object] | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            value = item.value
            if value is None:  # stored as bytes: the caller decodes them
                record = self._record(item)
            elif item.record is not None:
                record = item.record
            else:
                record = Record(b"", item.stored_at, len(item.body.content), item.version)
                item.record = record
        return record, item.body, value

    def open_writer(self, key: str, head: bytes, stored_at: float) -> BackendWriter:
        return _AsyncMemoryWriter(self, key, stored_at, head)

    def open_value_writer(
        self, key: str, value: object, encoded: t.Callable[[], bytes], stored_at: float
    ) -> BackendWriter:
        return _AsyncMemoryWriter(self, key, stored_at, None, value, encoded)

    def replace_head(self, key: str, head: bytes, version: str) -> bool:
        return self._replace(key, version, head, None, None)

    def replace_value(
        self, key: str, value: object, encoded: t.Callable[[], bytes], version: str
    ) -> bool:
        return self._replace(key, version, None, value, encoded)

    def _replace(
        self,
        key: str,
        version: str,
        head: bytes | None,
        value: object,
        encode: t.Callable[[], bytes] | None,
    ) -> bool:
        with self._lock:
            item = self._items.get(key)
            if item is None or item.version != version:
                return False
            before = item.counted()
            item.head, item.value, item.encode, item.record = head, value, encode, None
            self._bytes += item.counted() - before
            return True

    def delete(self, key: str) -> None:
        with self._lock:
            item = self._items.pop(key, None)
            if item is not None:
                self._bytes -= item.counted()

    def total_bytes(self) -> int:
        with self._lock:
            for item in self._items.values():
                self._record(item)  # every head counted, made if it was not
            return self._bytes

    def heads(self) -> t.Iterator[tuple[str, Record]]:
        with self._lock:
            items = [(key, self._record(item)) for key, item in self._items.items()]
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

    @positional_01("serializer", "ttl", "capacity")
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

    def __repr__(self) -> str:
        return storage_repr(self, (), [("capacity", self._memory._capacity, 128)])
