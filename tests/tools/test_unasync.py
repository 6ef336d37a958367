"""scripts/unasync.py on a temporary tree: generation, and what ``--check`` calls drift."""

from __future__ import annotations

import importlib.util
import re
import sys
import types
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "unasync.py"

SOURCE = """async def fetch(client: AsyncClient) -> bytes:
    async with client:
        return await client.aread()
"""


def load() -> types.ModuleType:
    spec = importlib.util.spec_from_file_location("unasync_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def unasync() -> types.ModuleType:
    return load()


def tree(tmp_path: Path) -> list[tuple[Path, Path]]:
    (tmp_path / "_async").mkdir(exist_ok=True)
    (tmp_path / "_async" / "client.py").write_text(SOURCE)
    return [(tmp_path / "_async", tmp_path / "_sync")]


def table(*rows: tuple[str, str]) -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(pattern), repl) for pattern, repl in rows]


LIVE = [
    (r"\basync def\b", "def"),
    (r"\basync with\b", "with"),
    (r"\bawait ", ""),
    (r"\baread\b", "read"),
    (r"\bAsync(?=[A-Z])", ""),
]


def run(
    unasync: types.ModuleType, argv: list[str], tmp_path: Path, rows: list[tuple[str, str]]
) -> int:
    return int(unasync.main(argv, directories=tree(tmp_path), table=table(*rows), root=tmp_path))


def test_generates_the_sync_tree_then_check_passes(
    unasync: types.ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(unasync, ["--check"], tmp_path, LIVE) == 1  # nothing generated yet
    assert "out of date: _sync/client.py" in capsys.readouterr().out
    assert run(unasync, [], tmp_path, LIVE) == 0
    generated = (tmp_path / "_sync" / "client.py").read_text()
    assert generated.splitlines()[1:] == [
        "def fetch(client: Client) -> bytes:",
        "    with client:",
        "        return client.read()",
    ]
    assert run(unasync, ["--check"], tmp_path, LIVE) == 0
    assert "1 generated files up to date" in capsys.readouterr().out


def test_check_fails_on_a_hand_edited_or_orphan_sync_file(
    unasync: types.ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(unasync, [], tmp_path, LIVE)
    (tmp_path / "_sync" / "client.py").write_text("edited by hand\n")
    (tmp_path / "_sync" / "orphan.py").write_text("")
    capsys.readouterr()
    assert run(unasync, ["--check"], tmp_path, LIVE) == 1
    out = capsys.readouterr().out
    assert "out of date: _sync/client.py" in out
    assert "no async source: _sync/orphan.py" in out


def test_check_fails_on_a_dead_substitution_naming_it(
    unasync: types.ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [*LIVE, (r"\bAsyncGenerator\b", "Generator")]
    assert run(unasync, [], tmp_path, rows) == 0  # generation still works, with a warning
    assert "dead substitution: '\\\\bAsyncGenerator\\\\b'" in capsys.readouterr().out
    assert run(unasync, ["--check"], tmp_path, rows) == 1
    out = capsys.readouterr().out
    assert "dead substitution: '\\\\bAsyncGenerator\\\\b' matches nothing" in out
    assert "out of date" not in out  # the generated code itself is up to date


def test_the_project_table_has_no_dead_rows(unasync: types.ModuleType) -> None:
    used: set[str] = set()
    unasync.expected_files(unasync.DIRECTORIES, unasync.COMPILED, used)
    assert [regex.pattern for regex, _ in unasync.COMPILED if regex.pattern not in used] == []
