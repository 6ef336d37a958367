"""``hishel cache ...`` driven as a subprocess on a file and an SQLite store."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import httpcore
import pytest

import hishel
from hishel._storage._serializers import Metadata

STORES = ["file", "sqlite"]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hishel", "cache", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def uri(kind: str, tmp_path: Path) -> str:
    return f"file:{tmp_path / 'cache'}" if kind == "file" else f"sqlite:{tmp_path / 'c.db'}"


def storage(kind: str, tmp_path: Path) -> hishel.BaseStorage:
    if kind == "file":
        return hishel.FileStorage(base_path=tmp_path / "cache")
    return hishel.SQLiteStorage(connection=tmp_path / "c.db")


def fill(store: hishel.BaseStorage) -> None:
    now = time.time()
    rows = [
        ("a" * 32, "https://example.com/a", b"max-age=3600", 3),
        ("b" * 32, "https://example.com/api/b?x=1", b"max-age=0", 0),
        ("c" * 32, "https://other.org/c", b"max-age=3600", 1),
    ]
    for key, url, cache_control, uses in rows:
        response = httpcore.Response(
            200,
            headers=[(b"Cache-Control", cache_control)],
            content=b"body of " + url.encode(),
            extensions={"hishel_request_time": now, "hishel_response_time": now},
        )
        metadata = Metadata(
            cache_key=key, number_of_uses=uses, created_at=datetime.fromtimestamp(now).astimezone()
        )
        store.store(key, response, httpcore.Request("GET", url), metadata)


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    made = storage(request.param, tmp_path)
    fill(made)
    made.close()
    return uri(request.param, tmp_path)


def test_list_prints_a_table(store: str, tmp_path: Path) -> None:
    result = cli("list", "--storage", store, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["KEY", "STATUS", "SIZE", "AGE", "STATE", "USES", "URL"]
    rows = {line.split()[-1]: line.split() for line in lines[1:]}
    assert set(rows) == {
        "https://example.com/a",
        "https://example.com/api/b?x=1",
        "https://other.org/c",
    }
    a = rows["https://example.com/a"]
    assert a[0] == "a" * 32 and a[1] == "200" and a[-3:-1] == ["fresh", "3"]
    assert rows["https://example.com/api/b?x=1"][-3] == "stale"


def test_list_json_has_every_entryinfo_field(store: str, tmp_path: Path) -> None:
    result = cli("list", "--storage", store, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    assert len(entries) == 3
    fields = set(hishel.EntryInfo.__dataclass_fields__)
    assert all(set(entry) == fields for entry in entries)
    by_key = {entry["key"]: entry for entry in entries}
    a = by_key["a" * 32]
    assert (a["url"], a["status"], a["uses"], a["expires_at"]) == (
        "https://example.com/a",
        200,
        3,
        None,
    )
    created = datetime.fromisoformat(a["created_at"])
    assert created.utcoffset() is not None
    assert datetime.fromisoformat(a["fresh_until"]) > created


def test_show_and_stats(store: str, tmp_path: Path) -> None:
    shown = cli("show", "c" * 8, "--storage", store, "--json", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout)["url"] == "https://other.org/c"
    text = cli("show", "c" * 32, "--storage", store, cwd=tmp_path)
    assert "url:" in text.stdout and "https://other.org/c" in text.stdout
    missing = cli("show", "nope", "--storage", store, cwd=tmp_path)
    assert missing.returncode == 1 and "no entry" in missing.stderr
    stats = cli("stats", "--storage", store, "--json", cwd=tmp_path)
    assert stats.returncode == 0, stats.stderr
    counted = json.loads(stats.stdout)
    assert counted["entries"] == 3 and counted["bytes"] > 0
    assert "entries: 3" in cli("stats", "--storage", store, cwd=tmp_path).stdout


def test_purge_then_clear(store: str, tmp_path: Path) -> None:
    by_pattern = cli(
        "purge", "--storage", store, "--pattern", "https://example.com/api/*", cwd=tmp_path
    )
    assert (by_pattern.returncode, by_pattern.stdout.strip()) == (0, "removed 1 entry")
    by_url = cli(
        "purge", "--storage", store, "--url", "https://other.org/c", "--json", cwd=tmp_path
    )
    assert json.loads(by_url.stdout) == {"removed": 1}
    old = cli("purge", "--storage", store, "--older-than", "1d", "--json", cwd=tmp_path)
    assert json.loads(old.stdout) == {"removed": 0}
    cleared = cli("clear", "--storage", store, "--json", cwd=tmp_path)
    assert json.loads(cleared.stdout) == {"removed": 1}
    listed = cli("list", "--storage", store, "--json", cwd=tmp_path)
    assert json.loads(listed.stdout) == []


def test_purge_stale(store: str, tmp_path: Path) -> None:
    result = cli("purge", "--storage", store, "--stale", cwd=tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, "removed 1 entry")


def test_the_default_storage_is_the_cache_folder_here(tmp_path: Path) -> None:
    made = hishel.FileStorage(base_path=tmp_path / ".hishel_cache")
    fill(made)
    made.close()
    result = cli("stats", "--json", cwd=tmp_path)
    assert json.loads(result.stdout)["entries"] == 3


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--storage", "bogus:x"),
        ("list", "--storage", "no-scheme"),
        ("list", "--storage", "sqlite:c.db?tabel=x"),
        ("list", "--storage", "redis://127.0.0.1:6379/zero"),
        ("purge",),  # no criterion
        ("purge", "--older-than", "soon"),
        ("frobnicate",),
        ("show",),  # no key
    ],
)
def test_usage_errors_exit_2(args: tuple[str, ...], tmp_path: Path) -> None:
    result = cli(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "usage:" in result.stderr and "Traceback" not in result.stderr


def test_unreachable_redis_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = cli("list", "--storage", "redis://127.0.0.1:1/0", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("hishel cache: error: "), result.stderr


def test_a_missing_sqlite_database_is_an_error_and_not_created(tmp_path: Path) -> None:
    result = cli("list", "--storage", "sqlite:missing.db", cwd=tmp_path)
    assert result.returncode == 1 and "no SQLite database" in result.stderr
    assert not (tmp_path / "missing.db").exists()


@pytest.mark.parametrize("command", ["list", "show", "stats", "purge", "clear"])
def test_every_command_has_help(command: str, tmp_path: Path) -> None:
    result = cli(command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert f"usage: hishel cache {command}" in result.stdout and "--storage" in result.stdout


def test_the_demo_command_is_still_there(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hishel", "--help"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0 and "demo" in result.stdout and "cache" in result.stdout
