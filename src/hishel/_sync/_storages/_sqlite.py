# GENERATED from the async source by scripts/unasync.py; do not edit.
"""SQLite storage: one row per entry in hishel 0.1's table layout, plus a small metadata row.

Table ``{table_name}(key TEXT PRIMARY KEY, data BLOB, date_created REAL)``: ``data`` holds the
framed entry (or a 0.1 document) and ``date_created`` the storage clock's time of ``store``,
for ttl. ``update_metadata`` writes the 16-byte metadata slot in a row of its own, keyed
``key + META_SUFFIX`` with the entry's ``date_created``, so a hit never rewrites the body
row (SQLite rewrites a whole row on UPDATE) and the ttl sweep removes both rows together.
A retrieve is one ``SELECT`` and writes nothing.
"""

from __future__ import annotations

import os
import re
import typing as t

import httpcore

from ..._concurrency import Lock
from ..._frame import decode_entry, encode_entry, encode_meta
from ..._serializers import BaseSerializer, Metadata, import_extra
from ._base import BaseStorage, Clock, logger

if t.TYPE_CHECKING:
    import sqlite3

__all__ = ["SQLiteStorage"]

META_SUFFIX = "#hishel-meta"
_SWEEP_EVERY = 60.0
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class SQLiteStorage(BaseStorage):
    """Entries in an SQLite table (needs ``pip install hishel[sqlite]``).

    Args:
        connection: an ``sqlite3`` connection (the storage leaves it open), or a database
            file path (opened by the storage in WAL mode with a busy timeout, closed by
            ``close``), or None for a private in-memory database.
        serializer: writes the entry heads (default ``JSONSerializer``); bodies stay raw.
        ttl: seconds after ``store`` when an entry stops being served (None: never).
        table_name: the table (a plain SQL identifier).
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
                conn.commit()
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
        with self._lock:
            conn = self._setup()
            try:
                conn.execute(
                    f"DELETE FROM {self._table} WHERE key IN (?, ?)", (key, key + META_SUFFIX)
                )
                conn.execute(
                    f"INSERT INTO {self._table} (key, data, date_created) VALUES (?, ?, ?)",
                    (key, data, stored_at),
                )
                self._maybe_sweep(conn, stored_at)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise

    def _maybe_sweep(self, conn: sqlite3.Connection, now: float) -> None:
        if self._ttl is None:
            return
        if self._last_sweep is not None and now - self._last_sweep < _SWEEP_EVERY:
            return
        self._last_sweep = now
        conn.execute(f"DELETE FROM {self._table} WHERE date_created <= ?", (now - self._ttl,))

    def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None:
        with self._lock:
            conn = self._setup()
            cursor = conn.execute(
                f"SELECT key, data, date_created FROM {self._table} WHERE key IN (?, ?)",
                (key, key + META_SUFFIX),
            )
            rows = cursor.fetchall()
        data: bytes | None = None
        meta: bytes | None = None
        stored_at = 0.0
        for row_key, value, date_created in rows:
            raw = value.encode("utf-8") if isinstance(value, str) else bytes(value)
            if row_key == key:
                data, stored_at = raw, float(date_created or 0.0)
            else:
                meta = raw
        if data is None or self._expired(stored_at):
            return None
        try:
            entry = decode_entry(self._serializer, data, meta=meta)
        except Exception:
            logger.warning(
                "hishel: unreadable SQLite cache entry; treating as a miss", exc_info=True
            )
            return None
        return entry.response, entry.request, entry.metadata

    def remove(self, key: str | httpcore.Response) -> None:
        name = self._key_of(key)
        with self._lock:
            conn = self._setup()
            conn.execute(
                f"DELETE FROM {self._table} WHERE key IN (?, ?)", (name, name + META_SUFFIX)
            )
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

    def close(self) -> None:
        if self._owned and self._connection is not None:
            connection, self._connection = self._connection, None
            self._ready = False
            connection.close()
