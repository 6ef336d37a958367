"""Every ```python snippet of README.md and docs/**/*.md runs as written, against a loopback origin.

Each snippet is one test case (its id names the file and the line of its fence). It runs in
its own interpreter (as a user would run it: top-level code, its own logging and event loop;
async snippets call ``asyncio.run`` / ``anyio.run`` themselves), in a fresh temporary working
directory with ``HOME`` pointing there too, so nothing is written into the repository.

No network: the public hosts a snippet names (``EXAMPLE_HOSTS``) are rewritten to the local
origin, which answers every path with ``hello``, ``Cache-Control: max-age=60`` and an ETag;
any other URL fails the case before it runs. Redis snippets use the server on 127.0.0.1:6379
with their ``namespace="..."`` made unique (and deleted afterwards); Redis Cluster snippets
use the suite's loopback cluster (``tests.redis_cluster``; ``port=7000`` in the snippet is
rewritten to it); S3 snippets (``S3Storage`` or ``boto3``) reach moto's server through
``AWS_ENDPOINT_URL``, their bucket names made unique.

A snippet fails when it exits non-zero or when hishel logs a WARNING or worse while it runs:
a storage that cannot be reached is only a logged miss, so this is what catches a snippet
whose storage setup is wrong. HTML comments just above a fence adjust one snippet:

- ``<!-- origin: {"headers": {"Cache-Control": "no-cache"}} -->``: JSON keyword arguments of
  ``Origin.route`` (a list of them for several routes; ``"path"`` defaults to ``/*``).
- ``<!-- warnings: expected -->``: the snippet shows a hishel warning on purpose.
- ``<!-- skip: needs ... -->``: not executed, with the reason; counted and kept few.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import typing as t
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.origin import Origin

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
EXAMPLE_HOSTS = (
    "https://api.example.com",
    "https://www.example.com",
    "https://example.com",
    "https://hishel.com",
    "http://api.example.com",
    "http://example.com",
)
URL = re.compile(r"\bhttps?://[^\s\"'`)]+")
HOST_ARG = re.compile(r"\bhost\s*=\s*[\"']([^\"']+)[\"']")
MARKER = re.compile(r"^<!--\s*([a-z]+)\s*:\s*(.*?)\s*-->$")
MAX_SKIPPED = 4

# Runs one snippet as __main__ and fails (exit 3) if hishel logged a WARNING or worse.
RUNNER = """\
import logging, runpy, sys, traceback

class Seen(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.levelname + " " + record.getMessage())

seen = Seen()
logging.getLogger("hishel").addHandler(seen)
try:
    runpy.run_path(sys.argv[1], run_name="__main__")
except SystemExit:
    raise
except BaseException:
    traceback.print_exc()
    sys.exit(1)
finally:
    logging.getLogger("hishel").removeHandler(seen)
if seen.lines and sys.argv[2] != "expected":
    print("hishel logged while the snippet ran:", *seen.lines, sep="\\n", file=sys.stderr)
    sys.exit(3)
"""


@dataclass(frozen=True)
class Snippet:
    path: Path
    line: int
    code: str
    markers: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT).as_posix()}:{self.line}"


def collect(path: Path) -> list[Snippet]:
    """The ```python fences of ``path`` with their line and the markers just above them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Snippet] = []
    used: set[int] = set()
    i = 0
    while i < len(lines):
        if lines[i].strip().startswith("```python"):
            assert lines[i].startswith("```python"), f"{path}:{i + 1}: indented python fence"
            start = i
            body: list[str] = []
            i += 1
            while not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            markers: dict[str, str] = {}
            j = start - 1
            while j >= 0 and (m := MARKER.match(lines[j].strip())):
                markers[m.group(1)] = m.group(2)
                used.add(j)
                j -= 1
            unknown = set(markers) - {"origin", "warnings", "skip"}
            assert not unknown, f"{path}:{start + 1}: unknown snippet marker {sorted(unknown)}"
            found.append(Snippet(path, start + 1, "\n".join(body) + "\n", markers))
        i += 1
    stray = [n + 1 for n, line in enumerate(lines) if MARKER.match(line.strip()) and n not in used]
    assert not stray, f"{path}: snippet markers not just above a python fence, lines {stray}"
    return found


SNIPPETS = [snippet for path in SOURCES for snippet in collect(path)]
SKIPPED = [s for s in SNIPPETS if "skip" in s.markers]


def test_snippets_are_collected() -> None:
    readme = [s for s in SNIPPETS if s.path.name == "README.md" and s.path.parent == ROOT]
    assert len(readme) >= 5  # quickstart sync and async, configuration, redis, migration
    assert len(SNIPPETS) - len(readme) >= 30  # the docs site's own


def test_few_snippets_are_not_executed() -> None:
    """Snippets marked ``skip`` are listed here, and kept to a handful."""
    for snippet in SKIPPED:
        assert snippet.markers["skip"], f"{snippet.id}: a skip needs a reason"
    listing = ", ".join(f"{s.id} ({s.markers['skip']})" for s in SKIPPED) or "none"
    print(f"\n{len(SNIPPETS) - len(SKIPPED)} snippets executed, {len(SKIPPED)} not: {listing}")
    assert len(SKIPPED) <= MAX_SKIPPED, listing


def localised(code: str, origin: Origin) -> str:
    for host in EXAMPLE_HOSTS:
        code = code.replace(host, origin.base_url)
    stray = [url for url in URL.findall(code) if not url.startswith(origin.base_url)]
    assert stray == [], f"the snippet would reach the network: {stray}"
    hosts = [h for h in HOST_ARG.findall(code) if h not in ("127.0.0.1", "localhost")]
    assert hosts == [], f"the snippet would reach beyond loopback: {hosts}"
    return code


def _routes(snippet: Snippet) -> list[dict[str, t.Any]]:
    spec = json.loads(snippet.markers.get("origin", "{}"))
    return spec if isinstance(spec, list) else [spec]


def _unique(code: str, pattern: str, suffix: str) -> tuple[str, list[str]]:
    """``code`` with every ``pattern``'s quoted value suffixed; the new values."""
    names: list[str] = []

    def rename(found: re.Match[str]) -> str:
        names.append(found.group(2) + suffix)
        return f"{found.group(1)}{found.group(2)}{suffix}{found.group(3)}"

    return re.sub(pattern, rename, code), names


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.id for s in SNIPPETS])
def test_snippet_runs(
    snippet: Snippet, origin: Origin, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if "skip" in snippet.markers:
        pytest.skip(f"not executed ({snippet.markers['skip']})")
    for route in _routes(snippet):
        options: dict[str, t.Any] = {
            "body": b"hello",
            "headers": {"Cache-Control": "max-age=60"},
            "etag": "v1",
        }
        options.update(route)
        origin.route(options.pop("path", "/*"), **options)
    code = localised(snippet.code, origin)
    suffix = "-" + uuid.uuid4().hex[:12]
    env = {
        **os.environ,
        "NO_PROXY": "127.0.0.1,localhost",
        "PYTHONDONTWRITEBYTECODE": "1",
        "HOME": str(tmp_path),
    }
    namespaces: list[str] = []
    plain_redis = cluster = None
    if "RedisStorage" in code:
        code, namespaces = _unique(code, r"(namespace=[\"'])([^\"']+)([\"'])", suffix)
        assert namespaces, "a Redis snippet names its namespace= (the tests delete its keys)"
        if "RedisCluster" in code:
            _, port = request.getfixturevalue("redis_cluster_address")
            assert "port=7000" in code, "a Redis Cluster snippet connects to port=7000"
            code = code.replace("port=7000", f"port={port}")
            from redis.cluster import RedisCluster

            cluster = RedisCluster(host="127.0.0.1", port=port)
        else:
            plain_redis = request.getfixturevalue("redis_client")
    if "S3Storage" in code or "boto3" in code:
        s3 = request.getfixturevalue("s3_client")
        code, buckets = _unique(code, r"((?:bucket_name|Bucket)=[\"'])([a-z0-9.-]+)([\"'])", suffix)
        env.update(os.environ)  # the credentials the S3 fixture set
        env["HOME"] = str(tmp_path)
        env["AWS_ENDPOINT_URL"] = request.getfixturevalue("s3_endpoint")
        if "create_bucket" not in code:
            for bucket in set(buckets):
                s3.create_bucket(Bucket=bucket)
    program = tmp_path / "snippet.py"
    program.write_text(code, encoding="utf-8")
    runner = tmp_path / "_run_snippet.py"
    runner.write_text(RUNNER, encoding="utf-8")
    warnings = snippet.markers.get("warnings", "")
    try:
        result = subprocess.run(
            [sys.executable, str(runner), str(program), warnings],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        for client in (c for c in (plain_redis, cluster) if c is not None):
            for namespace in namespaces:
                for key in list(client.scan_iter(match=f"{namespace}*")):
                    client.delete(key)
        if cluster is not None:
            cluster.close()
    print(result.stdout)  # shown with -s: compare with the snippet's comments
    assert result.returncode == 0, f"{snippet.id}\n{result.stdout}\n{result.stderr}"
    if URL.search(code) and "Mock" not in code:  # (a mock transport answers by itself)
        assert origin.count() >= 1  # it did talk to the local origin
    if "served from the cache" in code or "takes from the cache" in code:
        assert origin.count() == 1  # the second request was answered by the cache
