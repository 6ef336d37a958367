"""``hishel cache ...`` under faults, as a subprocess: unreadable records, a closed pipe,
a storage path that does not exist, a URI that names no storage."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import httpcore
import pytest

import hishel
from hishel._storage._serializers import Metadata
from hishel._tools._cli_storage import FORMS
from tests.tools.test_cli import STORES, cli, fill, storage, uri

BAD = "e" * 32  # (fill() stores a, b and c)


def spoil(kind: str, tmp_path: Path) -> str:
    """Cut short the stored record of the entry ``a...a`` (as a crash mid-copy would) and
    store a record of random bytes under ``BAD``; returns where the cut record is."""
    if kind == "file":
        folder = tmp_path / "cache"
        data = (folder / ("a" * 32)).read_bytes()
        (folder / ("a" * 32)).write_bytes(data[: len(data) // 2])
        (folder / BAD).write_bytes(os.urandom(200))
        return str(folder / ("a" * 32))
    with sqlite3.connect(tmp_path / "c.db") as conn:
        (data,) = conn.execute("SELECT data FROM cache WHERE key = ?", ("a" * 32,)).fetchone()
        conn.execute("UPDATE cache SET data = ? WHERE key = ?", (data[: len(data) // 2], "a" * 32))
        conn.execute("INSERT INTO cache VALUES (?, ?, ?)", (BAD, os.urandom(200), time.time()))
    conn.close()
    return "a" * 32


@pytest.fixture(params=STORES)
def spoilt(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """A store of three entries, one of them cut short, and a record of random bytes."""
    made = storage(request.param, tmp_path)
    fill(made)
    made.close()
    return uri(request.param, tmp_path), spoil(request.param, tmp_path)


def test_stats_counts_unreadable_records(spoilt: tuple[str, str], tmp_path: Path) -> None:
    store, _ = spoilt
    text = cli("stats", "--storage", store, cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert "entries: 2" in text.stdout and "unreadable: 2" in text.stdout
    counted = json.loads(cli("stats", "--storage", store, "--json", cwd=tmp_path).stdout)
    assert (counted["entries"], counted["unreadable"]) == (2, 2)


def test_list_skips_unreadable_records_and_names_them(
    spoilt: tuple[str, str], tmp_path: Path
) -> None:
    store, where = spoilt
    result = cli("list", "--storage", store, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(entry["key"] for entry in json.loads(result.stdout)) == ["b" * 32, "c" * 32]
    assert "Traceback" not in result.stderr
    assert where in result.stderr and BAD in result.stderr  # one line each, naming the record


def test_purge_unreadable_removes_only_those(spoilt: tuple[str, str], tmp_path: Path) -> None:
    store, _ = spoilt
    purged = cli("purge", "--unreadable", "--storage", store, "--json", cwd=tmp_path)
    assert purged.returncode == 0, purged.stderr
    assert json.loads(purged.stdout) == {"removed": 2}
    counted = json.loads(cli("stats", "--storage", store, "--json", cwd=tmp_path).stdout)
    assert (counted["entries"], counted["unreadable"]) == (2, 0)


@pytest.mark.parametrize("command", [("show", "c" * 8), ("purge", "--stale"), ("clear",)])
def test_every_command_works_beside_unreadable_records(
    spoilt: tuple[str, str], tmp_path: Path, command: tuple[str, ...]
) -> None:
    store, _ = spoilt
    result = cli(*command, "--storage", store, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_clear_leaves_no_unreadable_record(spoilt: tuple[str, str], tmp_path: Path) -> None:
    store, _ = spoilt
    assert cli("clear", "--storage", store, cwd=tmp_path).returncode == 0
    counted = json.loads(cli("stats", "--storage", store, "--json", cwd=tmp_path).stdout)
    assert counted == {"entries": 0, "bytes": 0, "unreadable": 0}


def many_entries(folder: Path, count: int) -> None:
    store = hishel.FileStorage(base_path=folder)
    now = time.time()
    for i in range(count):
        key = f"{i:032x}"
        response = httpcore.Response(
            200,
            headers=[(b"Cache-Control", b"max-age=3600")],
            content=b"x",
            extensions={"hishel_request_time": now, "hishel_response_time": now},
        )
        request = httpcore.Request("GET", f"https://example.com/items/{i}")
        created = datetime.fromtimestamp(now, tz=timezone.utc)
        store.store(
            key, response, request, Metadata(cache_key=key, number_of_uses=0, created_at=created)
        )
    store.close()


@pytest.mark.parametrize("json_output", [False, True], ids=["text", "json"])
def test_a_reader_that_stops_early_ends_the_listing_quietly(
    tmp_path: Path, json_output: bool
) -> None:
    many_entries(tmp_path / "cache", 1500)  # ~150 KB of listing: more than a pipe holds
    args = ["list", "--storage", f"file:{tmp_path / 'cache'}", *(["--json"] if json_output else [])]
    process = subprocess.Popen(
        [sys.executable, "-m", "hishel", "cache", *args],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()  # as `| head -1` does: one line, then the pipe closes
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert first.strip()
    assert stderr == ""  # no traceback, no "Exception ignored"


def test_a_misspelt_cache_folder_is_an_error_and_not_created(tmp_path: Path) -> None:
    many_entries(tmp_path / "cache", 1)
    for command in (("list",), ("stats",), ("purge", "--stale"), ("clear",)):
        result = cli(*command, "--storage", "file:cahce", cwd=tmp_path)
        assert result.returncode == 1, result.stdout
        assert result.stdout == ""
        assert (
            result.stderr.strip()
            == "hishel cache: error: no cache folder at cahce (the path must exist)"
        )
    assert not (tmp_path / "cahce").exists()


def test_a_file_where_the_cache_folder_should_be_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a cache")
    result = cli("list", "--storage", "file:notes.txt", cwd=tmp_path)
    assert result.returncode == 1 and "notes.txt is not a cache folder" in result.stderr


@pytest.mark.parametrize(
    "bad", ["bogus:x", "no-scheme", "file:", "sqlite:c.db?tabel=x", "redis:localhost", "s3://"]
)
def test_a_uri_that_names_no_storage_names_the_accepted_forms(bad: str, tmp_path: Path) -> None:
    result = cli("list", "--storage", bad, cwd=tmp_path)
    assert result.returncode == 2
    assert f"bad storage URI {bad!r}" in result.stderr
    assert FORMS in " ".join(result.stderr.split())  # (argparse may wrap the line)
