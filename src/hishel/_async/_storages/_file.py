"""File storage: one framed entry per file, written atomically, bodies streamed both ways.

A file is written to a temporary name in the same directory (``.tmp-*``) and renamed over the
entry with ``os.replace`` only once complete, so a reader sees the old entry or the new one,
never half of one. A file whose size does not match its frame (truncated, e.g. after a crash
before the data reached the disk) or that does not decode is a miss. ``update_metadata``
rewrites the 16-byte metadata slot in place and keeps the file's mtime, which is set to the
``stored_at`` of the entry so the ttl sweep needs only a directory listing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import time
import typing as t
from pathlib import Path

import httpcore

from ..._concurrency import async_to_thread
from ..._frame import (
    BODY_LEN,
    BODY_LEN_OFFSET,
    CHUNK_SIZE,
    FIXED_SIZE,
    META_OFFSET,
    Opened,
    decode_entry,
    encode_entry,
    encode_head,
    encode_meta,
    head_size,
    is_framed,
    open_entry,
    with_body,
)
from ..._serializers import BaseSerializer, Metadata
from ._base import AsyncBaseStorage, AsyncChunkStream, AsyncEntryWriter, Clock, check_number, logger

__all__ = ["AsyncFileStorage"]

_SAFE_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}")
_TEMP_PREFIX = ".tmp-"
_STALE_TEMP_SECONDS = 3600.0
# Entries up to this size are read without a worker thread in async code.
_INLINE_READ = 64 * 1024
# Bodies up to this size are read in one piece: one read, one chunk, no join by the client.
_WHOLE_BODY = 2 * 1024 * 1024


def _small_file(path: Path) -> bool:
    """Whether ``path`` is a file small enough to read inline (``False`` when absent)."""
    try:
        return os.stat(path).st_size <= _INLINE_READ
    except OSError:
        return False


def file_name(key: str) -> str:
    """The key itself when it is a safe file name (hex digests are), else a digest of it."""
    if _SAFE_NAME.fullmatch(key):
        return key
    return "~" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def _replace(tmp: str, path: Path, stored_at: float) -> None:
    os.utime(tmp, (stored_at, stored_at))
    os.replace(tmp, path)


def _unlink(path: str | Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


class AsyncFileStorage(AsyncBaseStorage):
    """Entries as files in a directory.

    Args:
        serializer: writes the entry heads (default ``JSONSerializer``); bodies stay raw.
        base_path: the directory (default ``.hishel_cache`` relative to the working
            directory), created on the first store.
        ttl: seconds after ``store`` when an entry stops being served (None: never).
        check_ttl_every: seconds between two sweeps that delete expired files.
        clock: ``now() -> float`` read for ttl and sweeps (default ``time.time``).
    """

    def __init__(
        self,
        *,
        serializer: BaseSerializer | None = None,
        base_path: str | os.PathLike[str] | None = None,
        ttl: int | float | None = None,
        check_ttl_every: int | float = 60,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(serializer=serializer, ttl=ttl, clock=clock)
        if base_path is not None and not isinstance(base_path, str | os.PathLike):
            raise TypeError(f"base_path must be a path, not {base_path!r}")
        self._base_path = Path(base_path) if base_path is not None else Path(".hishel_cache")
        self._check_ttl_every = check_number("check_ttl_every", check_ttl_every)
        self._last_sweep: float | None = None

    def _path(self, key: str) -> Path:
        return self._base_path / file_name(key)

    async def store(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata | None = None,
    ) -> None:
        stored_at = self._now()
        data = encode_entry(
            self._serializer,
            response,
            request,
            self._metadata(key, metadata),
            stored_at=stored_at,
        )
        await async_to_thread(self._write, self._path(key), data, stored_at)
        await self._maybe_sweep()

    def _write(self, path: Path, data: bytes, stored_at: float) -> None:
        fd, tmp = self._temp()
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            _replace(tmp, path, stored_at)
        except BaseException:
            _unlink(tmp)
            raise

    def _temp(self) -> tuple[int, str]:
        self._base_path.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=self._base_path)

    async def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None:
        await self._maybe_sweep()
        path = self._path(key)
        try:
            if _small_file(path):
                # A small local read costs less than a hop to a worker thread and back.
                found = self._open(path)
            else:
                found = await async_to_thread(self._open, path)
        except Exception:
            logger.warning("hishel: unreadable file cache entry; treating as a miss", exc_info=True)
            return None
        if found is None:
            return None
        (entry, first, remaining), file = found
        response = entry.response
        if remaining:
            response = with_body(response, AsyncChunkStream(first, file, remaining))
        return response, entry.request, entry.metadata

    def _open(self, path: Path) -> tuple[Opened, t.BinaryIO] | None:
        try:
            file = open(path, "rb")  # noqa: SIM115 - handed to the body stream
        except FileNotFoundError:
            return None
        try:
            stat = os.fstat(file.fileno())
            opened = open_entry(self._serializer, file.read, total=stat.st_size)
            stored_at = opened.entry.stored_at
            if self._expired(stat.st_mtime if stored_at is None else stored_at):
                file.close()
                return None
            if 0 < opened.remaining <= _WHOLE_BODY:
                file.seek(stat.st_size - opened.remaining - len(opened.first))
                body = file.read()
                response = with_body(opened.entry.response, body)
                opened = Opened(opened.entry._replace(response=response), body, 0)
            if not opened.remaining:
                file.close()
            return opened, file
        except BaseException:
            file.close()
            raise

    async def remove(self, key: str | httpcore.Response) -> None:
        await async_to_thread(_unlink, self._path(self._key_of(key)))

    async def update_metadata(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> None:
        await async_to_thread(self._update, self._path(key), metadata)

    def _update(self, path: Path, metadata: Metadata) -> None:
        try:
            file = open(path, "r+b")  # noqa: SIM115
        except FileNotFoundError:
            return
        with file:
            stat = os.fstat(file.fileno())
            fixed = file.read(FIXED_SIZE)
            if is_framed(fixed):
                head_size(fixed)  # a known frame version
                file.seek(META_OFFSET)
                file.write(encode_meta(metadata))
                legacy = None
            else:  # a 0.1 entry: rewritten once as a frame, its age kept
                legacy = decode_entry(self._serializer, fixed + file.read())
        if legacy is None:
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            return
        data = encode_entry(
            self._serializer, legacy.response, legacy.request, metadata, stored_at=stat.st_mtime
        )
        self._write(path, data, stat.st_mtime)

    async def _open_writer(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> AsyncEntryWriter:
        stored_at = self._now()
        head = encode_head(self._serializer, response, request, metadata, stored_at=stored_at)
        fd, tmp = await async_to_thread(self._temp)
        file = os.fdopen(fd, "wb")
        return _AsyncFileWriter(self, key, response, request, metadata).start(
            file, tmp, self._path(key), head, stored_at
        )

    async def _maybe_sweep(self) -> None:
        now = self._now()
        every = self._check_ttl_every or 0.0
        if self._last_sweep is not None and now - self._last_sweep < every:
            return
        self._last_sweep = now
        await async_to_thread(self._sweep, now)

    def _sweep(self, now: float) -> None:
        try:
            entries = os.scandir(self._base_path)
        except FileNotFoundError:
            return
        with entries:
            for entry in entries:
                try:
                    mtime = entry.stat().st_mtime
                    if entry.name.startswith(_TEMP_PREFIX):
                        if time.time() - mtime > _STALE_TEMP_SECONDS:  # a writer that died
                            _unlink(entry.path)
                    elif self._expired(mtime):
                        _unlink(entry.path)
                except OSError:
                    continue


class _AsyncFileWriter(AsyncEntryWriter):
    """Writes the body to the temporary file; commit patches the body length and renames."""

    def start(
        self, file: t.BinaryIO, tmp: str, path: Path, head: bytes, stored_at: float
    ) -> _AsyncFileWriter:
        self._file = file
        self._tmp = tmp
        self._path = path
        self._stored_at = stored_at
        self._body_len = 0
        self._chunks = [head]
        self._buffered = len(head)
        return self

    async def write(self, chunk: bytes) -> None:
        self._chunks.append(chunk)
        self._body_len += len(chunk)
        self._buffered += len(chunk)
        if self._buffered >= CHUNK_SIZE:
            await self._flush()

    async def _flush(self) -> None:
        data, self._chunks, self._buffered = b"".join(self._chunks), [], 0
        await async_to_thread(self._file.write, data)

    async def commit(self) -> None:
        try:
            await self._flush()
            await async_to_thread(self._finish)
        except BaseException:
            await self.abort()
            raise

    def _finish(self) -> None:
        self._file.seek(BODY_LEN_OFFSET)
        self._file.write(BODY_LEN.pack(self._body_len))
        self._file.close()
        _replace(self._tmp, self._path, self._stored_at)

    async def abort(self) -> None:
        self._chunks = []
        self._file.close()
        await async_to_thread(_unlink, self._tmp)
