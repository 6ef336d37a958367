# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The SQLite storage: the public class over ``SQLiteBackend`` (the table layout, the
transactions and the threads are described in ``_backend``)."""

from __future__ import annotations

import os
import re
import typing as t

from ...._core._describe import sqlite_database, storage_repr
from ..._sync._base import BaseStorage, StorageOptions
from ..._checks import positional_01
from ..._extras import import_extra
from ._backend import SQLiteBackend

if t.TYPE_CHECKING:
    import sqlite3
    from typing_extensions import Unpack

__all__ = ["SQLiteStorage"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class SQLiteStorage(BaseStorage):
    """Entries in an SQLite table (needs ``pip install hishel[sqlite]``).

    Args:
        connection: an ``sqlite3`` connection (used as it is: its journal mode and
            ``synchronous`` setting are left alone, and it stays open), or a database file
            path (opened by the storage in WAL mode with ``synchronous=NORMAL`` and a busy
            timeout, closed by ``close``), or None for a private in-memory database.
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

    Each store, head replacement or removal is one transaction; a lock serializes the uses
    of the connection. A connection in the default rollback journal mode waits for the disk
    at every commit (and its reads take a worker thread): ``PRAGMA journal_mode=WAL`` and
    ``PRAGMA synchronous=NORMAL`` make it about as fast as one the storage opens. The sync
    ``SQLiteStorage`` shared by threads needs ``check_same_thread=False`` on it.
    """

    @positional_01("serializer", "connection", "ttl")
    def __init__(
        self,
        *,
        connection: sqlite3.Connection | str | os.PathLike[str] | None = None,
        table_name: str = "cache",
        create_table: bool = True,
        **options: Unpack[StorageOptions],
    ) -> None:
        super().__init__(**options)
        import_extra("sqlite3", "sqlite")  # the async connections are its
        if not isinstance(table_name, str) or not _IDENTIFIER.fullmatch(table_name):
            raise ValueError(f"table_name must be a plain SQL identifier, not {table_name!r}")
        path = ":memory:" if connection is None else None
        if isinstance(connection, str | os.PathLike):
            path = os.fspath(connection)
        conn = None if path is not None else t.cast("sqlite3.Connection", connection)
        tally, create = self._budget is not None, bool(create_table)
        self._backend = SQLiteBackend(conn, path, table_name, create, self._clock, tally)

    def __repr__(self) -> str:
        backend = t.cast("SQLiteBackend", self._backend)
        where = [("database", sqlite_database(backend._path, backend._conn))]
        where.append(("table_name", backend._table))
        return storage_repr(self, where, [("create_table", backend._create_table, True)])
