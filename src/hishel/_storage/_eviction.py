"""Which entries a byte budget evicts first: the least recently used (no I/O, no clock).

An entry's recency is the latest of when it was stored (``Record.stored_at``, the storage
clock), when its response was received or revalidated, and its last use as written back with
the counted uses (``hishel._storage._uses``); entries written by earlier versions have no
recorded use, so their stored time stands. A Vary index is as recent as its most recent
variant (variant keys are ``<index key>-<digest>``), so evicting the index of a hot response,
which would orphan every variant at once, waits for the variants. A record that cannot be
decoded cannot be served: it goes first. The privacy secret (``SECRET_KEY``) is never a candidate.

The async budget (``hishel._storage._async._budget``) reads the records and deletes;
``Ranking`` only orders what it is shown.
"""

from __future__ import annotations

import heapq
import itertools
import threading

from ._codec import EntryHead, decode
from ._layout import Record
from ._management import record_bytes
from ._serializers import BaseSerializer
from ._uses import last_used_of

__all__ = ["UNREADABLE", "Ranking", "recency", "scanned"]

UNREADABLE = float("-inf")


def recency(serializer: BaseSerializer, record: Record) -> float:
    """When the entry of ``record`` was last stored, received, revalidated or used."""
    try:
        head = decode(serializer, record.head).head
    except Exception:
        return UNREADABLE
    if not isinstance(head, EntryHead):  # a Vary index: see Ranking.ranked
        return record.stored_at
    used = last_used_of(head)
    return max(record.stored_at, head.response_time, used if used is not None else 0.0)


class Ranking:
    """Entries by recency, least recent first, with their sizes.

    ``note`` tells it of an entry (scanned, or just committed); ``touch`` of a use counted in
    this process and not yet written back; ``begin`` / ``end`` of a writer of a key. ``pop``
    yields the least recently used entry that is neither in ``keep`` nor being written; an
    entry touched since it was ranked goes back in its new place first. Thread-safe (the
    sync storages are shared by threads); nothing here waits.
    """

    def __init__(self) -> None:
        self.known: dict[str, tuple[float, int]] = {}  # key -> recency, size
        self.touched: dict[str, float] = {}
        self._writing: dict[str, int] = {}
        self._heap: list[tuple[float, int, str]] = []
        self._seq = itertools.count()
        self._lock = threading.Lock()

    def note(self, key: str, at: float, size: int) -> int:
        """Rank ``key`` at ``at`` with ``size`` bytes; returns the size it had (0: new)."""
        with self._lock:
            return self._note(key, at, size)

    def _note(self, key: str, at: float, size: int) -> int:
        at = max(at, self.touched.get(key, UNREADABLE))
        previous = self.known.get(key)
        self.known[key] = (at, size)
        heapq.heappush(self._heap, (at, next(self._seq), key))
        return 0 if previous is None else previous[1]

    def touch(self, key: str, at: float) -> None:
        """A use of ``key`` counted at ``at`` (a variant's use is its Vary index's too)."""
        with self._lock:
            if len(self.touched) > 65536:  # forgotten on the next scan anyway
                self.touched.clear()
            self.touched[key] = at
            parent = key.rpartition("-")[0]
            if parent:
                self.touched[parent] = at

    def begin(self, key: str) -> None:
        with self._lock:
            self._writing[key] = self._writing.get(key, 0) + 1

    def end(self, key: str) -> None:
        with self._lock:
            left = self._writing.pop(key, 0) - 1
            if left > 0:
                self._writing[key] = left

    def ranked(self, scanned: list[tuple[str, float, int]]) -> None:
        """Start again from a scan of the store: (key, recency, size) of every record."""
        recent = {key: at for key, at, _ in scanned}
        lent: set[str] = set()
        for key, at, _ in scanned:  # a variant lends its recency to its Vary index
            parent = key.rpartition("-")[0]
            if parent and recent.get(parent, at) < at:
                recent[parent] = at
                lent.add(parent)
        with self._lock:
            touched = {k: at for k, at in self.touched.items() if at > recent.get(k, at)}
            self.known, self.touched, self._heap = {}, touched, []
            for key, _, size in sorted(scanned, key=lambda row: row[0] in lent):
                self._note(key, recent[key], size)  # (an index after its variants, on a tie)

    def pop(self, keep: frozenset[str]) -> tuple[str, int] | None:
        """The least recently used entry (key, size), forgotten here; None when none is left."""
        skipped: list[tuple[float, int, str]] = []
        found: tuple[str, int] | None = None
        with self._lock:
            while self._heap:
                item = heapq.heappop(self._heap)
                at, _, key = item
                known = self.known.get(key)
                if known is None or known[0] != at:
                    continue  # removed, or ranked again since
                touched = self.touched.get(key, UNREADABLE)
                if touched > at:
                    self._note(key, touched, known[1])
                    continue
                if key in keep or key in self._writing:
                    skipped.append(item)
                    continue
                del self.known[key]
                found = (key, known[1])
                break
            for item in skipped:
                heapq.heappush(self._heap, item)
        return found

    def __len__(self) -> int:
        return len(self.known)


def scanned(serializer: BaseSerializer, key: str, record: Record) -> tuple[str, float, int]:
    """One scanned record as ``Ranking.ranked`` takes it."""
    return key, recency(serializer, record), record_bytes(record)
