"""The byte total of a file store, shared by every process that uses it with a byte budget.

``.budget`` in the store's directory holds the total of what the records count
(``hishel._storage._layout.footprint``: heads and bodies, as ``stats().bytes``) and when it was last
recounted: ``>qd`` (bytes, epoch seconds by the storage clock). It is read and changed only
under the store's directory lock, by the process that swaps or removes a record, so it stays
exact among them; it is recounted from the records (under the lock) when it is missing,
unreadable or ``RESYNC_EVERY`` old, which also takes in what writers without a budget
changed. Plain blocking I/O: the file backend calls it from its worker threads.
"""

from __future__ import annotations

import os
import struct
import typing as t

from ..._core._clock import Clock
from .._layout import FIXED, INLINE, footprint, record_size, version_of

__all__ = ["FileTally", "record_state"]

_FORMAT = struct.Struct(">qd")
TALLY_NAME = ".budget"


def record_state(path: str) -> tuple[str, int, bool]:
    """The version of the record file ``path`` ("" when absent or older), the bytes it
    counts for (0 when absent), and whether its body is in a file of its own."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return "", 0, False
    try:
        prefix = os.pread(fd, FIXED, 0)
        # Only a record of an earlier layout counts its length (its body is inside).
        length = os.fstat(fd).st_size if record_size(prefix) is None else len(prefix)
    finally:
        os.close(fd)
    version = version_of(prefix)
    return version, footprint(prefix, length), bool(version) and not prefix[6] & INLINE


class FileTally:
    """``.budget`` of the store in ``base`` (see the module docstring); every method runs
    under the store's directory lock. ``names`` lists the record files."""

    def __init__(
        self, base: str, clock: Clock, names: t.Callable[[], list[str]], every: float
    ) -> None:
        self._path = os.path.join(base, TALLY_NAME)
        self._base = base
        self._clock = clock
        self._names = names
        self._every = every
        self._fd: int | None = None

    def add(self, delta: int) -> int:
        """Add ``delta`` bytes; returns the total (recounted first when it is stale)."""
        total = self._read()
        if total is None:
            total = self._recount()
        else:
            total += delta
            self._write(total, None)
        return total

    def total(self) -> int:
        """The total (recounted first when it is stale)."""
        return self.add(0)

    def record(self, record: bytes) -> int:
        """What the record bytes ``record`` count for."""
        return footprint(record[:FIXED], len(record))

    def _read(self) -> int | None:
        if self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
        data = os.pread(self._fd, _FORMAT.size, 0)
        if len(data) != _FORMAT.size:
            return None
        total, synced = _FORMAT.unpack(data)
        if not 0 <= self._clock.now() - synced < self._every or total < 0:
            return None
        return int(total)

    def _write(self, total: int, synced: float | None) -> None:
        assert self._fd is not None
        if synced is None:
            os.pwrite(self._fd, struct.pack(">q", total), 0)  # the recount time stays
        else:
            os.pwrite(self._fd, _FORMAT.pack(total, synced), 0)

    def _recount(self) -> int:
        total = sum(record_state(os.path.join(self._base, name))[1] for name in self._names())
        self._write(total, self._clock.now())
        return total

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)
