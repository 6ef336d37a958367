"""The public host modules type-check: a user program over every host passes
``mypy --strict`` (tests/hosts/typed_program.py), and giving a host a storage of the wrong
kind (an async storage to a sync host, or the reverse) is a type error, not a runtime surprise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PROGRAM = HERE / "typed_program.py"

# one line each: a host given the storage kind it does not take
WRONG_KIND = [
    "hishel.CacheClient(storage=hishel.AsyncInMemoryStorage())",
    "hishel.AsyncCacheClient(storage=hishel.FileStorage())",
    "hishel.CacheConnectionPool(httpcore.ConnectionPool(), storage=hishel.AsyncFileStorage())",
    "hishel.AsyncCacheConnectionPool(httpcore.AsyncConnectionPool(), hishel.SQLiteStorage())",
    "hishel.httpx2.CacheClient(storage=hishel.AsyncRedisStorage())",
    "hishel.httpx2.AsyncCacheTransport(httpx2.AsyncHTTPTransport(), hishel.InMemoryStorage())",
    "hishel.httpcore2.CacheConnectionPool(httpcore2.ConnectionPool(), hishel.AsyncS3Storage(bucket_name='b'))",  # noqa: E501
    "hishel.httpcore2.AsyncCacheConnectionPool(httpcore2.AsyncConnectionPool(), hishel.FileStorage())",  # noqa: E501
    "hishel.requests.CacheSession(storage=hishel.AsyncFileStorage())",
    "hishel.requests.CacheAdapter(hishel.AsyncInMemoryStorage(), pool_maxsize=2)",
]
WRONG_IMPORTS = [
    "import httpcore",
    "import httpcore2",
    "import httpx2",
    "import hishel",
    "import hishel.httpcore2",
    "import hishel.httpx2",
    "import hishel.requests",
]


def mypy(*files: Path) -> subprocess.CompletedProcess[str]:
    """``mypy --strict`` over ``files``, checking against this checkout's src (MYPYPATH comes
    before an installed hishel, which may be another checkout's)."""
    env = {**os.environ, "MYPYPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def test_host_program_passes_mypy_strict() -> None:
    result = mypy(PROGRAM)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_storage_of_the_wrong_kind_is_a_type_error(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong_kind.py"
    wrong.write_text("\n".join([*WRONG_IMPORTS, *WRONG_KIND]) + "\n", encoding="utf-8")
    result = mypy(wrong)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    first = len(WRONG_IMPORTS) + 1
    expected = [str(n) for n in range(first, first + len(WRONG_KIND))]
    assert [line.split(":")[1] for line in errors] == expected, result.stdout
    assert all("[arg-type]" in line for line in errors), result.stdout


# What hishel.requests promises every response carries (docs: the attributes from_cache,
# revalidated, cache_status, cache_metadata), read the way its docs show.
REQUESTS_ATTRIBUTES = """\
import hishel
import hishel.requests

with hishel.requests.CacheSession(storage=hishel.InMemoryStorage()) as session:
    response = session.get("http://127.0.0.1:8000/")
    from_cache: bool = response.from_cache
    revalidated: bool = response.revalidated
    status: str | None = response.cache_status
    metadata: hishel.Metadata | None = response.cache_metadata
"""


def test_requests_cache_attributes_are_typed(tmp_path: Path) -> None:
    program = tmp_path / "requests_attributes.py"
    program.write_text(REQUESTS_ATTRIBUTES, encoding="utf-8")
    result = mypy(program)
    assert result.returncode == 0, result.stdout + result.stderr
