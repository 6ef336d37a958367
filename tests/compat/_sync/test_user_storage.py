# GENERATED from the async source by scripts/unasync.py; do not edit.
"""A storage written the 0.1 way (subclass the base, override the public methods) keeps
working under the flow: misses store, hits are served, Vary, 304s and counted uses."""

from __future__ import annotations

import httpcore
import pytest

import hishel
from hishel._storage._serializers import JSONSerializer, Metadata
from tests.origin import Origin
from tests.storage_fixtures import FakeClock


class DictStorage(hishel.BaseStorage):
    """Entries serialized into a dict, through the public methods only."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str | bytes] = {}
        self.calls: list[str] = []
        self.serializer = JSONSerializer()

    def store(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata | None = None,
    ) -> None:
        self.calls.append("store")
        response.read()
        if metadata is None:
            raise AssertionError("the flow always passes metadata")
        self.data[key] = self.serializer.dumps(response, request, metadata)

    def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None:
        self.calls.append("retrieve")
        found = self.data.get(key)
        return None if found is None else self.serializer.loads(found)

    def remove(self, key: str | httpcore.Response) -> None:
        self.calls.append("remove")
        self.data.pop(key if isinstance(key, str) else "", None)

    def update_metadata(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> None:
        self.calls.append("update_metadata")
        if key in self.data:
            self.store(key, response, request, metadata)


def test_a_01_style_storage_caches_through_its_public_methods(origin: Origin) -> None:
    origin.route("/a", body=b"hello", headers={"Cache-Control": "max-age=60"})
    storage = DictStorage()
    with hishel.CacheClient(storage=storage) as client:
        first = client.get(origin.url("/a"))
        second = client.get(origin.url("/a"))
    assert not first.extensions["from_cache"]
    assert second.extensions["from_cache"] and second.content == b"hello"
    assert origin.count("/a") == 1
    assert "store" in storage.calls and "retrieve" in storage.calls
    assert "update_metadata" in storage.calls  # the counted use, written back on close
    (document,) = storage.data.values()
    loaded = storage.serializer.loads(document)
    assert loaded[2]["number_of_uses"] == 1


def test_a_01_style_storage_keeps_variants_and_revalidates(origin: Origin) -> None:
    clock = FakeClock()
    origin.route("/v", body=b"v", etag="e1", vary="Accept", headers={"Cache-Control": "max-age=10"})
    storage = DictStorage()
    controller = hishel.Controller(clock=clock)
    with hishel.CacheClient(storage=storage, controller=controller) as client:
        for accept in ("text/html", "application/json", "text/html"):
            client.get(origin.url("/v"), headers={"Accept": accept})
        assert origin.count("/v") == 2  # one per variant; the third was a hit
        clock.advance(20)
        stale = client.get(origin.url("/v"), headers={"Accept": "text/html"})
    assert stale.extensions["revalidated"] and stale.content == b"v"
    assert origin.last_request("/v").headers["If-None-Match"] == '"e1"'
    assert len(storage.data) == 3  # the Vary index and two variants


def test_a_storage_that_overrides_nothing_says_what_to_implement() -> None:
    storage = hishel.BaseStorage()
    with pytest.raises(NotImplementedError, match="store, retrieve"):
        storage.retrieve("key")


def test_a_01_style_storage_keeps_cookie_variants_without_the_cookie(
    origin: Origin,
) -> None:
    origin.route("/c", body=b"c", vary="Cookie", headers={"Cache-Control": "max-age=60"})
    storage = DictStorage()
    with hishel.CacheClient(storage=storage) as client:
        for cookie in ("session=alpha", "session=beta", "session=alpha"):
            client.cookies.clear()
            client.get(origin.url("/c"), headers={"Cookie": cookie})
    assert origin.count("/c") == 2  # one per cookie; the third was a hit
    assert len(storage.data) == 3  # the Vary index and two variants
    documents = [d if isinstance(d, bytes) else d.encode() for d in storage.data.values()]
    assert not any(b"alpha" in d or b"beta" in d for d in documents)  # digests only


class CountingMemoryStorage(hishel.InMemoryStorage):
    """A built-in storage with one public method overridden, the 0.1 way."""

    retrieved = 0

    def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None:
        self.retrieved += 1
        return super().retrieve(key)


def test_an_overridden_public_method_of_a_built_in_storage_is_called(
    origin: Origin,
) -> None:
    origin.route("/o", body=b"o", headers={"Cache-Control": "max-age=60"})
    storage = CountingMemoryStorage()
    with hishel.CacheClient(storage=storage) as client:
        client.get(origin.url("/o"))
        second = client.get(origin.url("/o"))
    assert second.extensions["from_cache"] and second.content == b"o"
    assert storage.retrieved >= 2  # the flow read through the override, miss and hit
