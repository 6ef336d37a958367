"""A user program using every public name passes ``mypy --strict``; misspelt keywords fail it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import hishel

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PROGRAM = HERE / "typed_program.py"


def mypy(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_program_uses_every_public_name() -> None:
    tree = ast.parse(PROGRAM.read_text(encoding="utf-8"))
    used = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "hishel"
    }
    assert set(hishel.__all__) - used == set()


def test_typed_program_passes_mypy_strict() -> None:
    result = mypy(PROGRAM)
    assert result.returncode == 0, result.stdout + result.stderr


def test_misspelt_client_keywords_are_type_errors(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        "import hishel\n"
        "hishel.CacheClient(follow_redirect=True)\n"
        "hishel.AsyncCacheClient(time_out=5)\n"
        'hishel.Controller(cacheable_methods=("GET", "POST"))\n',
        encoding="utf-8",
    )
    result = mypy(wrong)
    lines = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert [line.split(":")[1] for line in lines] == ["2", "3"], result.stdout
    assert '"follow_redirect"' in lines[0] and '"time_out"' in lines[1]
