"""Async storages bound every storage call by ``timeout`` even over clients that have no
timeouts of their own: a redis.asyncio client with none, frozen; a boto3
client with its defaults (60 s reads, retries) against an endpoint that never answers."""

from __future__ import annotations

import time

import pytest
import redis.asyncio

import hishel
from tests import latency_servers
from tests.latency_servers import RedisServer, SilentEndpoint
from tests.origin import Origin
from tests.storage_fixtures import S3_BUCKET

redis_server = latency_servers.redis_server  # fixtures
silent_endpoint = latency_servers.silent_endpoint
BOUND = 1.5
pytestmark = pytest.mark.parametrize("anyio_backend", ["asyncio"])


async def timed_gets(client: hishel.AsyncCacheClient, url: str, n: int) -> list[float]:
    took = []
    for _ in range(n):
        start = time.monotonic()
        response = await client.get(url)
        took.append(time.monotonic() - start)
        assert (response.status_code, response.content) == (200, b"body")
    print(f"latency: {n} requests, slowest {max(took):.3f} s")  # a figure line (pytest -s)
    return took


@pytest.mark.anyio
async def test_frozen_redis_behind_a_client_without_timeouts(
    redis_server: RedisServer,
    origin: Origin,
    anyio_backend: str,
) -> None:
    origin.route("/r", body=b"body", headers={"Cache-Control": "max-age=600"})
    client = redis.asyncio.Redis(host="127.0.0.1", port=redis_server.port)
    storage = hishel.AsyncRedisStorage(client=client, namespace="lat", timeout=1.0)
    async with hishel.AsyncCacheClient(storage=storage) as http:
        await http.get(origin.url("/r"))
        redis_server.freeze()
        took = await timed_gets(http, origin.url("/r"), 4)
    redis_server.stop()
    assert max(took) < BOUND, took


@pytest.mark.anyio
async def test_silent_s3_behind_a_default_boto3_client(
    silent_endpoint: SilentEndpoint,
    origin: Origin,
    monkeypatch: pytest.MonkeyPatch,
    anyio_backend: str,
) -> None:
    import boto3

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    s3 = boto3.client("s3", endpoint_url=silent_endpoint.url, region_name="us-east-1")
    origin.route("/r", body=b"body", headers={"Cache-Control": "max-age=600"})
    storage = hishel.AsyncS3Storage(bucket_name=S3_BUCKET, client=s3, timeout=1.0)
    async with hishel.AsyncCacheClient(storage=storage) as http:
        took = await timed_gets(http, origin.url("/r"), 4)
    assert max(took) < BOUND, took
