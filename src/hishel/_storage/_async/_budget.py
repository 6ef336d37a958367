"""Byte budgets (``max_size``), written once over the backend interface.

After every commit through a storage with a budget, the budget learns the store's total and,
past ``max_size``, deletes the least recently used entries (``hishel._storage._eviction``) until the
total is within it. What is counted is what ``stats().bytes`` counts: the head and the body
of every record (Vary indexes and the privacy secret included).

The total is the backend's own when it keeps one that every process sharing the store
updates as it commits and deletes (``AsyncBackend.total_bytes``: file, SQLite, memory), so the
budget holds across processes to within about one entry (what writers without a budget
change counts once the backend recounts, every ``RESYNC_EVERY`` seconds). Otherwise (Redis,
S3) it is this process's estimate: a scan of ``heads()``, kept up to date with this
process's own commits and redone every ``RESCAN_EVERY`` seconds (so what other processes
store meanwhile is seen late). The ranking comes from a scan too, redone when it is that
old or used up: a commit within the budget reads no record at all, one past it rarely scans.

A scan of Redis or S3 reads every record (one round trip each), inside the commit and so
within the storage ``timeout`` of the async flow: there a budget suits stores of a few
thousand entries; past that, Redis's own ``maxmemory-policy allkeys-lru`` or an S3 lifecycle
rule are the tools.

Never evicted: the privacy secret (``SECRET_KEY``) and an entry this process is writing.
Deleting an entry a reader is streaming leaves that reader as a replacement does (each
backend keeps an open body readable, or fails that read; never mixes bodies).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..._core._clock import Clock
from .._eviction import Ranking, scanned
from .._serializers import BaseSerializer
from ._backend import AsyncBackend, AsyncBackendWriter

__all__ = ["RESCAN_EVERY", "RESYNC_EVERY", "AsyncBudget", "AsyncBudgetWriter"]

RESCAN_EVERY = 60.0  # seconds a scan of heads() is trusted (ranking, estimated total)
RESYNC_EVERY = 300.0  # seconds a backend's shared total is trusted before it is recounted
_ROUNDS = 3  # eviction rounds after one commit (a round ends when the ranking runs out)


class AsyncBudget:
    """The byte budget of one storage object (see the module docstring)."""

    def __init__(
        self, max_size: int, serializer: BaseSerializer, clock: Clock, keep: frozenset[str]
    ) -> None:
        self.max_size = max_size
        self._keep = keep  # never evicted (the privacy secret)
        self._serializer = serializer
        self._clock = clock
        self._ranking = Ranking()
        self._scanned_at: float | None = None
        self._estimate = 0  # the total as this process knows it (backends without one)

    def wrap(
        self, backend: AsyncBackend, key: str, head_size: int, writer: AsyncBackendWriter
    ) -> AsyncBudgetWriter:
        """``writer``, reporting its commit to the budget."""
        self._ranking.begin(key)
        return AsyncBudgetWriter(self, backend, key, head_size, writer)

    def touch(self, key: str) -> None:
        """A use of ``key`` counted in this process (no storage write)."""
        self._ranking.touch(key, self._clock.now())

    def done(self, key: str) -> None:
        """A writer of ``key`` finished (committed or aborted)."""
        self._ranking.end(key)

    async def committed(self, backend: AsyncBackend, key: str, size: int) -> None:
        """An entry of ``size`` bytes was committed under ``key``: evict past the budget."""
        if not self._stale():  # (a stale ranking is scanned afresh before it is used)
            self._estimate += size - self._ranking.note(key, self._clock.now(), size)
        total = await self._total(backend)
        for _ in range(_ROUNDS):
            if total <= self.max_size:
                return
            total, evicted = await self._evict(backend, total)
            if not evicted:  # nothing left that may go (the secret, entries being written)
                return

    async def _total(self, backend: AsyncBackend) -> int:
        shared = await backend.total_bytes()
        if shared is not None:
            return shared
        if self._stale():
            await self._scan(backend)
        return self._estimate

    def _stale(self) -> bool:
        at = self._scanned_at
        return at is None or self._clock.now() - at >= RESCAN_EVERY

    async def _scan(self, backend: AsyncBackend) -> None:
        serializer = self._serializer
        rows = [scanned(serializer, key, record) async for key, record in backend.heads()]
        self._ranking.ranked(rows)
        self._estimate = sum(size for _, _, size in rows)
        self._scanned_at = self._clock.now()

    async def _evict(self, backend: AsyncBackend, total: int) -> tuple[int, int]:
        """One round: least recently used first until within budget; the new total and how
        many entries went."""
        if self._stale() or not self._ranking:
            await self._scan(backend)
        evicted = 0
        while total > self.max_size:
            found = self._ranking.pop(self._keep)
            if found is None:
                self._scanned_at = None  # used up: the next round scans again
                break
            key, size = found
            await backend.delete(key)
            evicted += 1
            total -= size
            self._estimate -= size
        shared = await backend.total_bytes()
        return (total if shared is None else shared), evicted


@dataclass(eq=False)
class AsyncBudgetWriter(AsyncBackendWriter):
    """A backend writer whose commit is reported to the budget (with the bytes it holds:
    ``size`` starts at the head's)."""

    budget: AsyncBudget
    backend: AsyncBackend
    key: str
    size: int
    writer: AsyncBackendWriter
    open: bool = True

    async def write(self, chunk: bytes) -> None:
        await self.writer.write(chunk)
        self.size += len(chunk)

    async def commit(self) -> None:
        try:
            await self.writer.commit()
        finally:
            self._finish()
        await self.budget.committed(self.backend, self.key, self.size)

    async def abort(self) -> None:
        try:
            await self.writer.abort()
        finally:
            self._finish()

    def _finish(self) -> None:
        if self.open:
            self.open = False
            self.budget.done(self.key)
