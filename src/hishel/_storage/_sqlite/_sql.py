"""The SQL the SQLite backend builds on: its tables, where a record keeps its version, how a
body row is marked gone, what a row counts for a byte budget, and which writer rows belong to
processes that no longer run; and the two steps of opening a database (``create``,
``reclaim``), plain calls on a ``sqlite3`` connection.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import time
import typing as t

from .. import _layout as layout
from .._layout import VERSION_OFFSET, VERSION_SIZE, Record, Unpacked, UnreadableRecord, unpack

__all__ = [
    "Busy",
    "GONE",
    "GONE_AT_SQL",
    "TABLE_SQL",
    "COLUMNS",
    "VERSION_SQL",
    "alive",
    "bytes_sql",
    "begin_now",
    "checkpoint",
    "count_sql",
    "create",
    "gone_sql",
    "listed_row",
    "readers_never_wait",
    "dead_writer",
    "recount_sql",
    "reclaim",
    "row_sql",
    "sweep_sql",
    "unpack_row",
    "use_wal",
    "writer_id",
]

# The version inside a record, as SQL (substr counts from 1).
VERSION_SQL = f"CAST(substr(data, {VERSION_OFFSET + 1}, {VERSION_SIZE}) AS TEXT)"
GONE = "~gone:"  # the writer of a replaced or removed body: "~gone:<storage clock time>"
GONE_AT_SQL = f"CAST(substr(writer, {len(GONE) + 1}) AS REAL)"
COLUMNS = "key TEXT PRIMARY KEY, data BLOB, date_created REAL"  # hishel 0.1's table
TABLE_SQL = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"  # does it exist
_LAYOUT = (layout.MAGIC + bytes([layout.LAYOUT_VERSION])).hex()


def bytes_sql(bodies: str) -> str:
    """What the row ``r`` counts for, as SQL (``hishel._storage._layout.footprint``, body rows
    added)."""
    data = "CAST(r.data AS BLOB)"
    version = f"CAST(substr({data}, {VERSION_OFFSET + 1}, {VERSION_SIZE}) AS TEXT)"
    return (
        f"(length({data}) - {layout.FIXED} * (substr({data}, 1, 6) = X'{_LAYOUT}') + (SELECT "
        f"total(length(b.data)) FROM {bodies} b WHERE b.version = {version} AND b.writer IS NULL))"
    )


def count_sql(
    table: str, size: int, key: str, version: str | None
) -> tuple[str, tuple[object, ...]]:
    """The update of the byte total for: the row of ``key`` now counts ``size`` bytes (a
    replacement, ``version`` given: only while it is the row of that version)."""
    args: tuple[object, ...] = (size, key, size)
    where, absent = "r.key = ?", "?"
    if version is not None:
        where, absent, args = f"{where} AND {VERSION_SQL} = ?", "0", (size, key, version)
    old = f"SELECT ? - {bytes_sql(table + '_bodies')} FROM {table} r WHERE {where}"
    return f"UPDATE {table}_budget SET bytes = bytes + COALESCE(({old}), {absent})", args


def recount_sql(table: str) -> str:
    """The byte total counted afresh, with the time of the count (one parameter)."""
    return (
        f"INSERT OR REPLACE INTO {table}_budget (id, bytes, synced) "
        f"SELECT 1, total({bytes_sql(table + '_bodies')}), ? FROM {table} r"
    )


def use_wal(conn: sqlite3.Connection, timeout: float, *, autocheckpoint: bool) -> None:
    """Put the database in WAL mode with ``synchronous=NORMAL`` (without ``autocheckpoint``:
    the caller checkpoints). The switch waits for no busy handler when another process
    switches at the same time: retried for ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    conn.execute("PRAGMA synchronous=NORMAL")
    if not autocheckpoint:
        conn.execute("PRAGMA wal_autocheckpoint = 0")


def readers_never_wait(conn: sqlite3.Connection) -> bool:
    """Whether a read never waits for a lock: WAL mode, or a database in memory."""
    (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
    (file,) = conn.execute("SELECT file FROM pragma_database_list WHERE name = 'main'").fetchone()
    return str(mode).lower() == "wal" or not file


def row_sql(table: str, limit: int | None) -> str:
    """The record under a key and its time; with a ``limit``, a longer record is NULL."""
    data = "data" if limit is None else f"CASE WHEN length(data) <= {limit} THEN data END"
    return f"SELECT {data}, date_created FROM {table} WHERE key = ?"


def gone_sql(table: str) -> tuple[str, str]:
    """Whether the entry under a key (parameter 1) has a committed body of another version than
    parameter 2; and the update marking it gone (``writer`` the first parameter)."""
    where = (
        f"{table}_bodies WHERE writer IS NULL AND version = "
        f"(SELECT {VERSION_SQL} FROM {table} WHERE key = ?) AND version <> ?"
    )
    return (
        f"SELECT 1 FROM {where} LIMIT 1",
        f"UPDATE {where.replace('WHERE', 'SET writer = ? WHERE', 1)}",
    )


class Busy(Exception):
    """A change would wait (for another writer) or is too large for the event loop's thread."""


def begin_now(conn: sqlite3.Connection, timeout: float) -> None:
    """Begin a write transaction, or raise ``Busy`` if that means waiting for another writer
    (the busy timeout is ``timeout`` seconds again afterwards)."""
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise Busy("another writer holds the database") from exc
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


def checkpoint(conn: sqlite3.Connection) -> None:
    """Copy what the write-ahead log holds into the database, waiting for no one."""
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def create(conn: sqlite3.Connection, table: str, create_table: bool, tally: bool) -> None:
    """Create the tables that are missing (the entry table only with ``create_table``: else
    LookupError when it is), and commit."""
    if create_table:
        conn.execute(f"CREATE TABLE IF NOT EXISTS {table} ({COLUMNS})")
    elif not conn.execute(TABLE_SQL, (table,)).fetchall():
        raise LookupError(
            f"SQLite table {table!r} does not exist: create it ({COLUMNS}) "
            "or pass create_table=True"
        )
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {table}_bodies (version TEXT NOT NULL, n INTEGER NOT "
        "NULL, writer TEXT, data BLOB NOT NULL, PRIMARY KEY (version, n))"
    )
    if tally:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {table}_budget (id INTEGER PRIMARY KEY, "
            "bytes INTEGER NOT NULL, synced REAL NOT NULL)"
        )
    conn.commit()


def sweep_sql(table: str) -> str:
    """What removes the bodies gone before a time (one parameter)."""
    return f"DELETE FROM {table}_bodies WHERE writer LIKE '{GONE}%' AND {GONE_AT_SQL} < ?"


def reclaim(conn: sqlite3.Connection, table: str, gone_before: float) -> None:
    """In the caller's transaction: remove the body rows of writers on this host that died,
    bodies no record points at, and bodies gone before ``gone_before``; never a live
    writer's."""
    bodies = f"{table}_bodies"
    found = conn.execute(f"SELECT DISTINCT writer FROM {bodies} WHERE writer IS NOT NULL")
    for (writer,) in found.fetchall():
        if dead_writer(str(writer)):
            conn.execute(f"DELETE FROM {bodies} WHERE writer = ?", (writer,))
    conn.execute(
        f"DELETE FROM {bodies} WHERE writer IS NULL AND version NOT IN "
        f"(SELECT {VERSION_SQL} FROM {table})"
    )
    conn.execute(sweep_sql(table), (gone_before,))


def dead_writer(writer: str) -> bool:
    """Whether ``writer`` (``host:pid``) is a process on this host that no longer runs."""
    host = socket.gethostname() + ":"
    pid = writer[len(host) :]
    return writer.startswith(host) and pid.isdigit() and not alive(int(pid))


def unpack_row(data: object, created: object) -> Unpacked:
    """The record of a table row (``data``, ``date_created``); ValueError: not readable."""
    if not isinstance(data, str | bytes):
        raise ValueError("entry record has no data")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return unpack(raw, fallback_stored_at=float(t.cast("float", created) or 0.0))


def listed_row(data: object, created: object) -> Record:
    """The record of a table row as ``heads()`` yields it: an ``UnreadableRecord`` (its bytes
    kept, to be counted) when it does not unpack."""
    try:
        return unpack_row(data, created).record
    except ValueError as exc:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        return UnreadableRecord(raw if isinstance(raw, bytes) else b"", 0.0, 0, "", str(exc))


def writer_id() -> str:
    """This process, as the ``writer`` of the body rows it writes (``host:pid``)."""
    return f"{socket.gethostname()}:{os.getpid()}"


def alive(pid: int) -> bool:
    """Whether process ``pid`` on this host still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
