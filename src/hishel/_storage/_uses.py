"""Counted uses: a hit writes nothing; counts are written back in batches.

Each use of a stored entry is counted in this process; the counts are written back to
storage every ``FLUSH_INTERVAL`` seconds, when ``MAX_PENDING`` entries are pending, and on
close. So a hit costs storage no write at all. Time is read only through the injected clock.

The time of the last counted use rides with the write-back, as the response extension
``hishel_last_used`` of the head (epoch seconds, the flow's clock): what the byte budget
(``hishel._storage._eviction``) and ``EntryInfo.last_used_at`` read as recency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .._core._clock import Clock
from ._codec import EntryHead
from ._serializers import Metadata

__all__ = ["FLUSH_INTERVAL", "LAST_USED", "MAX_PENDING", "Pending", "UseCounter", "last_used_of"]

FLUSH_INTERVAL = 5.0  # seconds between write-backs of counted uses
MAX_PENDING = 1024  # entries with uses counted but not yet written back
LAST_USED = "hishel_last_used"  # the extension holding the time of the last written-back use


def last_used_of(head: EntryHead) -> float | None:
    """When ``head``'s entry was last used, as written back (None: never, or by an earlier
    version of hishel, which did not record it)."""
    value = head.extensions.get(LAST_USED)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


@dataclass(slots=True)
class Pending:
    """Uses of one stored entry counted here and not yet written back."""

    head: EntryHead
    version: str
    created_at: datetime
    base: int  # number_of_uses as stored
    count: int = 0
    last_used: float = 0.0  # when the last of them was counted

    def metadata(self, key: str) -> Metadata:
        return {
            "cache_key": self.head.metadata.get("cache_key", key),
            "number_of_uses": self.base + self.count,
            "created_at": self.created_at,
        }

    def written_back(self, key: str) -> EntryHead:
        """The head to write back: the new count and the time of the last use."""
        extensions = {**self.head.extensions, LAST_USED: self.last_used}
        return self.head.with_metadata(self.metadata(key), extensions)


class UseCounter:
    """Counts uses per key; says when a write-back is due."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._pending: dict[str, Pending] = {}
        self._flushed_at = clock.now()

    def count(self, key: str, head: EntryHead, version: str, now: float) -> Metadata:
        """One more use of the entry under ``key``, at ``now`` (the clock reading the flow
        decided with: one reading per hit); the metadata to serve."""
        pending = self._pending.get(key)
        if pending is None or pending.head is not head:  # (else: the head counted last time)
            created_at = head.metadata["created_at"]
            base = head.metadata.get("number_of_uses", 0)
            if pending is None or pending.created_at != created_at or pending.base != base:
                pending = self._pending[key] = Pending(head, version, created_at, base)
            pending.head = head
        pending.version = version
        pending.count += 1
        pending.last_used = now
        return pending.metadata(key)

    def due(self, now: float) -> bool:
        """Whether the counts should be written back at ``now``."""
        return len(self._pending) >= MAX_PENDING or now - self._flushed_at >= FLUSH_INTERVAL

    def take(self) -> dict[str, Pending]:
        """The pending counts, handed over for writing back (and forgotten here)."""
        pending, self._pending = self._pending, {}
        self._flushed_at = self._clock.now()
        return pending
