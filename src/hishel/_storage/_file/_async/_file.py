"""File storage: a record file per entry, and a body file beside it when the body is large.

``<name>`` holds the record (``hishel._storage._layout``: head, and a small body inline);
``<name>.<version>.body`` a large body, written whole under its final name before the record
naming it is written to ``.tmp-*`` and renamed over ``<name>``: a reader sees the old entry
or the new one. A reader that opened a body reads it to its end even when the entry is
replaced or removed meanwhile (POSIX keeps an unlinked file readable). Record swaps (commit,
head replacement) hold an exclusive lock on ``.lock``: a head never lands on a newer entry.
Writers hold an ``flock`` on the files they write until they are done (a head replacement
holds ``.lock`` from creating its temp file to renaming it instead), so the sweep (on the
first use after opening, then every ``check_ttl_every`` seconds, under ``.lock``) removes
temp files and unreferenced body files whose writer died (kill -9), never one still being
written. A record file's mtime is its ``stored_at``, so the ttl sweep needs only a directory
listing. With a byte budget, swaps and removals also keep the store's byte total
(``hishel._storage._file._tally``).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import typing as t
from pathlib import Path

from ...._core._clock import Clock
from ...._core._concurrency import async_to_thread
from ...._core._describe import absolute, storage_repr
from ...._core._messages import BytesBody
from ..._async._backend import (
    AsyncBackend,
    AsyncBackendWriter,
    AsyncBody,
    AsyncBodySink,
    AsyncChunkStream,
    AsyncSpillWriter,
    listed_record,
)
from ..._async._base import AsyncBaseStorage, StorageOptions
from ..._async._budget import RESYNC_EVERY
from ..._checks import check_base_path, check_number, expired, positional_01
from ..._layout import Record, Unpacked, pack, stored_at_of
from .._ops import (
    INLINE_READ,
    KEPT,
    KEPT_SIZE,
    LOCKS,
    DirectoryLock,
    RecordCache,
    TooLarge,
    create_locked,
    decoded,
    file_name,
    read_fd,
    read_record,
    try_lock,
    unlink,
    version_in,
    write_all,
    write_over,
)
from .._tally import FileTally, record_state

if t.TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["AsyncFileStorage"]

_TEMP_PREFIX = ".tmp-"
_BODY_SUFFIX = ".body"
_LOCK_NAME = ".lock"
INLINE_LIMIT = 256 * 1024  # bodies up to this size ride in the record


class _AsyncFileSink(AsyncBodySink):
    def __init__(self, path: str) -> None:
        self.path = path
        self.file = os.fdopen(create_locked(path), "wb")

    async def write(self, data: bytearray) -> None:
        await async_to_thread(self.file.write, data)

    async def discard(self) -> None:
        self.file.close()
        await async_to_thread(unlink, self.path)


class AsyncFileBackend(AsyncBackend):
    """Records and bodies as files in ``base_path``.

    A record of up to ``INLINE_READ`` bytes is read, written and swapped on the event loop
    (a 256 KiB read from the page cache ~10 us, a hop to a worker thread and back ~90 us; a
    disk that stalls stalls the loop for that call) unless another writer holds the directory
    lock; larger ones, bodies in files of their own and the sweep go to worker threads.
    Small records read again stay decoded (``RecordCache``: a hit is a stat); their heads
    the storage decodes once (``DecodedHeads``), both in ``hishel._core._memos``.
    """

    def __init__(
        self, base_path: Path, clock: Clock, ttl: float | None, every: float, tally: bool = False
    ) -> None:
        self._base = base_path
        self._dir = os.fspath(base_path) + os.sep  # paths are strings: no Path per call
        self._clock = clock
        self._ttl = ttl
        self._every = every
        self._last_sweep: float | None = None
        self._lock = DirectoryLock(self._dir + _LOCK_NAME)
        self._kept = RecordCache(read_fd, decoded, KEPT)
        self._tally = FileTally(self._dir, clock, self._names, RESYNC_EVERY) if tally else None
        self._total: int | None = None  # the tally as this process last changed it

    def _path(self, key: str) -> str:
        return self._dir + file_name(key)

    def _body_path(self, key: str, version: str) -> str:
        return f"{self._dir}{file_name(key)}.{version}{_BODY_SUFFIX}"

    def _ensure(self) -> None:
        if not self._base.is_dir():
            self._base.mkdir(parents=True, exist_ok=True)
            (self._base / ".gitignore").write_text("*\n")  # as hishel 0.1 did

    async def _maybe_sweep(self) -> None:
        now = self._clock.now()
        if self._last_sweep is not None and now - self._last_sweep < self._every:
            return
        self._last_sweep = now
        await async_to_thread(self._sweep, now)

    async def read(self, key: str) -> tuple[Record, AsyncBody] | None:
        await self._maybe_sweep()
        path = self._path(key)
        for _ in range(3):  # a record replaced between reading it and opening its body
            try:
                found = self._kept.read(path, INLINE_READ)
            except TooLarge:
                found = await async_to_thread(self._kept.read, path)
            if found is None:
                return None
            record = found.record
            if found.inline is not None:
                return record, BytesBody(found.inline)
            try:
                body = open(self._body_path(key, record.version), "rb", buffering=0)  # noqa: SIM115
            except FileNotFoundError:
                continue
            return record, AsyncChunkStream(body, record.size)
        return None

    async def heads(self) -> t.AsyncIterator[tuple[str, Record]]:
        names = await async_to_thread(self._names)
        for name in names:
            found = await async_to_thread(read_record, self._dir + name)
            if found is not None:
                yield name, listed_record(found[0], found[1])

    def names_key(self, name: str) -> bool:
        return not name.startswith("~")  # (else a digest of the key: see file_name)

    def record_name(self, name: str) -> str:
        return repr(os.path.abspath(self._path(name)))

    def _names(self) -> list[str]:
        try:
            return sorted(
                entry.name
                for entry in os.scandir(self._base)
                if not entry.name.startswith(".") and not entry.name.endswith(_BODY_SUFFIX)
            )
        except FileNotFoundError:
            return []

    # -- writing ------------------------------------------------------------------------

    async def open_writer(self, key: str, head: bytes, stored_at: float) -> AsyncBackendWriter:
        return AsyncSpillWriter(self, key, head, stored_at, limit=INLINE_LIMIT)

    async def _open_body(self, key: str, version: str) -> AsyncBodySink:
        return await async_to_thread(self._new_sink, self._body_path(key, version))

    def _new_sink(self, path: str) -> _AsyncFileSink:
        try:
            return _AsyncFileSink(path)
        except FileNotFoundError:
            self._ensure()
            return _AsyncFileSink(path)

    async def _commit(
        self, key: str, record: bytes, version: str, sink: AsyncBodySink | None
    ) -> None:
        if isinstance(sink, _AsyncFileSink):
            await async_to_thread(self._commit_body, key, record, sink)
        elif len(record) > INLINE_READ:
            await async_to_thread(self._swap, key, record)
        else:
            tmp, fd = self._stage(record)
            if not self._place(key, record, tmp, fd, wait=False):  # the lock is busy
                await async_to_thread(self._place, key, record, tmp, fd, True)
        await self._maybe_sweep()

    def _commit_body(self, key: str, record: bytes, sink: _AsyncFileSink) -> None:
        try:
            sink.file.flush()  # all of the body is in its file before a record names it
            self._swap(key, record)
        finally:
            sink.file.close()  # (releases the writer's lock, once it is referenced)

    def _swap(self, key: str, record: bytes) -> None:
        tmp, fd = self._stage(record)
        self._place(key, record, tmp, fd, True)

    def _stage(self, record: bytes) -> tuple[str, int]:
        """A new temp file holding ``record``, mtime its ``stored_at``, and its descriptor,
        locked until it is renamed (a sweep never takes a temp file a live writer holds)."""
        tmp = f"{self._dir}{_TEMP_PREFIX}{secrets.token_hex(8)}"
        try:
            fd = create_locked(tmp)
        except FileNotFoundError:  # the first record: make the directory
            self._ensure()
            fd = create_locked(tmp)
        try:
            write_all(fd, record)
            at = stored_at_of(record)
            os.utime(fd, (at, at))
        except BaseException:
            os.close(fd)
            unlink(tmp)
            raise
        return tmp, fd

    def _place(self, key: str, record: bytes, tmp: str, fd: int, wait: bool) -> bool:
        """Rename the staged ``tmp`` over the record of ``key``; False: without ``wait``, the
        directory lock was busy (nothing done)."""
        path = self._path(key)
        try:
            with self._lock.held(wait) as held:
                if not held:
                    return False
                old, gone, body = record_state(path)
                self._kept.drop(path)  # (a file replaced while open is freed only at its close)
                os.replace(tmp, path)
                if self._tally is not None:
                    self._total = self._tally.add(self._tally.record(record) - gone)
        except BaseException:
            os.close(fd)
            unlink(tmp)
            raise
        os.close(fd)
        if body:  # the replaced entry's body had a file of its own
            unlink(self._body_path(key, old))
        return True

    async def replace_head(self, key: str, head: bytes, version: str) -> bool:
        done = self._replace(key, head, version, wait=False)
        if done is None:  # the lock is busy, or the record large: in a worker thread
            done = await async_to_thread(self._replace, key, head, version, True)
        return done is True

    def _replace(self, key: str, head: bytes, version: str, wait: bool) -> bool | None:
        """Rewrite the record of ``version`` under ``key`` with ``head``: read, written and
        renamed under the directory lock, so it is read once and its temp file needs no lock
        of its own. None: without ``wait``, the lock was busy or the record is large."""
        if not self._lock.ready():
            return False  # no directory, no entry
        path = self._path(key)
        with self._lock.held(wait) as held:
            if not held:
                return None
            try:
                found = self._kept.read(path, None if wait else INLINE_READ, again=False)
            except TooLarge:
                return None
            if found is None or not version or found.record.version != version:
                return False  # removed, replaced, or of an earlier layout
            old = found.record
            record = pack(head, old.stored_at, version, found.inline, old.size)
            self._kept.drop(path)  # before the rename: freeing an open file costs more
            fd = write_over(f"{self._dir}{_TEMP_PREFIX}{secrets.token_hex(8)}", path, record)
            if found.inline is not None and len(record) <= KEPT_SIZE:  # a revalidated entry:
                new = Record(head, old.stored_at, old.size, version)  # its next read is a stat
                self._kept.keep(path, fd, Unpacked(new, found.inline))
            else:
                os.close(fd)
            if self._tally is not None:
                change = len(head) - len(old.head)  # (the body is the same)
                self._total = self._tally.add(change)
        return True

    async def delete(self, key: str) -> None:
        await async_to_thread(self._delete, key)

    def _delete(self, key: str) -> None:
        path = self._path(key)
        self._kept.drop(path)
        tally = self._tally if self._tally is not None and self._lock.ready() else None
        with self._lock.held() if tally is not None else contextlib.nullcontext():
            version, gone, body = record_state(path)
            unlink(path)
            if tally is not None:
                self._total = tally.add(-gone)
        if body:
            unlink(self._body_path(key, version))

    async def total_bytes(self) -> int | None:
        if self._tally is not None and self._total is None:  # else: as of our last change
            self._total = await async_to_thread(self._tally_total, self._tally)
        return self._total

    def _tally_total(self, tally: FileTally) -> int:
        self._ensure()
        with self._lock.held():
            return tally.total()

    async def aclose(self) -> None:
        self._lock.close()
        self._kept.close()
        if self._tally is not None:
            self._tally.close()

    # -- the sweep ------------------------------------------------------------------------

    def _sweep(self, now: float) -> None:
        try:
            listing = list(os.scandir(self._base))
        except FileNotFoundError:
            return
        for entry in listing:
            name = entry.name
            with contextlib.suppress(OSError, ValueError):
                if name.startswith(_TEMP_PREFIX):
                    self._reclaim(entry.path, "", "")
                elif name.endswith(_BODY_SUFFIX):
                    owner, _, version = name[: -len(_BODY_SUFFIX)].rpartition(".")
                    self._reclaim(entry.path, owner, version)
                elif not name.startswith(".") and expired(entry.stat().st_mtime, self._ttl, now):
                    self._delete(name)

    def _reclaim(self, path: str, owner: str, version: str) -> None:
        """Remove ``path`` (a temp file, or the body ``version`` of ``owner``) when no live
        writer holds it and no record points at it (under the directory lock, which writers
        hold from creating a file to locking it, and a head replacement while its temp file
        exists)."""
        with self._lock.held():
            fd = os.open(path, os.O_RDONLY)
            try:
                if not LOCKS or not try_lock(fd):
                    return
                if owner and version_in(self._dir + owner) == version:
                    return
                unlink(path)
            finally:
                os.close(fd)


class AsyncFileStorage(AsyncBaseStorage):
    """Entries as files in a directory.

    Args:
        serializer: writes the entry heads (default ``JSONSerializer``); bodies stay raw.
        base_path: the directory (default ``.hishel_cache`` relative to the working
            directory), created on the first store with a ``.gitignore`` holding ``*``.
        ttl: seconds (or a ``timedelta``) after ``store`` when an entry stops being served.
        check_ttl_every: seconds between two sweeps that delete expired files.
        clock: ``now() -> float`` read for ttl and sweeps (default ``time.time``).
        signing_key: signs every entry head (HMAC-SHA256); an unsigned or tampered
            entry is a miss, removed, never deserialized (see ``AsyncBaseStorage``).
        max_size: at most this many bytes of heads and bodies (None: no byte budget); the
            least recently used entries are evicted past it (``AsyncBaseStorage``).
    """

    @positional_01("serializer", "base_path", "ttl", "check_ttl_every")
    def __init__(
        self,
        *,
        base_path: str | os.PathLike[str] | None = None,
        check_ttl_every: int | float = 60,
        **options: Unpack[StorageOptions],
    ) -> None:
        super().__init__(**options)
        if base_path is not None and not isinstance(base_path, str | os.PathLike):
            raise TypeError(f"base_path must be a path, not {base_path!r}")
        path = Path(base_path).expanduser() if base_path is not None else Path(".hishel_cache")
        check_base_path(path)
        self._base_path = path
        self._where = f"{type(self).__name__} ({str(path)!r})"
        every = check_number("check_ttl_every", check_ttl_every) or 0.0
        budget = self._budget is not None
        self._backend = AsyncFileBackend(self._base_path, self._clock, self._ttl, every, budget)

    def _describe(self) -> str:
        return self._where

    def __repr__(self) -> str:
        every = getattr(self._backend, "_every", 60)
        where = [("base_path", absolute(self._base_path))]
        return storage_repr(self, where, [("check_ttl_every", every, 60)])
