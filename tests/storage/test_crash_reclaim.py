"""A writer killed with SIGKILL mid-write leaves garbage; the next storage to open reclaims
it, while entries already committed stay whole."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import httpcore
import pytest

import hishel

CHILD = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    import httpcore
    import hishel
    from hishel._storage._codec import from_models
    from hishel._storage._serializers import Metadata

    kind, where = sys.argv[1], sys.argv[2]
    if kind == "file":
        storage = hishel.FileStorage(base_path=where)
    else:
        storage = hishel.SQLiteStorage(connection=where)
    created = datetime.now(timezone.utc)
    head = from_models(
        httpcore.Response(200, headers=[(b"Content-Type", b"text/plain")]),
        httpcore.Request("GET", "https://example.com/big"),
        Metadata(cache_key="big", number_of_uses=0, created_at=created),
    )
    writer = storage.entry_store().open_writer("big", head)
    for _ in range(8):
        writer.write(b"x" * (1024 * 1024))
    print("written", flush=True)
    sys.stdin.read()  # until killed
    """
)


def kill_mid_write(kind: str, where: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, kind, str(where)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "written"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


@pytest.mark.parametrize("kind", ["file", "sqlite"])
def test_garbage_of_a_killed_writer_is_reclaimed_on_open(tmp_path: Path, kind: str) -> None:
    where = tmp_path / ("cache" if kind == "file" else "cache.db")
    storage: hishel.BaseStorage = (
        hishel.FileStorage(base_path=where)
        if kind == "file"
        else hishel.SQLiteStorage(connection=where)
    )
    kept = httpcore.Response(200, content=b"k" * (3 * 1024 * 1024))
    storage.store("kept", kept, httpcore.Request("GET", "https://example.com/kept"))
    storage.close()

    kill_mid_write(kind, where)
    if kind == "file":
        garbage = [p for p in where.iterdir() if p.name.startswith("big.")]
        assert garbage and garbage[0].stat().st_size >= 8 * 1024 * 1024
    else:
        with sqlite3.connect(where) as conn:
            rows = conn.execute("SELECT count(*) FROM cache_bodies WHERE writer IS NOT NULL")
            assert rows.fetchone()[0] > 0

    reopened: hishel.BaseStorage = (
        hishel.FileStorage(base_path=where)
        if kind == "file"
        else hishel.SQLiteStorage(connection=where)
    )
    found = reopened.retrieve("kept")
    assert found is not None and found[0].read() == b"k" * (3 * 1024 * 1024)
    assert reopened.retrieve("big") is None
    if kind == "file":
        left = sorted(p.name for p in where.iterdir())
        assert not [name for name in left if name.startswith(("big", ".tmp-"))]
    else:
        with sqlite3.connect(where) as conn:
            rows = conn.execute("SELECT count(*) FROM cache_bodies WHERE writer IS NOT NULL")
            assert rows.fetchone()[0] == 0
    reopened.close()
