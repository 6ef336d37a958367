"""scripts/unasync.py on a temporary tree: generation, and what ``--check`` calls drift."""

from __future__ import annotations

import importlib.util
import re
import sys
import types
import typing as t
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


# The second rule set: host shells copied to a library renamed (httpx -> httpx2).

RENAMED = {
    "pkg._hosts._httpx": "pkg._hosts._x2._httpx2",
    "pkg._hosts._async._pool": "pkg._hosts._x2._async._pool",
}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("from ._host import AsyncHost\n", "from ..._async._host import AsyncHost\n"),
        ("from ._pool import AsyncPool\n", "from ._pool import AsyncPool\n"),
        ("from .._httpx import headers\n", "from .._httpx2 import headers\n"),
        ("from ..._core._messages import (\n", "from ...._core._messages import (\n"),
        ("    from .. import _install\n", "    from ... import _install\n"),
        ("import httpx2\n", "import httpx2\n"),
    ],
)
def test_a_copy_imports_copied_modules_as_copies_and_others_as_the_originals(
    unasync: types.ModuleType, line: str, expected: str
) -> None:
    source, copy = "pkg._hosts._async._transports", "pkg._hosts._x2._async._transports"
    assert unasync.repoint(line, source, copy, RENAMED) == expected


def test_relative_imports_are_sorted_furthest_first(unasync: types.ModuleType) -> None:
    text = (
        "import httpx2\n\n"
        "from ...._core import a\n"
        "from .._httpx2 import b\n"
        "from ..._async._host import (\n    C,\n    D,\n)\n"
        "from ._pool import e\n"
        "from ..._async._shell import f\n\n"
        "x = 1\n"
    )
    assert unasync.sort_relative_imports(text) == (
        "import httpx2\n\n"
        "from ...._core import a\n"
        "from ..._async._host import (\n    C,\n    D,\n)\n"
        "from ..._async._shell import f\n"
        "from .._httpx2 import b\n"
        "from ._pool import e\n\n"
        "x = 1\n"
    )


SHELL = '''"""The httpx shell."""

import httpx

from .._core import flow
from .._httpx import headers
from ._host import AsyncHost
from ._pool import AsyncPool


async def handle(request: httpx.Request) -> httpx.Response:
    return await AsyncPool().send(request)
'''


def host_tree(tmp_path: Path, unasync: types.ModuleType, *extra: tuple[str, str]) -> t.Any:
    hosts = tmp_path / "src" / "pkg" / "_hosts"
    (hosts / "_async").mkdir(parents=True, exist_ok=True)
    (hosts / "_httpx.py").write_text("import httpx\n")
    (hosts / "_async" / "_transports.py").write_text(SHELL)
    (hosts / "_async" / "_pool.py").write_text("class AsyncPool: ...\n")
    rows = [(r"\bhttpx\b", "httpx2"), *extra]
    return unasync.HostCopy(
        package="pkg._hosts",
        target="pkg._hosts._x2",
        modules={
            "_httpx": "_httpx2",
            "_async._transports": "_async._transports",
            "_async._pool": "_async._pool",
        },
        table=table(*rows),
        note="httpx -> httpx2",
    )


def run_copy(unasync: types.ModuleType, argv: list[str], tmp_path: Path, copy: t.Any) -> int:
    return int(unasync.main(argv, directories=[], table=[], root=tmp_path, copies=[copy]))


def test_a_host_copy_is_generated_with_its_sync_twin_then_check_passes(
    unasync: types.ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = host_tree(tmp_path, unasync)
    target = tmp_path / "src" / "pkg" / "_hosts" / "_x2"
    run_copy(unasync, [], tmp_path, copy)
    capsys.readouterr()
    shell = (target / "_async" / "_transports.py").read_text().splitlines()
    assert shell[:2] == [
        "# GENERATED by scripts/unasync.py from src/pkg/_hosts/_async/_transports.py",
        "# (httpx -> httpx2); do not edit.",
    ]
    assert shell[4:9] == [
        "import httpx2",
        "",
        "from ..._async._host import AsyncHost",
        "from ..._core import flow",
        "from .._httpx2 import headers",
    ]
    assert "from ._pool import AsyncPool" in shell
    twin = (target / "_sync" / "_transports.py").read_text()
    assert "from ..._sync._host import Host\n" in twin
    assert "def handle(request: httpx2.Request) -> httpx2.Response:\n" in twin
    assert (target / "_httpx2.py").read_text().endswith("import httpx2\n")
    assert sorted(path.name for path in target.rglob("__init__.py")) == ["__init__.py"] * 3
    assert run_copy(unasync, ["--check"], tmp_path, copy) == 0


def test_check_fails_when_a_copied_source_changes_or_a_host_row_is_dead(
    unasync: types.ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = host_tree(tmp_path, unasync, (r"\bhttpcore\b", "httpcore2"))
    run_copy(unasync, [], tmp_path, copy)
    (tmp_path / "src" / "pkg" / "_hosts" / "_httpx.py").write_text("import httpx  # changed\n")
    (tmp_path / "src" / "pkg" / "_hosts" / "_x2" / "_orphan.py").write_text("")
    capsys.readouterr()
    assert run_copy(unasync, ["--check"], tmp_path, copy) == 1
    out = capsys.readouterr().out
    assert "out of date: src/pkg/_hosts/_x2/_httpx2.py" in out
    assert "no async source: src/pkg/_hosts/_x2/_orphan.py" in out
    assert "dead substitution: '\\\\bhttpcore\\\\b'" in out


def test_the_project_host_copies_have_no_dead_rows(unasync: types.ModuleType) -> None:
    used: set[str] = set()
    for copy in unasync.HOST_COPIES:
        unasync.host_copy_files(copy, unasync.ROOT, used)
        assert [regex.pattern for regex, _ in copy.table if regex.pattern not in used] == []
