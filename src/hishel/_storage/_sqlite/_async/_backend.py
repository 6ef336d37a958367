"""The SQLite backend: one row per entry in hishel 0.1's table layout, large bodies beside it.

Table ``{table_name}(key TEXT PRIMARY KEY, data BLOB, date_created REAL)``: ``data`` holds the
record (``hishel._storage._layout``: head, and a body of up to ``ROW_SIZE`` inline) and
``date_created`` the storage clock's time of the commit, for ttl. A hit is one ``SELECT``.

A larger body goes, as it arrives, into rows of ``{table_name}_bodies(version, n, writer,
data)``, each committed with ``writer`` naming the writing process (``host:pid``). The
commit writes the record, marks the body rows committed (``writer`` NULL) and the body of
the entry it replaces gone (``~gone:<time>``), as a delete does; gone rows are removed
``STREAM_GRACE`` seconds later, so a reader that started such a body (in any process) reads
it to its end. Replacing a head is one ``UPDATE`` of the record of that version, never of a
newer entry. With a byte budget, ``{table_name}_budget`` holds the byte total, changed in
the transaction of every commit, replacement and delete, recounted when missing or
``RESYNC_EVERY`` old: every process reads it in one query. On opening, the rows of writers
on this host that no longer run (killed) are removed, a live writer's never.

Every change is one transaction (``BEGIN IMMEDIATE`` to ``COMMIT``). A database opened by
path is put in WAL mode with ``synchronous=NORMAL``: a commit does not wait for the disk (a
power failure may lose the last entries, leaves none corrupt), readers never wait for a
writer. A caller's connection keeps its journal mode and durability. The async storage runs
an operation in one worker thread, or in the event loop's thread when it is small and cannot
wait: a read of up to ``INLINE_READ`` bytes from a WAL or in-memory database (1 KiB ~9 us,
256 KiB ~33 us; a hop to a worker ~60-140 us), and, in a database it opened, a change of up
to that size that finds no other writer and marks no body gone (~50 us for 1 KiB), the WAL
then checkpointed by the storage, in a worker.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import typing as t

from ...._core._clock import Clock
from ...._core._concurrency import AsyncLock, async_in_event_loop, async_to_thread
from ...._core._messages import BytesBody
from ... import _layout as layout
from ..._async._backend import (
    STREAM_GRACE,
    AsyncBackend,
    AsyncBackendWriter,
    AsyncBodySink,
    AsyncPiecedBody,
    AsyncSpillWriter,
)
from ..._async._budget import RESYNC_EVERY
from ..._layout import Record, stored_at_of, with_head
from .._sql import (
    GONE,
    VERSION_SQL,
    Busy,
    begin_now,
    checkpoint,
    count_sql,
    create,
    gone_sql,
    listed_row,
    readers_never_wait,
    reclaim,
    recount_sql,
    row_sql,
    sweep_sql,
    unpack_row,
    use_wal,
    writer_id,
)

if t.TYPE_CHECKING:
    import anysqlite

__all__ = ["AsyncSQLiteBackend"]

ROW_SIZE = 1024 * 1024  # a 1 MiB body with its head still fits one row
INLINE_READ = 256 * 1024  # records up to this size are read without a worker thread
_PIECE = 1024 * 1024  # body rows of at least this size
_T = t.TypeVar("_T")
_TIMEOUT = 30.0  # seconds a connection the storage opens waits for another writer
_HOPS = async_in_event_loop()  # the async side: work moved to a worker is off the loop
_CHECKPOINT = 4 * 1024 * 1024  # bytes written between WAL checkpoints (SQLite's default)
_NONE = contextlib.nullcontext()  # no limiter of the caller's to share
Conn = sqlite3.Connection


class _AsyncSQLiteSink(AsyncBodySink):
    def __init__(self, backend: AsyncSQLiteBackend, version: str) -> None:
        self._backend = backend
        self.version = version
        self._n = 0

    async def write(self, data: bytearray) -> None:
        backend = self._backend
        await backend._change(backend._put_piece, self.version, self._n, data, size=len(data))
        self._n += 1

    async def discard(self) -> None:
        backend = self._backend
        await backend._change(backend._drop_body, self.version, size=ROW_SIZE)


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
        self._clock = clock
        self._last_sweep: float | None = None
        # The sqlite3 connection an anysqlite one wraps (private: pyproject bounds anysqlite)
        self._conn = t.cast("Conn | None", getattr(connection, "_real_connection", connection))
        if connection is not None and not isinstance(self._conn, sqlite3.Connection):
            raise TypeError(f"connection must be a (any)sqlite connection, not {connection!r}")
        limiter = getattr(connection, "_limiter", None)
        self._shared: t.AsyncContextManager[t.Any] = limiter or _NONE
        self._path = path
        self._table = table
        self._bodies = f"{table}_bodies"
        self._create_table = create_table
        self._ready = False
        self._inline = False  # whether small reads may run in the event loop's thread
        self._free = False  # nothing holds the connection (async side: run small work now)
        self._written = 0  # bytes since the last checkpoint (async side, own database)
        self._in_loop = False  # a change runs in the event loop's thread
        self._lock = AsyncLock()

    async def _run(self, work: t.Callable[..., _T], *args: t.Any, small: bool = False) -> _T:
        """``work(connection, *args)`` under the lock, in a worker thread; a ``small`` read
        from a database that never makes a reader wait runs in this thread."""
        if small and self._free and self._conn is not None:  # no await: nothing interleaves
            return work(self._conn, *args)
        async with self._lock, self._shared:
            self._free = False
            try:
                conn = self._conn if self._ready else await async_to_thread(self._open)
                assert conn is not None
                if small and self._inline:
                    return work(conn, *args)
                return await async_to_thread(work, conn, *args)
            finally:
                self._free = _HOPS and self._ready and self._inline and self._shared is _NONE

    async def _change(self, work: t.Callable[..., _T], *args: t.Any, size: int) -> _T:
        """``work(connection, *args)`` in one transaction of about ``size`` bytes. On the
        async side a small one in a database the storage opened runs in this thread unless
        it would wait or a sweep is due (the storage then checkpoints the WAL, in a worker)."""
        own = _HOPS and self._path is not None
        self._written += size + 4096
        if own and self._written >= _CHECKPOINT:
            self._written = 0
            await self._run(checkpoint)
        if own and size <= INLINE_READ and not self._sweep_due():
            with contextlib.suppress(Busy):  # another writer, or a large body marked gone
                done: _T = await self._run(self._write_now, work, *args, small=True)
                return done
        done = await self._run(self._write, work, *args)
        return done

    def _write_now(self, conn: Conn, work: t.Callable[..., _T], *args: t.Any) -> _T:
        """As ``_write``, in the event loop's thread; ``Busy`` (nothing done) if it would wait."""
        begin_now(conn, _TIMEOUT)
        self._in_loop = True
        try:
            return self._write(conn, work, *args)
        finally:
            self._in_loop = False

    def _write(self, conn: Conn, work: t.Callable[..., _T], *args: t.Any) -> _T:
        """``work(connection, *args)`` in one transaction (joining the caller's open one)."""
        if not conn.in_transaction:  # (begun by _write_now: in one)
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
            if self._path != ":memory:":  # (async: commits in the loop, checkpoints in _change)
                use_wal(conn, _TIMEOUT, autocheckpoint=not _HOPS)
            self._conn = conn
        create(conn, self._table, self._create_table, self._tally)
        self._last_sweep = self._clock.now()
        self._write(conn, reclaim, self._table, self._last_sweep - STREAM_GRACE)
        self._inline = readers_never_wait(conn)
        self._ready = True
        return conn

    def _mark_gone(self, conn: Conn, key: str, keep: str = "") -> None:
        """Mark the committed body of the entry under ``key`` as gone (removed after the
        grace), unless it is the body of version ``keep``."""
        probe, update = gone_sql(self._table)
        if self._in_loop and conn.execute(probe, (key, keep)).fetchone():
            raise Busy  # rewriting body rows of a MiB each: not in the event loop's thread
        conn.execute(update, (f"{GONE}{self._clock.now()!r}", key, keep))

    def _sweep_gone(self, conn: Conn) -> None:
        """Remove bodies gone more than ``STREAM_GRACE`` ago (at most a few times a grace)."""
        if self._sweep_due():
            self._last_sweep = now = self._clock.now()
            conn.execute(sweep_sql(self._table), (now - STREAM_GRACE,))

    def _sweep_due(self) -> bool:
        last = self._last_sweep
        return last is None or self._clock.now() - last >= STREAM_GRACE / 4

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
        sql = row_sql(self._table, INLINE_READ if limited and self._inline else None)
        return conn.execute(sql, (key,)).fetchone()

    async def _record_row(self, key: str) -> t.Any:
        row = await self._run(self._row, key, True, small=True)
        if row is not None and row[0] is None:  # too large for this thread (or no data)
            row = await self._run(self._row, key, False)
        return row

    async def read(self, key: str) -> tuple[Record, t.AsyncIterable[bytes]] | None:
        row = await self._record_row(key)
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
        streamed = sink is not None
        await self._change(self._commit_rows, key, record, version, streamed, size=len(record))

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
        row = await self._record_row(key)  # the UPDATE lands only on the same version
        data = with_head(row[0], head, version) if row and isinstance(row[0], bytes) else None
        if data is None:
            return False
        return bool(await self._change(self._put_head, key, data, version, size=len(data)))

    def _put_head(self, conn: Conn, key: str, data: bytes, version: str) -> bool:
        self._count(conn, layout.footprint(data[: layout.FIXED], len(data)), key, version)
        cursor = conn.execute(
            f"UPDATE {self._table} SET data = ? WHERE key = ? AND {VERSION_SQL} = ?",
            (data, key, version),
        )
        return bool(cursor.rowcount)

    async def delete(self, key: str) -> None:
        await self._change(self._delete_rows, key, size=0)

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
        return conn.execute(
            f"SELECT bytes, synced FROM {self._table}_budget WHERE id = 1"
        ).fetchone()

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
        return int(row[0])

    async def heads(self) -> t.AsyncIterator[tuple[str, Record]]:
        sql = f"SELECT key, data, date_created FROM {self._table}"
        for key, data, created in await self._run(lambda conn: conn.execute(sql).fetchall()):
            yield str(key), listed_row(data, created)

    async def aclose(self) -> None:
        async with self._lock:
            if self._path is not None and self._conn is not None:
                connection, self._conn = self._conn, None
                self._ready = False
                await async_to_thread(connection.close)
