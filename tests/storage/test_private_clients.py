"""A client passed to a Redis or S3 storage is left as it is; the storage calls through a
private client made from it: the same server and credentials, timeouts of at most the
storage's ``timeout``, no retries, closed with the storage. (Their effect under a frozen or
killed server is tests/storage/_async/test_storage_bounds.py.)"""

from __future__ import annotations

import typing as t
import uuid

import boto3
import botocore.config
import pytest
import redis
import redis.asyncio
import redis.asyncio.cluster

import hishel
from hishel._storage._redis._async._bound import bounded_client


def calls_client(storage: t.Any) -> t.Any:
    """The client a Redis storage sends its commands through (made at the first call)."""
    return storage._backend._calls._calls_client()


def settings(client: t.Any) -> dict[str, t.Any]:
    return dict(client.connection_pool.connection_kwargs)


@pytest.mark.parametrize("module", [redis, redis.asyncio], ids=["sync", "async"])
def test_a_passed_redis_client_is_left_as_it_is_and_the_calls_are_bounded(module: t.Any) -> None:
    given = module.Redis(
        host="127.0.0.1",
        port=6390,
        db=3,
        username="app",
        password="hunter2",
        socket_timeout=5.0,
        ssl=True,
        ssl_ca_certs="/etc/ssl/ca.pem",
    )
    before, retries = settings(given), given.get_retry().get_retries()
    storage = (hishel.RedisStorage if module is redis else hishel.AsyncRedisStorage)(
        client=given, timeout=0.5
    )
    private = calls_client(storage)
    assert private is not given and private.connection_pool is not given.connection_pool
    assert type(private) is type(given)  # the same flavour: sync or asyncio
    kept = settings(private)
    assert (kept["host"], kept["port"], kept["db"]) == ("127.0.0.1", 6390, 3)
    assert (kept["username"], kept["password"]) == ("app", "hunter2")
    assert private.connection_pool.connection_class is given.connection_pool.connection_class
    assert kept["ssl_ca_certs"] == "/etc/ssl/ca.pem"
    assert (kept["socket_timeout"], kept["socket_connect_timeout"]) == (0.5, 0.5)
    assert private.get_retry().get_retries() == 0
    assert settings(given) == before and given.get_retry().get_retries() == retries
    assert retries > 0  # redis-py retries by default: the reason the calls do not use it


def test_shorter_timeouts_and_unix_sockets_are_kept() -> None:
    given = redis.Redis(unix_socket_path="/tmp/redis.sock", socket_timeout=0.25)
    private = calls_client(hishel.RedisStorage(client=given, timeout=1.0))
    assert private.connection_pool.connection_class is redis.UnixDomainSocketConnection
    assert (settings(private)["path"], settings(private)["socket_timeout"]) == (
        "/tmp/redis.sock",
        0.25,
    )


def test_no_timeout_uses_the_passed_client_as_it_is() -> None:
    given = redis.Redis(host="127.0.0.1", port=6390)
    assert calls_client(hishel.RedisStorage(client=given, timeout=None)) is given
    s3 = boto3.client(
        "s3", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    storage = hishel.S3Storage(bucket_name="b", client=s3, timeout=None)
    assert storage._backend._client is s3


def test_a_private_cluster_client_keeps_the_nodes_and_is_bounded() -> None:
    given = redis.asyncio.cluster.RedisCluster(
        host="127.0.0.1", port=7000, password="hunter2", socket_timeout=3.0
    )
    private = bounded_client(given, 0.5)  # an asyncio cluster client connects at its first call
    assert isinstance(private, redis.asyncio.cluster.RedisCluster) and private is not given
    assert list(private.nodes_manager.startup_nodes) == ["127.0.0.1:7000"]
    kept = private.nodes_manager.connection_kwargs
    assert (kept["socket_timeout"], kept["socket_connect_timeout"], kept["password"]) == (
        0.5,
        0.5,
        "hunter2",
    )
    assert private.retry.get_retries() == 0
    assert given.nodes_manager.connection_kwargs["socket_timeout"] == 3.0


def clients_named(name: str) -> int:
    """Connections to the machine's Redis whose client name is ``name``."""
    admin = redis.Redis(host="127.0.0.1", port=6379)
    try:
        return sum(1 for client in admin.client_list() if client.get("name") == name)
    finally:
        admin.close()


def test_the_private_client_is_closed_with_the_storage_and_the_passed_one_left_open(
    redis_namespace: str,
) -> None:
    name = f"hishel-test-{uuid.uuid4().hex[:12]}"
    given = redis.Redis(host="127.0.0.1", port=6379, client_name=name)
    given.ping()
    storage = hishel.RedisStorage(client=given, namespace=redis_namespace)
    assert storage.stats().entries == 0  # a call through the private client
    assert clients_named(name) == 2
    storage.close()
    assert clients_named(name) == 1
    assert given.ping() is True
    given.close()


def test_a_passed_s3_client_is_left_as_it_is_and_the_calls_are_bounded() -> None:
    config = botocore.config.Config(s3={"addressing_style": "path"}, user_agent_extra="app/1")
    given = boto3.client(
        "s3",
        endpoint_url="http://127.0.0.1:9000",
        region_name="eu-west-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=config,
        verify=False,
    )
    before = (given.meta.config.connect_timeout, given.meta.config.retries)
    storage = hishel.S3Storage(bucket_name="b", client=given, timeout=0.5)
    private = storage._backend._client
    assert private is not given
    assert (private.meta.endpoint_url, private.meta.region_name) == (
        "http://127.0.0.1:9000",
        "eu-west-1",
    )
    assert private.meta.config.s3 == {"addressing_style": "path"}
    assert private.meta.config.user_agent_extra == "app/1"
    assert private._request_signer._credentials is given._request_signer._credentials
    assert private._endpoint.http_session._verify is False
    assert (private.meta.config.connect_timeout, private.meta.config.read_timeout) == (0.5, 0.5)
    assert private.meta.config.retries["total_max_attempts"] == 1
    assert (given.meta.config.connect_timeout, given.meta.config.retries) == before


def test_a_private_s3_client_keeps_the_default_aws_endpoint() -> None:
    given = boto3.client(
        "s3", region_name="eu-west-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    private = hishel.S3Storage(bucket_name="b", client=given)._backend._client
    assert private.meta.endpoint_url == given.meta.endpoint_url
    assert private.meta.config.read_timeout == 1.0
