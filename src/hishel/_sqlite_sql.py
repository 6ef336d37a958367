"""The SQL the SQLite backend builds on: where a record keeps its version, how a body row is
marked gone, what a row counts for a byte budget, and which writer rows belong to processes
that no longer run. Strings and small checks; no connection here.
"""

from __future__ import annotations

import os
import socket

from . import _layout as layout
from ._layout import VERSION_OFFSET, VERSION_SIZE

__all__ = ["GONE", "GONE_AT_SQL", "VERSION_SQL", "alive", "bytes_sql", "writer_id"]

# The version inside a record, as SQL (substr counts from 1).
VERSION_SQL = f"CAST(substr(data, {VERSION_OFFSET + 1}, {VERSION_SIZE}) AS TEXT)"
GONE = "~gone:"  # the writer of a replaced or removed body: "~gone:<storage clock time>"
GONE_AT_SQL = f"CAST(substr(writer, {len(GONE) + 1}) AS REAL)"
_LAYOUT = (layout.MAGIC + bytes([layout.LAYOUT_VERSION])).hex()


def bytes_sql(bodies: str) -> str:
    """What the row ``r`` counts for, as SQL (``hishel._layout.footprint``, body rows added)."""
    data = "CAST(r.data AS BLOB)"
    version = f"CAST(substr({data}, {VERSION_OFFSET + 1}, {VERSION_SIZE}) AS TEXT)"
    return (
        f"(length({data}) - {layout.FIXED} * (substr({data}, 1, 6) = X'{_LAYOUT}') + (SELECT "
        f"total(length(b.data)) FROM {bodies} b WHERE b.version = {version} AND b.writer IS NULL))"
    )


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
