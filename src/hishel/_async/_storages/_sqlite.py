"""SQLite storage: one row per entry in hishel 0.1's table layout, plus a small metadata row.

Table ``{table_name}(key TEXT PRIMARY KEY, data BLOB, date_created REAL)``: ``data`` holds the
framed entry (or a 0.1 document) and ``date_created`` the storage clock's time of ``store``,
for ttl. ``update_metadata`` writes the 16-byte metadata slot in a row of its own, keyed
``key + META_SUFFIX`` with the entry's ``date_created``, so a hit never rewrites the body
row (SQLite rewrites a whole row on UPDATE) and the ttl sweep removes both rows together.
A retrieve is one ``SELECT`` and writes nothing.

A body streamed in that outgrows ``ROW_SIZE`` goes, as it arrives, into rows of
``{table_name}_chunks(id, n, key, written, data)`` under a random ``id`` of the write, each
committed on its own (``key`` NULL: not part of an entry yet). The commit writes the entry's
row (only the head; ``data`` ends where the body would begin) and hands the chunks to ``key``
in one transaction, deleting the chunks of the entry it replaces; an abort deletes them, and
the sweep deletes those of a writer silent for an hour (it died). A hit reads the chunks one
``SELECT`` at a time by ``(id, n)``: an entry replaced mid-read has lost its chunks, so the
read fails rather than mixing two bodies.
"""

from __future__ import annotations

import os
import re
import secrets
import time
import typing as t

import httpcore

from ..._concurrency import AsyncLock
from ..._frame import (
    BODY_LEN,
    BODY_LEN_OFFSET,
    decode_entry,
    decode_head,
    encode_entry,
    encode_head,
    encode_meta,
    is_framed,
    with_body,
)
from ..._serializers import BaseSerializer, Metadata, import_extra
from ._base import AsyncBaseStorage, AsyncEntryWriter, Clock, logger

if t.TYPE_CHECKING:
    import anysqlite

__all__ = ["AsyncSQLiteStorage"]

META_SUFFIX = "#hishel-meta"
ROW_SIZE = 2 * 1024 * 1024  # a 1 MiB body with its head still fits one row
_SWEEP_EVERY = 60.0
_STALE_WRITE_SECONDS = 3600.0
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class AsyncSQLiteStorage(AsyncBaseStorage):
    """Entries in an SQLite table (needs ``pip install hishel[sqlite]``).

    Args:
        connection: an ``anysqlite`` connection (the storage leaves it open), or a database
            file path (opened by the storage in WAL mode with a busy timeout, closed by
            ``aclose``), or None for a private in-memory database.
        serializer: writes the entry heads (default ``JSONSerializer``); bodies stay raw.
        ttl: seconds after ``store`` when an entry stops being served (None: never).
        table_name: the table (a plain SQL identifier); the bodies of large entries go to
            ``{table_name}_chunks``, created when missing.
        create_table: create the table when missing; with False it must exist.
        clock: ``now() -> float`` read for ttl (default ``time.time``).

    The storage serializes its use of the connection with a lock. The sync ``SQLiteStorage``
    used from several threads needs a connection opened with ``check_same_thread=False``
    (the ones it opens itself are).
    """

    def __init__(
        self,
        *,
        connection: anysqlite.Connection | str | os.PathLike[str] | None = None,
        serializer: BaseSerializer | None = None,
        ttl: int | float | None = None,
        table_name: str = "cache",
        create_table: bool = True,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(serializer=serializer, ttl=ttl, clock=clock)
        self._anysqlite = import_extra("anysqlite", "sqlite")
        if not isinstance(table_name, str) or not _IDENTIFIER.fullmatch(table_name):
            raise ValueError(f"table_name must be a plain SQL identifier, not {table_name!r}")
        self._table = table_name
        self._chunks = f"{table_name}_chunks"
        self._create_table = bool(create_table)
        self._path: str | None = None
        self._connection: anysqlite.Connection | None = None
        if connection is None:
            self._path = ":memory:"
        elif isinstance(connection, str | os.PathLike):
            self._path = os.fspath(connection)
        else:
            self._connection = connection
        self._owned = self._path is not None
        self._ready = False
        self._lock = AsyncLock()
        self._last_sweep: float | None = None

    async def _setup(self) -> anysqlite.Connection:
        if self._connection is None:
            assert self._path is not None
            conn = await self._anysqlite.connect(self._path, check_same_thread=False, timeout=30.0)
            if self._path != ":memory:":
                await conn.execute("PRAGMA journal_mode=WAL")
            self._connection = conn
        conn = self._connection
        if not self._ready:
            if self._create_table:
                await conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {self._table} "
                    "(key TEXT PRIMARY KEY, data BLOB, date_created REAL)"
                )
            else:
                cursor = await conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                    (self._table,),
                )
                if await cursor.fetchone() is None:
                    raise LookupError(
                        f"SQLite table {self._table!r} does not exist: create it "
                        "(key TEXT PRIMARY KEY, data BLOB, date_created REAL) "
                        "or pass create_table=True"
                    )
            await conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self._chunks} (id TEXT NOT NULL, "
                "n INTEGER NOT NULL, key TEXT, written REAL NOT NULL, data BLOB NOT NULL, "
                "PRIMARY KEY (id, n))"  # data last: the other columns are read without it
            )
            await conn.execute(
                f"CREATE INDEX IF NOT EXISTS {self._chunks}_key ON {self._chunks} (key)"
            )
            await conn.commit()
            self._ready = True
        return conn

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
        await self._put(key, data, stored_at)

    async def _put(self, key: str, data: bytes, stored_at: float, chunk_id: str = "") -> None:
        """Write the entry row (and hand it the chunks of ``chunk_id``), replacing the old."""
        async with self._lock:
            conn = await self._setup()
            try:
                await conn.execute(
                    f"DELETE FROM {self._table} WHERE key IN (?, ?)", (key, key + META_SUFFIX)
                )
                await conn.execute(f"DELETE FROM {self._chunks} WHERE key = ?", (key,))
                await conn.execute(
                    f"INSERT INTO {self._table} (key, data, date_created) VALUES (?, ?, ?)",
                    (key, data, stored_at),
                )
                if chunk_id:
                    await conn.execute(
                        f"UPDATE {self._chunks} SET key = ? WHERE id = ?", (key, chunk_id)
                    )
                await self._maybe_sweep(conn, stored_at)
                await conn.commit()
            except BaseException:
                await conn.rollback()
                raise

    async def _maybe_sweep(self, conn: anysqlite.Connection, now: float) -> None:
        if self._last_sweep is not None and now - self._last_sweep < _SWEEP_EVERY:
            return
        self._last_sweep = now
        if self._ttl is not None:
            await conn.execute(
                f"DELETE FROM {self._table} WHERE date_created <= ?", (now - self._ttl,)
            )
            await conn.execute(
                f"DELETE FROM {self._chunks} WHERE key IS NOT NULL "
                f"AND key NOT IN (SELECT key FROM {self._table})"
            )
        await conn.execute(  # the chunks of writers silent for an hour: they died
            f"DELETE FROM {self._chunks} WHERE key IS NULL AND id IN (SELECT id "
            f"FROM {self._chunks} WHERE key IS NULL GROUP BY id HAVING max(written) < ?)",
            (time.time() - _STALE_WRITE_SECONDS,),
        )

    async def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None:
        async with self._lock:
            conn = await self._setup()
            cursor = await conn.execute(  # (no GROUP BY: its sorter would load the chunks)
                f"SELECT 0, key, data, date_created FROM {self._table} WHERE key IN (?, ?) "
                f"UNION ALL SELECT 1, min(id), count(*), sum(length(data)) FROM {self._chunks} "
                "WHERE key = ?",
                (key, key + META_SUFFIX, key),
            )
            rows = await cursor.fetchall()
        data: bytes | None = None
        meta: bytes | None = None
        chunks: tuple[str, int, int] | None = None  # id, count, length
        stored_at = 0.0
        for is_chunk, row_key, value, number in rows:
            if is_chunk:
                chunks = (row_key, int(value), int(number)) if value else None
                continue
            raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
            if row_key == key:
                data, stored_at = raw, float(number or 0.0)
            else:
                meta = raw
        if data is None or self._expired(stored_at):
            return None
        try:
            if not chunks or not is_framed(data):
                entry = decode_entry(self._serializer, data, meta=meta)
                return entry.response, entry.request, entry.metadata
            head = decode_head(self._serializer, data, meta=meta)
            if len(data) != head.body_offset or chunks[2] != head.body_len:
                raise ValueError("the chunks of the entry do not match its frame")
        except Exception:
            logger.warning(
                "hishel: unreadable SQLite cache entry; treating as a miss", exc_info=True
            )
            return None
        chunk_id, count, _ = chunks
        body = _AsyncSQLiteBody(self, chunk_id, count)
        return with_body(head.response, body), head.request, head.metadata

    async def _chunk(self, chunk_id: str, n: int) -> bytes | None:
        async with self._lock:
            conn = await self._setup()
            cursor = await conn.execute(
                f"SELECT data FROM {self._chunks} WHERE id = ? AND n = ?", (chunk_id, n)
            )
            row = await cursor.fetchone()
        return None if row is None else bytes(row[0])

    async def _write_chunk(self, chunk_id: str, n: int, data: bytes) -> None:
        async with self._lock:
            conn = await self._setup()
            try:
                await conn.execute(
                    f"INSERT INTO {self._chunks} (id, n, key, written, data) "
                    "VALUES (?, ?, NULL, ?, ?)",
                    (chunk_id, n, time.time(), data),
                )
                await conn.commit()
            except BaseException:
                await conn.rollback()
                raise

    async def _drop_chunks(self, chunk_id: str) -> None:
        async with self._lock:
            conn = await self._setup()
            await conn.execute(f"DELETE FROM {self._chunks} WHERE id = ?", (chunk_id,))
            await conn.commit()

    async def remove(self, key: str | httpcore.Response) -> None:
        name = self._key_of(key)
        async with self._lock:
            conn = await self._setup()
            await conn.execute(
                f"DELETE FROM {self._table} WHERE key IN (?, ?)", (name, name + META_SUFFIX)
            )
            await conn.execute(f"DELETE FROM {self._chunks} WHERE key = ?", (name,))
            await conn.commit()

    async def update_metadata(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> None:
        async with self._lock:
            conn = await self._setup()
            try:
                await conn.execute(f"DELETE FROM {self._table} WHERE key = ?", (key + META_SUFFIX,))
                await conn.execute(
                    f"INSERT INTO {self._table} (key, data, date_created) "
                    f"SELECT ?, ?, date_created FROM {self._table} WHERE key = ?",
                    (key + META_SUFFIX, encode_meta(metadata), key),
                )
                await conn.commit()
            except BaseException:
                await conn.rollback()
                raise

    async def _open_writer(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> AsyncEntryWriter:
        stored_at = self._now()
        head = encode_head(self._serializer, response, request, metadata, stored_at=stored_at)
        writer = _AsyncSQLiteWriter(self, key, response, request, metadata)
        return writer.start(self, head, stored_at)

    async def aclose(self) -> None:
        if self._owned and self._connection is not None:
            connection, self._connection = self._connection, None
            self._ready = False
            await connection.close()


class _AsyncSQLiteBody:
    """A chunked body, read one row at a time."""

    def __init__(self, storage: AsyncSQLiteStorage, chunk_id: str, count: int) -> None:
        self._storage = storage
        self._chunk_id = chunk_id
        self._count = count
        self._n = 0

    def __aiter__(self) -> _AsyncSQLiteBody:
        return self

    async def __anext__(self) -> bytes:
        if self._n >= self._count:
            raise StopAsyncIteration
        chunk = await self._storage._chunk(self._chunk_id, self._n)
        if chunk is None:
            raise OSError("the stored entry changed while its body was read")
        self._n += 1
        return chunk

    async def aclose(self) -> None:
        self._n = self._count


class _AsyncSQLiteWriter(AsyncEntryWriter):
    """Keeps up to ``ROW_SIZE`` bytes of body; a longer body goes to chunk rows."""

    def start(
        self, storage: AsyncSQLiteStorage, head: bytes, stored_at: float
    ) -> _AsyncSQLiteWriter:
        self._sqlite = storage
        self._head = head
        self._stored_at = stored_at
        self._chunk_id = secrets.token_hex(16)
        self._written = 0  # chunk rows
        self._buffered = 0
        self._body_len = 0
        return self

    async def write(self, chunk: bytes) -> None:
        self._chunks.append(chunk)
        self._buffered += len(chunk)
        self._body_len += len(chunk)
        if self._buffered >= ROW_SIZE:
            await self._flush()

    async def _flush(self) -> None:
        data, self._chunks, self._buffered = b"".join(self._chunks), [], 0
        await self._sqlite._write_chunk(self._chunk_id, self._written, data)
        self._written += 1

    async def commit(self) -> None:
        body_len = BODY_LEN.pack(self._body_len)
        end = BODY_LEN_OFFSET + BODY_LEN.size
        head = self._head[:BODY_LEN_OFFSET] + body_len + self._head[end:]
        if not self._written:  # one row, as store writes
            data, self._chunks = b"".join([head, *self._chunks]), []
            await self._sqlite._put(self._key, data, self._stored_at)
            return
        try:
            if self._chunks:
                await self._flush()
            await self._sqlite._put(self._key, head, self._stored_at, self._chunk_id)
        except BaseException:
            await self.abort()
            raise
        self._written = 0

    async def abort(self) -> None:
        self._chunks = []
        if self._written:
            self._written = 0
            await self._sqlite._drop_chunks(self._chunk_id)
