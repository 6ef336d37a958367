"""The byte budget across processes: two real processes store into one file store and one
SQLite store at once, each with ``max_size``; afterwards the store holds at most the budget
and one entry, and the byte total they share is exact."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import hishel

CHILD = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    import httpcore
    import hishel
    from hishel._storage._serializers import Metadata

    kind, where, prefix, count, max_size = sys.argv[1:6]
    if kind == "file":
        storage = hishel.FileStorage(base_path=where, max_size=int(max_size))
    else:
        storage = hishel.SQLiteStorage(connection=where, max_size=int(max_size))
    print("ready", flush=True)
    sys.stdin.readline()  # both start together
    for n in range(int(count)):
        key = f"{prefix}{n:05d}"
        response = httpcore.Response(200, headers=[(b"Content-Type", b"text/plain")],
                                     content=b"x" * 2048)
        request = httpcore.Request("GET", f"https://example.com/{key}")
        metadata = Metadata(cache_key=key, number_of_uses=0,
                            created_at=datetime.now(timezone.utc))
        storage.store(key, response, request, metadata)
    storage.close()
    print("done", flush=True)
    """
)
COUNT = 150
MAX_SIZE = 40_000  # about fifteen entries


def store_from_two_processes(kind: str, where: Path) -> None:
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, kind, str(where), prefix, str(COUNT), str(MAX_SIZE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for prefix in ("a", "b")
    ]
    for child in children:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        out, _ = child.communicate(timeout=120)
        assert child.returncode == 0 and out.strip() == "done"


@pytest.mark.parametrize("kind", ["file", "sqlite"])
def test_the_budget_holds_across_two_processes(kind: str, tmp_path: Path) -> None:
    where = tmp_path / ("cache" if kind == "file" else "cache.db")
    store_from_two_processes(kind, where)
    storage: hishel.FileStorage | hishel.SQLiteStorage
    if kind == "file":
        storage = hishel.FileStorage(base_path=where, max_size=MAX_SIZE)
    else:
        storage = hishel.SQLiteStorage(connection=where, max_size=MAX_SIZE)
    with storage:
        infos = list(storage.entries())
        stats = storage.stats()
        largest = max(info.size for info in infos)
        assert stats.bytes <= MAX_SIZE + largest
        assert stats.entries >= MAX_SIZE // largest - 2  # down to the budget, not far past it
        assert storage._need_backend().total_bytes() == stats.bytes  # the shared total is exact
