"""Plain blocking file operations of the file store: locks, records, temp files.

The file backend calls these from its worker threads (or inline for small records). A
record file is locked (flock) by the writer that creates it until it is renamed into place,
and a sweep removes only temp files it can lock, so it never takes a live writer's file.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import typing as t
from pathlib import Path

from ._layout import FIXED, record_size, version_of

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: no cross-process locks
    fcntl = None  # type: ignore[assignment]

LOCKS = fcntl is not None  # whether files can be locked across processes (POSIX flock)

__all__ = [
    "INLINE_READ",
    "LOCKS",
    "DirectoryLock",
    "create_locked",
    "read_record",
    "try_lock",
    "unlink",
    "version_in",
]

INLINE_READ = 64 * 1024  # records up to this size are read without a worker thread


def unlink(path: str | Path) -> None:
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

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None
        self._threads = threading.Lock()

    @contextlib.contextmanager
    def held(self) -> t.Iterator[None]:
        with self._threads:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o644)
            if fcntl is not None:
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                if fcntl is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        with self._threads:
            fd, self._fd = self._fd, None
            if fd is not None:
                os.close(fd)


def read_record(path: Path) -> tuple[bytes, float] | None:
    """The record bytes of ``path`` (head and inline body) and its mtime; None if absent."""
    try:
        file = open(path, "rb")  # noqa: SIM115
    except FileNotFoundError:
        return None
    with file:
        data = file.read(INLINE_READ)
        mtime = os.fstat(file.fileno()).st_mtime
        need = record_size(data)
        if need is None:  # an entry of an earlier version: read whole
            return data + file.read(), mtime
        if len(data) < need:
            data += file.read(need - len(data))
        if data[6] & 1:  # INLINE: the body follows
            data += file.read()
        return data, mtime


def version_in(path: Path) -> str:
    """The version of the record in ``path`` ("" when absent, unreadable or older)."""
    try:
        with open(path, "rb") as file:
            prefix = file.read(FIXED)
    except FileNotFoundError:
        return ""
    return version_of(prefix)


def create_locked(path: Path) -> int:
    """Create and lock ``path``; again when a sweep locked it first (the sweep removes it)."""
    for _ in range(100):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:  # the file a sweep is removing
            time.sleep(0.002)
            continue
        if try_lock(fd):
            return fd
        os.close(fd)
        time.sleep(0.002)
    raise OSError(f"could not create and lock {path.name}")
