"""Every ```python snippet of README.md runs as written, against a loopback origin.

Each snippet runs in its own interpreter (as a user would run it: top-level code, its own
logging and event loop), in a fresh working directory, with the public hosts it names
(hishel.com, example.com, api.example.com) replaced by a local origin: no network. Snippets
that use S3 get the moto server (through ``AWS_ENDPOINT_URL``), Redis the local server.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.origin import Origin

README = Path(__file__).resolve().parent.parent / "README.md"
SNIPPETS = re.findall(r"^```python\n(.*?)^```", README.read_text(encoding="utf-8"), re.M | re.S)
PUBLIC_HOSTS = ("https://api.example.com", "https://example.com", "https://hishel.com")
URL = re.compile(r"\bhttps?://[^\s\"'`)]+")


def test_the_readme_has_snippets() -> None:
    assert len(SNIPPETS) >= 5  # quickstart sync and async, configuration, redis, migration


def localised(snippet: str, origin: Origin) -> str:
    for host in PUBLIC_HOSTS:
        snippet = snippet.replace(host, origin.base_url)
    stray = [url for url in URL.findall(snippet) if not url.startswith(origin.base_url)]
    assert stray == [], f"the snippet would reach the network: {stray}"
    return snippet


@pytest.mark.parametrize(
    "snippet", SNIPPETS, ids=[f"snippet{i}" for i in range(1, len(SNIPPETS) + 1)]
)
def test_readme_snippet_runs(
    snippet: str, origin: Origin, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    for path in ("/", "/data"):
        origin.route(path, body=b"hello", headers={"Cache-Control": "max-age=60"})
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "PYTHONDONTWRITEBYTECODE": "1"}
    s3, bucket = None, ""
    if "S3Storage" in snippet:
        s3 = request.getfixturevalue("s3_client")
        found = re.search(r'bucket_name="([^"]+)"', snippet)
        assert found is not None
        bucket = found.group(1)
        s3.create_bucket(Bucket=bucket)
        env.update(os.environ)  # the credentials the S3 fixture set
        env["AWS_ENDPOINT_URL"] = request.getfixturevalue("s3_endpoint")
    namespaces: list[str] = re.findall(r'namespace="([^"]+)"', snippet)
    redis = request.getfixturevalue("redis_client") if "RedisStorage" in snippet else None
    if "RedisCluster(" in snippet:  # the loopback cluster stands in for the one named
        host, port = request.getfixturevalue("redis_cluster_address")
        snippet = snippet.replace('host="127.0.0.1", port=7000', f'host="{host}", port={port}')
        redis = request.getfixturevalue("redis_cluster_client")
    stored_in_redis = 0
    program = tmp_path / "snippet.py"
    program.write_text(localised(snippet, origin), encoding="utf-8")
    try:
        result = subprocess.run(
            [sys.executable, str(program)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        for namespace in namespaces if redis is not None else []:
            keys = list(redis.scan_iter(match=f"{namespace}*"))
            stored_in_redis += len(keys)
            if keys:
                redis.delete(*keys)
    assert result.returncode == 0, result.stderr
    # A storage that cannot be reached is only a miss: check the entries really landed.
    if s3 is not None:
        assert s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0) >= 1, result.stderr
    if redis is not None:
        assert stored_in_redis >= 1, result.stderr
    if URL.search(snippet):
        assert origin.count() >= 1  # it did talk to the local origin
    if "served from the cache" in snippet or "takes from the cache" in snippet:
        assert origin.count("/") == 1  # the second request was answered by the cache
