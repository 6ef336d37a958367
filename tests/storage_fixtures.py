"""Fixtures for the storage tests: real Redis, a moto S3 server, SQLite files.

Redis is the server on 127.0.0.1:6379; each test gets its own namespace and its keys are
deleted afterwards. Redis Cluster is a 3-master loopback cluster (``tests.redis_cluster``:
the one ``scripts/test`` starts, or the session's own), reached the same way; test code
reaches the stored keys with sync clients only, the same under asyncio and trio.
S3 is moto's ThreadedMotoServer on a free port of 127.0.0.1, reached over
HTTP by a real boto3 client with dummy credentials; each test gets its own key prefix.
"""

from __future__ import annotations

import base64
import json
import socket
import typing as t
import uuid
from pathlib import Path

import pytest

from tests.clock import FakeClock

__all__ = ["LEGACY_JSON", "S3_BUCKET", "FakeClock"]  # FakeClock: for older imports

S3_BUCKET = "hishel-tests"
_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}

# hishel 0.1's JSON layout, written by hand from its description.
LEGACY_JSON = json.dumps(
    {
        "response": {
            "status": 200,
            "headers": [["Content-Type", "text/plain"], ["X-Latin", "caf\u00e9"]],
            "content": base64.b64encode(b"legacy body").decode("ascii"),
            "extensions": {"http_version": "HTTP/1.1", "reason_phrase": "OK"},
        },
        "request": {
            "method": "GET",
            "url": "https://example.com/path?q=1",
            "headers": [["Host", "example.com"], ["Accept", "*/*"]],
            "extensions": {"timeout": {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0}},
        },
        "metadata": {
            "cache_key": "0123456789abcdef0123456789abcdef",
            "number_of_uses": 3,
            "created_at": "Mon, 21 Oct 2024 10:00:00 GMT",
        },
    },
    indent=4,
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> t.Iterator[str]:
    """A moto S3 server with the test bucket, for the whole session."""
    import boto3
    from moto.server import ThreadedMotoServer

    with pytest.MonkeyPatch.context() as mp:
        for name, value in _CREDENTIALS.items():
            mp.setenv(name, value)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        try:
            client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
            client.create_bucket(Bucket=S3_BUCKET)
            client.close()
            yield endpoint
        finally:
            server.stop()


@pytest.fixture
def s3_client(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> t.Iterator[t.Any]:
    """A real boto3 S3 client talking to the moto server."""
    import boto3

    for name, value in _CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    yield client
    client.close()


@pytest.fixture
def s3_prefix(s3_client: t.Any) -> t.Iterator[str]:
    """A key prefix of this test's own; its objects are deleted afterwards."""
    prefix = f"test-{uuid.uuid4().hex}/"
    yield prefix
    listed = s3_client.list_objects_v2(Bucket=S3_BUCKET, Prefix=prefix)
    for obj in listed.get("Contents", []):
        s3_client.delete_object(Bucket=S3_BUCKET, Key=obj["Key"])


@pytest.fixture
def redis_client() -> t.Iterator[t.Any]:
    """A sync client of the real Redis on 127.0.0.1:6379."""
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379)
    try:
        client.ping()
    except redis.ConnectionError:
        client.close()
        pytest.fail("no Redis server on 127.0.0.1:6379: scripts/test starts one; start it by hand")
    yield client
    client.close()


@pytest.fixture
def redis_namespace(redis_client: t.Any) -> t.Iterator[str]:
    """A namespace of this test's own; its keys are deleted afterwards."""
    namespace = f"hishel-test-{uuid.uuid4().hex}"
    yield namespace
    keys = list(redis_client.scan_iter(match=f"{namespace}*", count=1000))
    if keys:
        redis_client.delete(*keys)


async def async_close_redis(client: t.Any) -> None:
    """Close a ``redis.asyncio`` client a test made (async side). Under trio the storage sent
    its commands through a sync twin, so the client was never connected, and redis.asyncio
    cannot run there (it needs an asyncio loop): nothing to close."""
    from hishel._core._concurrency import async_in_trio

    if not async_in_trio():
        await client.aclose()


def close_redis(client: t.Any) -> None:
    """Close a sync redis client a test made (the sync twin of ``async_close_redis``)."""
    client.close()


@pytest.fixture
def redis_cluster_client(redis_cluster_address: tuple[str, int]) -> t.Iterator[t.Any]:
    """A sync ``RedisCluster`` client of the loopback cluster."""
    from redis.cluster import RedisCluster

    host, port = redis_cluster_address
    client = RedisCluster(host=host, port=port)
    yield client
    client.close()


@pytest.fixture
def redis_cluster_namespace(redis_cluster_client: t.Any) -> t.Iterator[str]:
    """A namespace of this test's own on the cluster; its keys (on every node) are deleted."""
    namespace = f"hishel-test-{uuid.uuid4().hex}"
    yield namespace
    for name in list(redis_cluster_client.scan_iter(match=f"{namespace}*", count=1000)):
        redis_cluster_client.delete(name)


@pytest.fixture
def sqlite_path(tmp_path: Path) -> Path:
    """A database file path in the test's temporary directory."""
    return tmp_path / "cache.db"
