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

Every change is one transaction (``BEGIN IMMEDIATE`` to ``COMMIT``). A database the storage
opens by path is put in WAL mode with ``synchronous=NORMAL``: a commit does not wait for the
disk (a power failure may lose the last entries; none is left corrupt) and readers never wait
for a writer. A connection the caller passes is used as it is: its journal mode and
durability stay the caller's choice (WAL with ``synchronous=NORMAL`` makes it as fast). The
async storage runs each operation in one worker thread, except a read of a record of up to
``INLINE_READ`` bytes from a database that never makes a reader wait (WAL, or in memory),
which runs in the event loop's thread: measured, a 1 KiB row costs ~9 us to read there,
256 KiB ~33 us, a hop to a worker thread ~60 us.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import sqlite3
import typing as t

from ... import _layout as layout
from ..._clock import Clock
from ..._concurrency import AsyncLock, async_to_thread
from ..._layout import Record, stored_at_of, with_head
from ..._models import BytesBody
from ..._serializers import import_extra
from ..._sqlite_sql import (
    GONE,
    VERSION_SQL,
    count_sql,
    create,
    reclaim,
    recount_sql,
    sweep_sql,
    unpack_row,
    use_wal,
    writer_id,
)
from ._backend import (
    STREAM_GRACE,
    AsyncBackend,
    AsyncBackendWriter,
    AsyncBodySink,
    AsyncPiecedBody,
    AsyncSpillWriter,
)
from ._base import AsyncBaseStorage, StorageOptions
from ._budget import RESYNC_EVERY

if t.TYPE_CHECKING:
    import anysqlite
    from typing_extensions import Unpack

__all__ = ["AsyncSQLiteStorage"]

ROW_SIZE = 1024 * 1024  # a 1 MiB body with its head still fits one row
INLINE_READ = 256 * 1024  # records up to this size are read without a worker thread
_PIECE = 1024 * 1024  # body rows of at least this size
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_T = t.TypeVar("_T")
_TIMEOUT = 30.0  # seconds a connection the storage opens waits for another writer
Conn = sqlite3.Connection


class _AsyncSQLiteSink(AsyncBodySink):
    def __init__(self, backend: AsyncSQLiteBackend, version: str) -> None:
        self._backend = backend
        self.version = version
        self._n = 0

    async def write(self, data: bytearray) -> None:
        backend = self._backend
        await backend._run(backend._write, backend._put_piece, self.version, self._n, data)
        self._n += 1

    async def discard(self) -> None:
        backend = self._backend
        await backend._run(backend._write, backend._drop_body, self.version)


class AsyncSQLiteBackend(AsyncBackend):
    """Records and body rows in two tables of one database."""

    def __init__(
        self,
        connection: anysqlite.Connection | Conn | None,
        path: str | None,
        table: str,
        create_table: bool,
        clock: Clock,
        tally: bool = False,
    ) -> None:
        self._tally = tally  # keep the byte total, for a budget
        self._budget = f"{table}_budget"
        self._clock = clock
        self._last_sweep: float | None = None
        # The sqlite3 connection (an anysqlite one wraps it), used under the caller's
        # anysqlite limiter too, so the caller's own calls never run inside an operation.
        self._conn = t.cast("Conn | None", getattr(connection, "_real_connection", connection))
        limiter = getattr(connection, "_limiter", None)
        self._shared: t.AsyncContextManager[t.Any] = limiter or contextlib.nullcontext()
        self._path = path
        self._table = table
        self._bodies = f"{table}_bodies"
        self._create_table = create_table
        self._ready = False
        self._inline = False  # whether small reads may run in the event loop's thread
        self._lock = AsyncLock()

    async def _run(self, work: t.Callable[..., _T], *args: t.Any, small: bool = False) -> _T:
        """``work(connection, *args)`` under the lock, in a worker thread; a ``small`` read
        from a database that never makes a reader wait runs in this thread."""
        async with self._lock, self._shared:
            conn = self._conn if self._ready else await async_to_thread(self._open)
            assert conn is not None
            if small and self._inline:
                return work(conn, *args)
            return await async_to_thread(work, conn, *args)

    def _write(self, conn: Conn, work: t.Callable[..., _T], *args: t.Any) -> _T:
        """``work(connection, *args)`` in one transaction (joining the caller's open one)."""
        if not conn.in_transaction:
            conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(conn, *args)
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
        return result

    def _open(self) -> Conn:
        conn = self._conn
        if conn is None:
            assert self._path is not None
            conn = sqlite3.connect(self._path, check_same_thread=False, timeout=_TIMEOUT)
            if self._path != ":memory:":
                use_wal(conn, _TIMEOUT)
            self._conn = conn
        create(conn, self._table, self._create_table, self._tally)
        self._last_sweep = self._clock.now()
        self._write(conn, reclaim, self._table, self._last_sweep - STREAM_GRACE)
        (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
        (file,) = conn.execute(
            "SELECT file FROM pragma_database_list WHERE name = 'main'"
        ).fetchone()
        self._inline = str(mode).lower() == "wal" or not file
        self._ready = True
        return conn

    def _mark_gone(self, conn: Conn, key: str, keep: str = "") -> None:
        """Mark the committed body of the entry under ``key`` as gone (removed after the
        grace), unless it is the body of version ``keep``."""
        conn.execute(
            f"UPDATE {self._bodies} SET writer = ? WHERE writer IS NULL AND version = "
            f"(SELECT {VERSION_SQL} FROM {self._table} WHERE key = ?) AND version <> ?",
            (f"{GONE}{self._clock.now()!r}", key, keep),
        )

    def _sweep_gone(self, conn: Conn) -> None:
        """Remove bodies gone more than ``STREAM_GRACE`` ago (at most a few times a grace)."""
        now = self._clock.now()
        if self._last_sweep is not None and now - self._last_sweep < STREAM_GRACE / 4:
            return
        self._last_sweep = now
        conn.execute(sweep_sql(self._table), (now - STREAM_GRACE,))

    def _put_piece(self, conn: Conn, version: str, n: int, data: bytearray) -> None:
        conn.execute(
            f"INSERT INTO {self._bodies} (version, n, writer, data) VALUES (?, ?, ?, ?)",
            (version, n, writer_id(), data),
        )

    def _drop_body(self, conn: Conn, version: str) -> None:
        conn.execute(f"DELETE FROM {self._bodies} WHERE version = ?", (version,))

    def _row(self, conn: Conn, key: str, limited: bool) -> t.Any:
        """The record under ``key`` and its time; ``limited`` (in the event loop's thread):
        a record larger than ``INLINE_READ`` comes back as None, to be read in a worker."""
        if limited and self._inline:
            sql = f"SELECT CASE WHEN length(data) <= {INLINE_READ} THEN data END, date_created"
        else:
            sql = "SELECT data, date_created"
        return conn.execute(f"{sql} FROM {self._table} WHERE key = ?", (key,)).fetchone()

    async def read(self, key: str) -> tuple[Record, t.AsyncIterable[bytes]] | None:
        row = await self._run(self._row, key, True, small=True)
        if row is not None and row[0] is None:  # too large for this thread (or no data)
            row = await self._run(self._row, key, False)
        if row is None:
            return None
        unpacked = unpack_row(*row)
        record = unpacked.record
        if unpacked.inline is not None:
            return record, BytesBody(unpacked.inline)
        return record, AsyncPiecedBody(functools.partial(self._piece, record.version), record.size)

    def _body_piece(self, conn: Conn, version: str, n: int) -> bytes | None:
        row = conn.execute(
            f"SELECT data FROM {self._bodies} WHERE version = ? AND n = ?", (version, n)
        ).fetchone()
        return bytes(row[0]) if row else None

    async def _piece(self, version: str, n: int) -> bytes | None:
        return await self._run(self._body_piece, version, n)

    async def open_writer(self, key: str, head: bytes, stored_at: float) -> AsyncBackendWriter:
        return AsyncSpillWriter(self, key, head, stored_at, limit=ROW_SIZE, piece=_PIECE)

    async def _open_body(self, key: str, version: str) -> AsyncBodySink:
        return _AsyncSQLiteSink(self, version)

    async def _commit(
        self, key: str, record: bytes, version: str, sink: AsyncBodySink | None
    ) -> None:
        await self._run(self._write, self._commit_rows, key, record, version, sink is not None)

    def _commit_rows(
        self, conn: Conn, key: str, record: bytes, version: str, streamed: bool
    ) -> None:
        self._count(conn, layout.footprint(record[: layout.FIXED], len(record)), key)
        self._mark_gone(conn, key, version)  # the body of the entry it replaces
        conn.execute(
            f"INSERT OR REPLACE INTO {self._table} (key, data, date_created) VALUES (?, ?, ?)",
            (key, record, stored_at_of(record)),
        )
        if streamed:
            conn.execute(f"UPDATE {self._bodies} SET writer = NULL WHERE version = ?", (version,))
        self._sweep_gone(conn)

    async def replace_head(self, key: str, head: bytes, version: str) -> bool:
        return bool(await self._run(self._write, self._replace_rows, key, head, version))

    def _replace_rows(self, conn: Conn, key: str, head: bytes, version: str) -> bool:
        row = conn.execute(f"SELECT data FROM {self._table} WHERE key = ?", (key,)).fetchone()
        data = with_head(row[0], head, version) if row and isinstance(row[0], bytes) else None
        if data is None:
            return False
        self._count(conn, layout.footprint(data[: layout.FIXED], len(data)), key, version)
        cursor = conn.execute(
            f"UPDATE {self._table} SET data = ? WHERE key = ? AND {VERSION_SQL} = ?",
            (data, key, version),
        )
        return bool(cursor.rowcount)

    async def delete(self, key: str) -> None:
        await self._run(self._write, self._delete_rows, key)

    def _delete_rows(self, conn: Conn, key: str) -> None:
        self._count(conn, 0, key)  # before its body is marked gone
        self._mark_gone(conn, key)
        conn.execute(f"DELETE FROM {self._table} WHERE key = ?", (key,))
        self._sweep_gone(conn)

    def _count(self, conn: Conn, size: int, key: str, version: str | None = None) -> None:
        """In the caller's transaction, for the byte total: the row of ``key`` now counts
        ``size`` bytes (a replacement: only while it is the row of ``version``)."""
        if self._tally:
            conn.execute(*count_sql(self._table, size, key, version))

    def _total(self, conn: Conn) -> t.Any:
        return conn.execute(f"SELECT bytes, synced FROM {self._budget} WHERE id = 1").fetchone()

    def _recount(self, conn: Conn, now: float) -> t.Any:
        conn.execute(recount_sql(self._table), (now,))
        return self._total(conn)

    async def total_bytes(self) -> int | None:
        if not self._tally:
            return None
        row = await self._run(self._total, small=True)
        now = self._clock.now()
        if row is None or not 0 <= now - float(row[1]) < RESYNC_EVERY:
            row = await self._run(self._write, self._recount, now)
        assert row is not None
        return int(row[0])

    def _all_rows(self, conn: Conn) -> list[t.Any]:
        return conn.execute(f"SELECT key, data, date_created FROM {self._table}").fetchall()

    async def heads(self) -> t.AsyncIterator[tuple[str, Record]]:
        for key, data, created in await self._run(self._all_rows):
            try:
                yield str(key), unpack_row(data, created).record
            except ValueError:
                continue

    async def aclose(self) -> None:
        async with self._lock:
            if self._path is not None and self._conn is not None:
                connection, self._conn = self._conn, None
                self._ready = False
                await async_to_thread(connection.close)


class AsyncSQLiteStorage(AsyncBaseStorage):
    """Entries in an SQLite table (needs ``pip install hishel[sqlite]``).

    Args:
        connection: an ``anysqlite`` connection (used as it is: its journal mode and
            ``synchronous`` setting are left alone, and it stays open), or a database file
            path (opened by the storage in WAL mode with ``synchronous=NORMAL`` and a busy
            timeout, closed by ``aclose``), or None for a private in-memory database.
        serializer: writes the entry heads (default ``JSONSerializer``); bodies stay raw.
        ttl: seconds (or a ``timedelta``) after ``store`` when an entry stops being served.
        table_name: the table (a plain SQL identifier); large bodies go to
            ``{table_name}_bodies``, created when missing.
        create_table: create the table when missing; with False it must exist.
        clock: ``now() -> float`` read for ttl (default ``time.time``).
        signing_key: signs every entry head (HMAC-SHA256); an unsigned or tampered
            entry is a miss, removed, never deserialized (see ``AsyncBaseStorage``).
        max_size: at most this many bytes of heads and bodies (None: no byte budget); the
            least recently used entries are evicted past it (``AsyncBaseStorage``).

    The storage serializes its use of the connection with a lock; each store, head
    replacement or removal is one transaction. A connection in the default rollback journal
    mode waits for the disk at every commit (and then every read takes a worker thread):
    ``PRAGMA journal_mode=WAL`` and ``PRAGMA synchronous=NORMAL`` on it make it as fast as
    the storage's own. The sync ``SQLiteStorage`` used from several threads needs a
    connection opened with ``check_same_thread=False`` (the ones it opens itself are).
    """

    def __init__(
        self,
        *,
        connection: anysqlite.Connection | str | os.PathLike[str] | None = None,
        table_name: str = "cache",
        create_table: bool = True,
        **options: Unpack[StorageOptions],
    ) -> None:
        super().__init__(**options)
        import_extra("anysqlite", "sqlite")  # the async connections are its
        if not isinstance(table_name, str) or not _IDENTIFIER.fullmatch(table_name):
            raise ValueError(f"table_name must be a plain SQL identifier, not {table_name!r}")
        path: str | None = None
        conn: anysqlite.Connection | None = None
        if connection is None:
            path = ":memory:"
        elif isinstance(connection, str | os.PathLike):
            path = os.fspath(connection)
        else:
            conn = connection
        self._backend = AsyncSQLiteBackend(
            conn,
            path,
            table_name,
            bool(create_table),
            self._clock,
            self._budget is not None,
        )
