# GENERATED from the async source by scripts/unasync.py; do not edit.
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

from ..._concurrency import Lock
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
from ._base import BaseStorage, EntryWriter, Clock, logger

if t.TYPE_CHECKING:
    import sqlite3

__all__ = ["SQLiteStorage"]

META_SUFFIX = "#hishel-meta"
ROW_SIZE = 2 * 1024 * 1024  # a 1 MiB body with its head still fits one row
_SWEEP_EVERY = 60.0
_STALE_WRITE_SECONDS = 3600.0
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class SQLiteStorage(BaseStorage):
    """Entries in an SQLite table (needs ``pip install hishel[sqlite]``).

    Args:
        connection: an ``sqlite3`` connection (the storage leaves it open), or a database
            file path (opened by the storage in WAL mode with a busy timeout, closed by
            ``close``), or None for a private in-memory database.
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
        connection: sqlite3.Connection | str | os.PathLike[str] | None = None,
        serializer: BaseSerializer | None = None,
        ttl: int | float | None = None,
        table_name: str = "cache",
        create_table: bool = True,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(serializer=serializer, ttl=ttl, clock=clock)
        self._anysqlite = import_extra("sqlite3", "sqlite")
        if not isinstance(table_name, str) or not _IDENTIFIER.fullmatch(table_name):
            raise ValueError(f"table_name must be a plain SQL identifier, not {table_name!r}")
        self._table = table_name
        self._chunks = f"{table_name}_chunks"
        self._create_table = bool(create_table)
        self._path: str | None = None
        self._connection: sqlite3.Connection | None = None
        if connection is None:
            self._path = ":memory:"
        elif isinstance(connection, str | os.PathLike):
            self._path = os.fspath(connection)
        else:
            self._connection = connection
        self._owned = self._path is not None
        self._ready = False
        self._lock = Lock()
        self._last_sweep: float | None = None

    def _setup(self) -> sqlite3.Connection:
        if self._connection is None:
            assert self._path is not None
            conn = self._anysqlite.connect(self._path, check_same_thread=False, timeout=30.0)
            if self._path != ":memory:":
                conn.execute("PRAGMA journal_mode=WAL")
            self._connection = conn
        conn = self._connection
        if not self._ready:
            if self._create_table:
                conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {self._table} "
                    "(key TEXT PRIMARY KEY, data BLOB, date_created REAL)"
                )
            else:
                cursor = conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                    (self._table,),
                )
                if cursor.fetchone() is None:
                    raise LookupError(
                        f"SQLite table {self._table!r} does not exist: create it "
                        "(key TEXT PRIMARY KEY, data BLOB, date_created REAL) "
                        "or pass create_table=True"
                    )
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self._chunks} (id TEXT NOT NULL, "
                "n INTEGER NOT NULL, key TEXT, written REAL NOT NULL, data BLOB NOT NULL, "
                "PRIMARY KEY (id, n))"  # data last: the other columns are read without it
            )
            conn.execute(
                f"CREATE INDEX IF NOT EXISTS {self._chunks}_key ON {self._chunks} (key)"
            )
            conn.commit()
            self._ready = True
        return conn

    def store(
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
        self._put(key, data, stored_at)

    def _put(self, key: str, data: bytes, stored_at: float, chunk_id: str = "") -> None:
        """Write the entry row (and hand it the chunks of ``chunk_id``), replacing the old."""
        with self._lock:
            conn = self._setup()
            try:
                conn.execute(
                    f"DELETE FROM {self._table} WHERE key IN (?, ?)", (key, key + META_SUFFIX)
                )
                conn.execute(f"DELETE FROM {self._chunks} WHERE key = ?", (key,))
                conn.execute(
                    f"INSERT INTO {self._table} (key, data, date_created) VALUES (?, ?, ?)",
                    (key, data, stored_at),
                )
                if chunk_id:
                    conn.execute(
                        f"UPDATE {self._chunks} SET key = ? WHERE id = ?", (key, chunk_id)
                    )
                self._maybe_sweep(conn, stored_at)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise

    def _maybe_sweep(self, conn: sqlite3.Connection, now: float) -> None:
        if self._last_sweep is not None and now - self._last_sweep < _SWEEP_EVERY:
            return
        self._last_sweep = now
        if self._ttl is not None:
            conn.execute(
                f"DELETE FROM {self._table} WHERE date_created <= ?", (now - self._ttl,)
            )
            conn.execute(
                f"DELETE FROM {self._chunks} WHERE key IS NOT NULL "
                f"AND key NOT IN (SELECT key FROM {self._table})"
            )
        conn.execute(  # the chunks of writers silent for an hour: they died
            f"DELETE FROM {self._chunks} WHERE key IS NULL AND id IN (SELECT id "
            f"FROM {self._chunks} WHERE key IS NULL GROUP BY id HAVING max(written) < ?)",
            (time.time() - _STALE_WRITE_SECONDS,),
        )

    def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None:
        with self._lock:
            conn = self._setup()
            cursor = conn.execute(  # (no GROUP BY: its sorter would load the chunks)
                f"SELECT 0, key, data, date_created FROM {self._table} WHERE key IN (?, ?) "
                f"UNION ALL SELECT 1, min(id), count(*), sum(length(data)) FROM {self._chunks} "
                "WHERE key = ?",
                (key, key + META_SUFFIX, key),
            )
            rows = cursor.fetchall()
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

    def _chunk(self, chunk_id: str, n: int) -> bytes | None:
        with self._lock:
            conn = self._setup()
            cursor = conn.execute(
                f"SELECT data FROM {self._chunks} WHERE id = ? AND n = ?", (chunk_id, n)
            )
            row = cursor.fetchone()
        return None if row is None else bytes(row[0])

    def _write_chunk(self, chunk_id: str, n: int, data: bytes) -> None:
        with self._lock:
            conn = self._setup()
            try:
                conn.execute(
                    f"INSERT INTO {self._chunks} (id, n, key, written, data) "
                    "VALUES (?, ?, NULL, ?, ?)",
                    (chunk_id, n, time.time(), data),
                )
                conn.commit()
            except BaseException:
                conn.rollback()
                raise

    def _drop_chunks(self, chunk_id: str) -> None:
        with self._lock:
            conn = self._setup()
            conn.execute(f"DELETE FROM {self._chunks} WHERE id = ?", (chunk_id,))
            conn.commit()

    def remove(self, key: str | httpcore.Response) -> None:
        name = self._key_of(key)
        with self._lock:
            conn = self._setup()
            conn.execute(
                f"DELETE FROM {self._table} WHERE key IN (?, ?)", (name, name + META_SUFFIX)
            )
            conn.execute(f"DELETE FROM {self._chunks} WHERE key = ?", (name,))
            conn.commit()

    def update_metadata(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> None:
        with self._lock:
            conn = self._setup()
            try:
                conn.execute(f"DELETE FROM {self._table} WHERE key = ?", (key + META_SUFFIX,))
                conn.execute(
                    f"INSERT INTO {self._table} (key, data, date_created) "
                    f"SELECT ?, ?, date_created FROM {self._table} WHERE key = ?",
                    (key + META_SUFFIX, encode_meta(metadata), key),
                )
                conn.commit()
            except BaseException:
                conn.rollback()
                raise

    def _open_writer(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> EntryWriter:
        stored_at = self._now()
        head = encode_head(self._serializer, response, request, metadata, stored_at=stored_at)
        writer = _AsyncSQLiteWriter(self, key, response, request, metadata)
        return writer.start(self, head, stored_at)

    def close(self) -> None:
        if self._owned and self._connection is not None:
            connection, self._connection = self._connection, None
            self._ready = False
            connection.close()


class _AsyncSQLiteBody:
    """A chunked body, read one row at a time."""

    def __init__(self, storage: SQLiteStorage, chunk_id: str, count: int) -> None:
        self._storage = storage
        self._chunk_id = chunk_id
        self._count = count
        self._n = 0

    def __iter__(self) -> _AsyncSQLiteBody:
        return self

    def __next__(self) -> bytes:
        if self._n >= self._count:
            raise StopIteration
        chunk = self._storage._chunk(self._chunk_id, self._n)
        if chunk is None:
            raise OSError("the stored entry changed while its body was read")
        self._n += 1
        return chunk

    def close(self) -> None:
        self._n = self._count


class _AsyncSQLiteWriter(EntryWriter):
    """Keeps up to ``ROW_SIZE`` bytes of body; a longer body goes to chunk rows."""

    def start(
        self, storage: SQLiteStorage, head: bytes, stored_at: float
    ) -> _AsyncSQLiteWriter:
        self._sqlite = storage
        self._head = head
        self._stored_at = stored_at
        self._chunk_id = secrets.token_hex(16)
        self._written = 0  # chunk rows
        self._buffered = 0
        self._body_len = 0
        return self

    def write(self, chunk: bytes) -> None:
        self._chunks.append(chunk)
        self._buffered += len(chunk)
        self._body_len += len(chunk)
        if self._buffered >= ROW_SIZE:
            self._flush()

    def _flush(self) -> None:
        data, self._chunks, self._buffered = b"".join(self._chunks), [], 0
        self._sqlite._write_chunk(self._chunk_id, self._written, data)
        self._written += 1

    def commit(self) -> None:
        body_len = BODY_LEN.pack(self._body_len)
        end = BODY_LEN_OFFSET + BODY_LEN.size
        head = self._head[:BODY_LEN_OFFSET] + body_len + self._head[end:]
        if not self._written:  # one row, as store writes
            data, self._chunks = b"".join([head, *self._chunks]), []
            self._sqlite._put(self._key, data, self._stored_at)
            return
        try:
            if self._chunks:
                self._flush()
            self._sqlite._put(self._key, head, self._stored_at, self._chunk_id)
        except BaseException:
            self.abort()
            raise
        self._written = 0

    def abort(self) -> None:
        self._chunks = []
        if self._written:
            self._written = 0
            self._sqlite._drop_chunks(self._chunk_id)
