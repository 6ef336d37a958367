"""Plain blocking file operations of the file store: names, locks, records, temp files.

The file backend calls these from its worker threads, or inline on the event loop for small
records (see ``INLINE_READ``). They work on ``os`` descriptors and string paths: a hit or a
miss is a handful of system calls, with no buffered file object or ``Path`` built around
them. A file a writer creates is locked (flock) by it until it is renamed into place, and a
sweep removes only temp files it can lock, so it never takes a live writer's file.
``RecordCache`` (``hishel._core._memos``) keeps small records read again (a hit is one stat).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
import time
import typing as t

from ..._core._memos import RecordCache
from .._layout import FIXED, INLINE, Unpacked, record_length, stored_at_of, unpack, version_of

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no cross-process locks
    fcntl = None  # type: ignore[assignment]

LOCKS = fcntl is not None  # whether files can be locked across processes (POSIX flock)

__all__ = [
    "INLINE_READ",
    "KEPT",
    "KEPT_SIZE",
    "LOCKS",
    "DirectoryLock",
    "RecordCache",
    "TooLarge",
    "create",
    "create_locked",
    "decoded",
    "file_name",
    "read_fd",
    "read_record",
    "try_lock",
    "unlink",
    "version_in",
    "write_all",
    "write_over",
]

_SAFE_NAME = re.compile(r"[A-Za-z0-9_-]{1,128}|~[0-9a-f]{64}")
KEPT, KEPT_SIZE = 64, 64 * 1024  # records of up to KEPT_SIZE bytes kept decoded, and heads
FIRST_READ = 64 * 1024  # the first read of a record: its head, and a small body with it
INLINE_READ = 320 * 1024
"""Records up to this size (an inline body of up to 256 KiB and its head) are read and
written on the event loop: from the page cache, 256 KiB take ~10 µs there, a hop to a worker
thread and back ~90 µs (measured on a 2-core Linux box)."""


class TooLarge(Exception):
    """The record is longer than the caller wanted to read (``read_record``'s ``limit``)."""


def file_name(key: str) -> str:
    """The key itself when it is a safe file name (hex digests are), else a digest of it."""
    if _SAFE_NAME.fullmatch(key):
        return key
    return "~" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def decoded(data: bytes, mtime: float) -> tuple[Unpacked, bool]:
    """The record ``data`` decoded, and whether to keep it (small, of this layout, inline)."""
    found = unpack(data, fallback_stored_at=mtime)
    small = len(data) <= KEPT_SIZE and found.inline is not None
    return found, small and bool(found.record.version)


def unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def try_lock(fd: int) -> bool:
    """Take an exclusive lock without waiting; True when taken (or without flock)."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class DirectoryLock:
    """An exclusive lock on ``.lock`` for record swaps: a thread lock within the process
    (flock does not exclude threads sharing a descriptor), flock across processes. The
    descriptor stays open, so a swap costs no open."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._fd: int | None = None
        self._threads = threading.Lock()

    def ready(self) -> bool:
        """Whether the lock can be taken (False: the directory does not exist)."""
        if self._fd is None:
            with self._threads:
                if self._fd is None:
                    try:
                        self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
                    except FileNotFoundError:
                        return False
        return True

    @contextlib.contextmanager
    def held(self, wait: bool = True) -> t.Iterator[bool]:
        """Hold the lock; without ``wait``, only when nobody holds it (yields whether held)."""
        if not self._threads.acquire(blocking=wait):
            yield False
            return
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
            if fcntl is not None:
                if not wait and not try_lock(self._fd):
                    yield False
                    return
                if wait:
                    fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield True
            finally:
                if fcntl is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def close(self) -> None:
        with self._threads:
            fd, self._fd = self._fd, None
            if fd is not None:
                os.close(fd)


def read_record(path: str, limit: int | None = None) -> tuple[bytes, float] | None:
    """The record bytes of ``path`` (head and inline body) and, for a record of an earlier
    layout (which has no ``stored_at``), its mtime (else 0.0); None if absent. With
    ``limit``, a record longer than that is not read: ``TooLarge``."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        return read_fd(fd, limit)
    finally:
        os.close(fd)


def read_fd(fd: int, limit: int | None = None) -> tuple[bytes, float]:
    """As ``read_record``, from the open record file ``fd``."""
    data = os.read(fd, FIRST_READ)
    whole = len(data) < FIRST_READ  # a short read of a regular file: its end
    need = record_length(data)
    if need is None:  # an entry of an earlier version: read whole
        status = os.fstat(fd)
        if limit is not None and status.st_size > limit:
            raise TooLarge()
        return (data if whole else _read_more(fd, data, None)), status.st_mtime
    inline = data[6] & INLINE  # the body follows the head
    if limit is not None and need > limit:
        raise TooLarge()
    if whole:
        return data, 0.0
    # To its end when the body rides inline (a record longer than it says is corrupt).
    return _read_more(fd, data, None if inline else need), 0.0


def _read_more(fd: int, data: bytes, upto: int | None) -> bytes:
    """``data`` and what follows it in ``fd``: up to ``upto`` bytes in all (None: to the end)."""
    parts, have = [data], len(data)
    while upto is None or have < upto:
        chunk = os.read(fd, FIRST_READ if upto is None else upto - have)
        if not chunk:
            break
        parts.append(chunk)
        have += len(chunk)
    return b"".join(parts)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def version_in(path: str) -> str:
    """The version of the record in ``path`` ("" when absent, unreadable or older)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return ""
    try:
        return version_of(os.pread(fd, FIXED, 0))
    finally:
        os.close(fd)


def create(path: str) -> int:
    """Create ``path`` (it must not exist); its descriptor, open for writing."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)


def write_over(tmp: str, path: str, record: bytes) -> int:
    """Write ``record`` to the new file ``tmp``, mtime its ``stored_at``, and rename it over
    ``path``; returns its descriptor, still open."""
    fd = create(tmp)
    try:
        write_all(fd, record)
        at = stored_at_of(record)
        os.utime(fd, (at, at))
        os.replace(tmp, path)
    except BaseException:
        os.close(fd)
        unlink(tmp)
        raise
    return fd


def create_locked(path: str) -> int:
    """Create and lock ``path``; again when a sweep locked it first (the sweep removes it)."""
    for _ in range(100):
        try:
            fd = create(path)
        except FileExistsError:  # the file a sweep is removing
            time.sleep(0.002)
            continue
        # Locked, and still under its name: a sweep that locked it between its creation and
        # our lock has removed it and let go (then it has no link left).
        if try_lock(fd) and os.fstat(fd).st_nlink:
            return fd
        os.close(fd)
        time.sleep(0.002)
    raise OSError(f"could not create and lock {os.path.basename(path)}")
