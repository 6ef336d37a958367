"""A serializer written for hishel 0.1 (a ``BaseSerializer`` subclass whose ``dumps`` reads
``response.content``) stores, loads and freshens entries through a client, in every storage
that serializes, sync and async; entries 0.1 wrote with it are freshened by a 304 too."""

from __future__ import annotations

import base64
import email.utils
import json
import logging
import time
import typing as t
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path

import httpcore
import pytest

import hishel
from hishel._utils import generate_key
from tests.origin import Origin
from tests.storage_fixtures import S3_BUCKET

_LATIN = "latin-1"


def _pairs(headers: list[tuple[bytes, bytes]]) -> list[list[str]]:
    return [[k.decode(_LATIN), v.decode(_LATIN)] for k, v in headers]


def _raw(pairs: list[list[str]]) -> list[tuple[bytes, bytes]]:
    return [(k.encode(_LATIN), v.encode(_LATIN)) for k, v in pairs]


class CompactSerializer(hishel.BaseSerializer):
    """What a 0.1 user wrote: its own JSON shape, the body read through ``response.content``."""

    def __init__(self) -> None:
        self.dumped_bodies: list[bytes] = []

    def dumps(
        self, response: httpcore.Response, request: httpcore.Request, metadata: hishel.Metadata
    ) -> str:
        self.dumped_bodies.append(response.content)  # RuntimeError if the body is not read
        return json.dumps(
            {
                "s": response.status,
                "h": _pairs(response.headers),
                "b": base64.b64encode(response.content).decode("ascii"),
                "m": request.method.decode("ascii"),
                "u": bytes(request.url).decode("ascii"),
                "rh": _pairs(request.headers),
                "k": metadata["cache_key"],
                "n": metadata["number_of_uses"],
                "c": metadata["created_at"].timestamp(),
            }
        )

    def loads(
        self, data: str | bytes
    ) -> tuple[httpcore.Response, httpcore.Request, hishel.Metadata]:
        doc = json.loads(data)
        response = httpcore.Response(
            doc["s"], headers=_raw(doc["h"]), content=base64.b64decode(doc["b"])
        )
        request = httpcore.Request(doc["m"], doc["u"], headers=_raw(doc["rh"]))
        created = datetime.fromtimestamp(doc["c"], timezone.utc).replace(tzinfo=None)
        metadata = hishel.Metadata(cache_key=doc["k"], number_of_uses=doc["n"], created_at=created)
        return response, request, metadata

    @property
    def is_binary(self) -> bool:
        return False


StorageFactory = Callable[[CompactSerializer], t.Any]


@pytest.fixture(params=["file", "sqlite", "redis", "s3"])
def make_storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StorageFactory]:
    """A sync storage of each kind that serializes entries, using the given serializer."""
    kind = request.param
    if kind == "file":
        yield lambda s: hishel.FileStorage(serializer=s, base_path=tmp_path / "cache")
    elif kind == "sqlite":
        import sqlite3

        connection = sqlite3.connect(tmp_path / "cache.db", check_same_thread=False)
        yield lambda s: hishel.SQLiteStorage(serializer=s, connection=connection)
        connection.close()
    elif kind == "redis":
        namespace = request.getfixturevalue("redis_namespace")
        yield lambda s: hishel.RedisStorage(serializer=s, namespace=namespace)
    else:
        client = request.getfixturevalue("s3_client")
        prefix = request.getfixturevalue("s3_prefix")
        yield lambda s: hishel.S3Storage(
            serializer=s, bucket_name=S3_BUCKET, client=client, key_prefix=prefix
        )


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_user_serializer_stores_and_serves_from_cache(
    origin: Origin, make_storage: StorageFactory, caplog: pytest.LogCaptureFixture
) -> None:
    origin.route("/a", body=b"hello", headers={"Cache-Control": "max-age=60"})
    serializer = CompactSerializer()
    with hishel.CacheClient(storage=make_storage(serializer)) as client:
        first = client.get(origin.url("/a"))
        second = client.get(origin.url("/a"))
    assert first.extensions["from_cache"] is False
    assert second.extensions["from_cache"] is True
    assert second.content == b"hello"
    assert origin.count("/a") == 1
    assert serializer.dumped_bodies  # the serializer wrote the entry
    assert _warnings(caplog) == []


def test_user_serializer_entry_is_freshened_by_304(
    origin: Origin, make_storage: StorageFactory, caplog: pytest.LogCaptureFixture
) -> None:
    origin.route("/a", body=b"hello", etag="v1", headers={"Cache-Control": "no-cache"})
    serializer = CompactSerializer()
    with hishel.CacheClient(storage=make_storage(serializer)) as client:
        client.get(origin.url("/a"))
        stored = len(serializer.dumped_bodies)
        revalidated = client.get(origin.url("/a"))
        again = client.get(origin.url("/a"))
    assert revalidated.extensions["revalidated"] is True
    assert (revalidated.content, again.content) == (b"hello", b"hello")
    assert again.extensions["revalidated"] is True
    assert origin.answered(304) == 2
    assert len(serializer.dumped_bodies) > stored  # the freshened head went through dumps
    assert _warnings(caplog) == []


def test_entry_written_by_01_with_user_serializer_is_freshened(
    tmp_path: Path, origin: Origin, caplog: pytest.LogCaptureFixture
) -> None:
    """0.1's FileStorage kept the serializer's document as the file named by the key."""
    url = origin.url("/old")
    origin.route("/old", body=b"new body", etag="v1", headers={"Cache-Control": "max-age=60"})
    serializer = CompactSerializer()
    old = time.time() - 3600
    response = httpcore.Response(
        200,
        headers=[
            (b"Cache-Control", b"max-age=10"),
            (b"ETag", b'"v1"'),
            (b"Date", email.utils.formatdate(old, usegmt=True).encode()),
        ],
        content=b"from the 0.1 cache",
    )
    response.read()
    request = httpcore.Request("GET", url)
    key = generate_key(request)
    created = datetime.fromtimestamp(old, timezone.utc)
    metadata = hishel.Metadata(cache_key=key, number_of_uses=1, created_at=created)
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / key).write_text(serializer.dumps(response, request, metadata))

    storage = hishel.FileStorage(serializer=serializer, base_path=folder)
    with hishel.CacheClient(storage=storage) as client:
        freshened = client.get(url)
        fresh = client.get(url)
    assert freshened.extensions["revalidated"] is True
    assert freshened.content == b"from the 0.1 cache"  # a 304: the stored body is kept
    assert fresh.extensions["from_cache"] is True
    assert fresh.content == b"from the 0.1 cache"
    assert origin.answered(304) == 1
    assert origin.count("/old") == 1
    assert _warnings(caplog) == []


@pytest.mark.anyio
async def test_user_serializer_in_async_storage(
    tmp_path: Path, origin: Origin, caplog: pytest.LogCaptureFixture
) -> None:
    origin.route("/a", body=b"hello", etag="v1", headers={"Cache-Control": "no-cache"})
    serializer = CompactSerializer()
    storage = hishel.AsyncFileStorage(serializer=serializer, base_path=tmp_path / "cache")
    async with hishel.AsyncCacheClient(storage=storage) as client:
        await client.get(origin.url("/a"))
        revalidated = await client.get(origin.url("/a"))
    assert revalidated.extensions["revalidated"] is True
    assert revalidated.content == b"hello"
    assert origin.answered(304) == 1
    assert serializer.dumped_bodies
    assert _warnings(caplog) == []


class DictStorage(hishel.BaseStorage):
    """A storage written the 0.1 way: ``store`` hands what it is given to the serializer."""

    def __init__(self, serializer: hishel.BaseSerializer) -> None:
        super().__init__()
        self.serializer = serializer
        self.data: dict[str, str | bytes] = {}

    def store(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: hishel.Metadata | None = None,
    ) -> None:
        assert metadata is not None
        self.data[key] = self.serializer.dumps(response, request, metadata)

    def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, hishel.Metadata] | None:
        found = self.data.get(key)
        return None if found is None else self.serializer.loads(found)

    def remove(self, key: str | httpcore.Response) -> None:
        self.data.pop(key if isinstance(key, str) else "", None)

    def update_metadata(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: hishel.Metadata,
    ) -> None:
        if key in self.data:
            self.store(key, response, request, metadata)


def test_user_storage_with_user_serializer_keeps_varying_responses(
    origin: Origin, caplog: pytest.LogCaptureFixture
) -> None:
    origin.route("/v", body=b"v", vary="Accept", headers={"Cache-Control": "max-age=60"})
    storage = DictStorage(CompactSerializer())
    with hishel.CacheClient(storage=storage) as client:
        client.get(origin.url("/v"), headers={"Accept": "text/plain"})
        hit = client.get(origin.url("/v"), headers={"Accept": "text/plain"})
        other = client.get(origin.url("/v"), headers={"Accept": "text/html"})
    assert hit.extensions["from_cache"] is True
    assert hit.content == b"v"
    assert other.extensions["from_cache"] is False
    assert origin.count("/v") == 2
    assert _warnings(caplog) == []
