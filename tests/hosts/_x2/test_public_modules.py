"""The public modules hishel.httpx2 and hishel.httpcore2 (thin packages over the generated
shells): ``import hishel`` imports neither library, and a missing library is an ImportError
that names the extra. Each case runs in a fresh interpreter, the library blocked in
``sys.modules`` (as when it is not installed)."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3] / "src"


def run(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )


def test_importing_hishel_imports_neither_httpx2_nor_httpcore2() -> None:
    done = run(
        "import sys, hishel\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('httpx2', 'httpcore2')))"
    )
    assert (done.returncode, done.stdout.strip()) == (0, "[]"), done.stderr


@pytest.mark.parametrize(
    ("module", "blocked"),
    [
        ("hishel.httpx2", "httpx2"),
        ("hishel.httpx2", "httpcore2"),
        ("hishel.httpcore2", "httpcore2"),
    ],
)
def test_a_missing_library_is_an_import_error_naming_the_extra(module: str, blocked: str) -> None:
    done = run(
        f"import sys\nsys.modules[{blocked!r}] = None\n"
        f"try:\n    import {module}\n"
        "except ImportError as exc:\n    print(exc)\n"
        "else:\n    print('imported')"
    )
    assert done.returncode == 0, done.stderr
    assert 'pip install "hishel[httpx2]"' in done.stdout
    assert module in done.stdout


HTTPX2_NAMES = ["AsyncCacheClient", "AsyncCacheTransport", "CacheClient", "CacheTransport"]
HTTPCORE2_NAMES = ["AsyncCacheConnectionPool", "CacheConnectionPool"]


@pytest.mark.parametrize(
    ("module", "names"), [("hishel.httpx2", HTTPX2_NAMES), ("hishel.httpcore2", HTTPCORE2_NAMES)]
)
def test_the_public_names(module: str, names: list[str]) -> None:
    done = run(
        f"import {module} as m\nprint(sorted(m.__all__), all(hasattr(m, n) for n in m.__all__))"
    )
    assert done.stdout.strip() == f"{names} True", done.stderr


def _spelled(annotation: object) -> str:
    """An annotation as text, without the module prefixes either side spells it with."""
    return re.sub(r"\b(?:t|typing|httpx2|ssl)\.", "", str(annotation)).replace("None | ", "")


@pytest.mark.parametrize("name", ["Client", "AsyncClient"])
def test_the_clients_take_httpx2s_arguments_with_its_defaults_and_types(name: str) -> None:
    import httpx2

    import hishel.httpx2

    theirs = inspect.signature(getattr(httpx2, name).__init__).parameters
    ours = dict(
        inspect.signature(getattr(hishel.httpx2, name.replace("Client", "CacheClient"))).parameters
    )
    assert list(ours)[:2] == ["storage", "controller"]
    assert sorted(list(ours)[2:]) == sorted(key for key in theirs if key != "self")
    for key, parameter in theirs.items():
        if key == "self":
            continue
        mine = ours[key]
        assert (mine.kind, mine.default) == (parameter.kind, parameter.default), key
        assert _spelled(mine.annotation) == _spelled(parameter.annotation), key
