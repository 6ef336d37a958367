# GENERATED from the async source by scripts/unasync.py; do not edit.
"""SQLite storage: one row per entry in hishel 0.1's table layout, large bodies beside it.

Table ``{table_name}(key TEXT PRIMARY KEY, data BLOB, date_created REAL)``: ``data`` holds the
record (``hishel._layout``: head, and a body of up to ``ROW_SIZE`` inline) and
``date_created`` the storage clock's time of the commit, for ttl. A hit is one ``SELECT``.

A larger body goes, as it arrives, into rows of ``{table_name}_bodies(version, n, writer,
data)``, each committed on its own with ``writer`` naming the writing process
(``host:pid``). The commit, one transaction, writes the record, marks the body rows as
committed (``writer`` NULL) and marks the body of the entry it replaces as gone
(``writer`` ``~gone:<time>``); a delete marks its body the same way. Gone rows are removed
``STREAM_GRACE`` seconds later (by a later commit or delete, or on opening), so a reader
that started such a body, in this process or another, still reads it to its end. Replacing
a head is one ``UPDATE`` of the record that matches the version, so it never lands on a
newer entry. With a byte budget, ``{table_name}_budget`` holds the byte total (committed
bodies and records), changed in the transaction of every commit, replacement and delete, and
recounted when it is missing or ``RESYNC_EVERY`` old (one aggregate), so every process reads
the same total in one query. On opening, the rows of writers on this host that no longer
run (killed) are removed; a live writer's rows never are.
"""

from __future__ import annotations

import functools
import os
import re
import socket
import typing as t

from ... import _layout as layout
from ..._clock import Clock
from ..._concurrency import Lock
from ..._layout import Record, stored_at_of, unpack, with_head
from ..._models import BytesBody
from ..._serializers import import_extra
from ..._sqlite_sql import GONE, GONE_AT_SQL, VERSION_SQL, alive, bytes_sql, writer_id
from ._backend import (
    STREAM_GRACE,
    Backend,
    BackendWriter,
    BodySink,
    PiecedBody,
    SpillWriter,
)
from ._base import BaseStorage, StorageOptions
from ._budget import RESYNC_EVERY

if t.TYPE_CHECKING:
    import sqlite3
    from typing_extensions import Unpack

__all__ = ["SQLiteStorage"]

ROW_SIZE = 1024 * 1024  # a 1 MiB body with its head still fits one row
_PIECE = 1024 * 1024  # body rows of at least this size
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class _AsyncSQLiteSink(BodySink):
    def __init__(self, backend: SQLiteBackend, version: str) -> None:
        self._backend = backend
        self.version = version
        self._n = 0

    def write(self, data: bytearray) -> None:
        self._backend._execute(
            f"INSERT INTO {self._backend._bodies} (version, n, writer, data) VALUES (?, ?, ?, ?)",
            (self.version, self._n, writer_id(), data),
        )
        self._n += 1

    def discard(self) -> None:
        self._backend._execute(
            f"DELETE FROM {self._backend._bodies} WHERE version = ?", (self.version,)
        )


class SQLiteBackend(Backend):
    """Records and body rows in two tables of one database."""

    def __init__(
        self,
        module: t.Any,
        connection: sqlite3.Connection | None,
        path: str | None,
        table: str,
        create_table: bool,
        clock: Clock,
        tally: bool = False,
    ) -> None:
        self._tally = tally  # keep the byte total, for a budget
        self._budget = f"{table}_budget"
        self._module = module
        self._clock = clock
        self._last_sweep: float | None = None
        self._connection = connection
        self._path = path
        self._table = table
        self._bodies = f"{table}_bodies"
        self._create_table = create_table
        self._ready = False
        self._lock = Lock()

    def _setup(self) -> sqlite3.Connection:
        if self._connection is None:
            assert self._path is not None
            conn = self._module.connect(self._path, check_same_thread=False, timeout=30.0)
            if self._path != ":memory:":
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
            self._connection = conn
        conn = self._connection
        if not self._ready:
            self._create(conn)
            self._ready = True
        return conn

    def _create(self, conn: sqlite3.Connection) -> None:
        if self._create_table:
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self._table} "
                "(key TEXT PRIMARY KEY, data BLOB, date_created REAL)"
            )
        else:
            cursor = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (self._table,)
            )
            if cursor.fetchone() is None:
                raise LookupError(
                    f"SQLite table {self._table!r} does not exist: create it "
                    "(key TEXT PRIMARY KEY, data BLOB, date_created REAL) "
                    "or pass create_table=True"
                )
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {self._bodies} (version TEXT NOT NULL, "
            "n INTEGER NOT NULL, writer TEXT, data BLOB NOT NULL, PRIMARY KEY (version, n))"
        )
        if self._tally:
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self._budget} (id INTEGER PRIMARY KEY, "
                "bytes INTEGER NOT NULL, synced REAL NOT NULL)"
            )
        conn.commit()
        self._reclaim(conn)

    def _reclaim(self, conn: sqlite3.Connection) -> None:
        """Remove the body rows of writers on this host that died, and bodies no record
        points at; never a live writer's."""
        host = socket.gethostname() + ":"
        cursor = conn.execute(
            f"SELECT DISTINCT writer FROM {self._bodies} WHERE writer IS NOT NULL"
        )
        for (writer,) in cursor.fetchall():
            pid = str(writer)[len(host) :]
            if str(writer).startswith(host) and pid.isdigit() and not alive(int(pid)):
                conn.execute(f"DELETE FROM {self._bodies} WHERE writer = ?", (writer,))
        conn.execute(
            f"DELETE FROM {self._bodies} WHERE writer IS NULL AND version NOT IN "
            f"(SELECT {VERSION_SQL} FROM {self._table})"
        )
        self._sweep_gone(conn, force=True)
        conn.commit()

    def _mark_gone(self, conn: sqlite3.Connection, version_sql: str, arg: str) -> None:
        """Mark the committed body of ``version_sql`` as gone (removed after the grace)."""
        conn.execute(
            f"UPDATE {self._bodies} SET writer = ? WHERE writer IS NULL AND version = "
            f"({version_sql})",
            (f"{GONE}{self._clock.now()!r}", arg),
        )

    def _sweep_gone(self, conn: sqlite3.Connection, *, force: bool = False) -> None:
        """Remove bodies gone more than ``STREAM_GRACE`` ago (at most a few times a grace)."""
        now = self._clock.now()
        if not force and self._last_sweep is not None and now - self._last_sweep < STREAM_GRACE / 4:
            return
        self._last_sweep = now
        conn.execute(
            f"DELETE FROM {self._bodies} WHERE writer LIKE '{GONE}%' AND {GONE_AT_SQL} < ?",
            (now - STREAM_GRACE,),
        )

    def _execute(self, sql: str, args: tuple[t.Any, ...]) -> None:
        with self._lock:
            conn = self._setup()
            try:
                conn.execute(sql, tuple(args))
                conn.commit()
            except BaseException:
                conn.rollback()
                raise

    def _fetch(self, sql: str, args: tuple[t.Any, ...]) -> list[t.Any]:
        with self._lock:
            conn = self._setup()
            cursor = conn.execute(sql, args)
            return list(cursor.fetchall())

    def read(self, key: str) -> tuple[Record, t.Iterable[bytes]] | None:
        rows = self._fetch(
            f"SELECT data, date_created FROM {self._table} WHERE key = ?", (key,)
        )
        if not rows:
            return None
        data, created = rows[0]
        raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        unpacked = unpack(raw, fallback_stored_at=float(created or 0.0))
        record = unpacked.record
        if unpacked.inline is not None:
            return record, BytesBody(unpacked.inline)
        return record, PiecedBody(functools.partial(self._piece, record.version), record.size)

    def _piece(self, version: str, n: int) -> bytes | None:
        rows = self._fetch(
            f"SELECT data FROM {self._bodies} WHERE version = ? AND n = ?", (version, n)
        )
        return bytes(rows[0][0]) if rows else None

    def open_writer(self, key: str, head: bytes, stored_at: float) -> BackendWriter:
        return SpillWriter(self, key, head, stored_at, limit=ROW_SIZE, piece=_PIECE)

    def _open_body(self, key: str, version: str) -> BodySink:
        return _AsyncSQLiteSink(self, version)

    def _commit(
        self, key: str, record: bytes, version: str, sink: BodySink | None
    ) -> None:
        with self._lock:
            conn = self._setup()
            try:
                self._count(conn, layout.footprint(record[: layout.FIXED], len(record)), key)
                cursor = conn.execute(
                    f"SELECT {VERSION_SQL} FROM {self._table} WHERE key = ?", (key,)
                )
                old = cursor.fetchone()
                conn.execute(
                    f"INSERT OR REPLACE INTO {self._table} (key, data, date_created) "
                    "VALUES (?, ?, ?)",
                    (key, record, stored_at_of(record)),
                )
                if sink is not None:
                    conn.execute(
                        f"UPDATE {self._bodies} SET writer = NULL WHERE version = ?", (version,)
                    )
                if old is not None and old[0] and old[0] != version:
                    self._mark_gone(conn, "?", str(old[0]))
                self._sweep_gone(conn)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise

    def replace_head(self, key: str, head: bytes, version: str) -> bool:
        rows = self._fetch(f"SELECT data FROM {self._table} WHERE key = ?", (key,))
        data = with_head(bytes(rows[0][0]), head, version) if rows else None
        if data is None:
            return False
        with self._lock:
            conn = self._setup()
            self._count(conn, layout.footprint(data[: layout.FIXED], len(data)), key, version)
            cursor = conn.execute(
                f"UPDATE {self._table} SET data = ? WHERE key = ? AND {VERSION_SQL} = ?",
                (data, key, version),
            )
            conn.commit()
            return bool(cursor.rowcount)

    def delete(self, key: str) -> None:
        with self._lock:
            conn = self._setup()
            try:
                self._count(conn, 0, key)  # before its body is marked gone
                version_sql = f"SELECT {VERSION_SQL} FROM {self._table} WHERE key = ?"
                self._mark_gone(conn, version_sql, key)
                conn.execute(f"DELETE FROM {self._table} WHERE key = ?", (key,))
                self._sweep_gone(conn)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise

    def _count(
        self, conn: sqlite3.Connection, size: int, key: str, version: str | None = None
    ) -> None:
        """In the caller's transaction, for the byte total: the row of ``key`` now counts
        ``size`` bytes (a replacement: only while it is the row of ``version``)."""
        if not self._tally:
            return
        where, absent, args = "r.key = ?", "?", [size, key, size]
        if version is not None:
            where, absent, args = f"{where} AND {VERSION_SQL} = ?", "0", [size, key, version]
        old = f"SELECT ? - {bytes_sql(self._bodies)} FROM {self._table} r WHERE {where}"
        sql = f"UPDATE {self._budget} SET bytes = bytes + COALESCE(({old}), {absent})"
        conn.execute(sql, tuple(args))

    def total_bytes(self) -> int | None:
        if not self._tally:
            return None
        with self._lock:
            conn = self._setup()
            cursor = conn.execute(f"SELECT bytes, synced FROM {self._budget} WHERE id = 1")
            row = cursor.fetchone()
            now = self._clock.now()
            if row is None or not 0 <= now - float(row[1]) < RESYNC_EVERY:
                conn.execute(
                    f"INSERT OR REPLACE INTO {self._budget} (id, bytes, synced) "
                    f"SELECT 1, total({bytes_sql(self._bodies)}), ? FROM {self._table} r",
                    (now,),
                )
                conn.commit()
                cursor = conn.execute(f"SELECT bytes FROM {self._budget} WHERE id = 1")
                row = cursor.fetchone()
            return int(row[0])

    def heads(self) -> t.Iterator[tuple[str, Record]]:
        rows = self._fetch(f"SELECT key, data, date_created FROM {self._table}", ())
        for key, data, created in rows:
            raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
            try:
                yield str(key), unpack(raw, fallback_stored_at=float(created or 0.0)).record
            except ValueError:
                continue

    def close(self) -> None:
        if self._path is not None and self._connection is not None:
            connection, self._connection = self._connection, None
            self._ready = False
            connection.close()


class SQLiteStorage(BaseStorage):
    """Entries in an SQLite table (needs ``pip install hishel[sqlite]``).

    Args:
        connection: an ``sqlite3`` connection (the storage leaves it open), or a database
            file path (opened by the storage in WAL mode with a busy timeout, closed by
            ``close``), or None for a private in-memory database.
        serializer: writes the entry heads (default ``JSONSerializer``); bodies stay raw.
        ttl: seconds (or a ``timedelta``) after ``store`` when an entry stops being served.
        table_name: the table (a plain SQL identifier); large bodies go to
            ``{table_name}_bodies``, created when missing.
        create_table: create the table when missing; with False it must exist.
        clock: ``now() -> float`` read for ttl (default ``time.time``).
        signing_key: signs every entry head (HMAC-SHA256); an unsigned or tampered
            entry is a miss, removed, never deserialized (see ``BaseStorage``).
        max_size: at most this many bytes of heads and bodies (None: no byte budget); the
            least recently used entries are evicted past it (``BaseStorage``).

    The storage serializes its use of the connection with a lock. The sync ``SQLiteStorage``
    used from several threads needs a connection opened with ``check_same_thread=False``
    (the ones it opens itself are).
    """

    def __init__(
        self,
        *,
        connection: sqlite3.Connection | str | os.PathLike[str] | None = None,
        table_name: str = "cache",
        create_table: bool = True,
        **options: Unpack[StorageOptions],
    ) -> None:
        super().__init__(**options)
        module = import_extra("sqlite3", "sqlite")
        if not isinstance(table_name, str) or not _IDENTIFIER.fullmatch(table_name):
            raise ValueError(f"table_name must be a plain SQL identifier, not {table_name!r}")
        path: str | None = None
        conn: sqlite3.Connection | None = None
        if connection is None:
            path = ":memory:"
        elif isinstance(connection, str | os.PathLike):
            path = os.fspath(connection)
        else:
            conn = connection
        self._backend = SQLiteBackend(
            module,
            conn,
            path,
            table_name,
            bool(create_table),
            self._clock,
            self._budget is not None,
        )
