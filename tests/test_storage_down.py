"""A storage that is down (nothing listening) costs a logged warning, never the request."""

from __future__ import annotations

import logging
import socket
import typing as t

import boto3
import pytest
import redis
import redis.asyncio
from botocore.config import Config
from redis.backoff import NoBackoff
from redis.retry import Retry

import hishel
from tests.origin import Origin


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again on return: nothing listens


def dead_s3() -> t.Any:
    return boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{closed_port()}",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=1),
    )


def sync_storages() -> list[hishel.BaseStorage]:
    return [
        hishel.RedisStorage(client=redis.Redis(port=closed_port(), retry=Retry(NoBackoff(), 0))),
        hishel.S3Storage(bucket_name="nowhere", client=dead_s3()),
    ]


@pytest.mark.parametrize("index", [0, 1], ids=["redis", "s3"])
def test_sync_request_succeeds_with_storage_down(
    index: int, origin: Origin, caplog: pytest.LogCaptureFixture
) -> None:
    origin.route("/a", body=b"from origin", headers={"Cache-Control": "max-age=600"})
    storage = sync_storages()[index]
    with (
        caplog.at_level(logging.WARNING, logger="hishel"),
        hishel.CacheClient(storage=storage) as client,
    ):
        first = client.get(origin.url("/a"))
        second = client.get(origin.url("/a"))
    assert (first.status_code, first.content) == (200, b"from origin")
    assert (second.content, second.extensions["from_cache"]) == (b"from origin", False)
    assert origin.count("/a") == 2
    warnings = [r.getMessage() for r in caplog.records if r.name == "hishel"]
    assert len(warnings) == 1 and "without the cache" in warnings[0]  # then left alone


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("kind", ["redis", "s3"])
@pytest.mark.anyio
async def test_async_request_succeeds_with_storage_down(
    kind: str, origin: Origin, caplog: pytest.LogCaptureFixture
) -> None:
    origin.route("/a", body=b"from origin", headers={"Cache-Control": "max-age=600"})
    storage: hishel.AsyncBaseStorage
    if kind == "redis":
        client = redis.asyncio.Redis(port=closed_port(), retry=Retry(NoBackoff(), 0))
        storage = hishel.AsyncRedisStorage(client=client)
    else:
        storage = hishel.AsyncS3Storage(bucket_name="nowhere", client=dead_s3())
    with caplog.at_level(logging.WARNING, logger="hishel"):
        async with hishel.AsyncCacheClient(storage=storage) as http:
            first = await http.get(origin.url("/a"))
    assert (first.status_code, first.content) == (200, b"from origin")
    assert any(record.name == "hishel" for record in caplog.records)


def test_bad_storage_arguments_still_fail_fast() -> None:
    with pytest.raises((TypeError, ValueError)):
        hishel.S3Storage(bucket_name=123)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ttl"):
        hishel.RedisStorage(client=redis.Redis(), ttl=-1)
    with pytest.raises(ValueError, match="capacity"):
        hishel.InMemoryStorage(capacity=0)
