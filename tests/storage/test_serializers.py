"""Serializers and LFUCache."""

from __future__ import annotations

import json
import pickle
import pickletools
import sys
import typing as t
from datetime import datetime, timezone

import httpcore
import pytest

from hishel._core._lfu import LFUCache
from hishel._storage._codec import encode, from_models
from hishel._storage._serializers import (
    BaseSerializer,
    JSONSerializer,
    Metadata,
    PickleSerializer,
    YAMLSerializer,
    clone_model,
)
from tests.storage_fixtures import LEGACY_JSON

CREATED = datetime(2024, 10, 21, 10, 0, 0, 123456, tzinfo=timezone.utc)
SERIALIZERS = [JSONSerializer, YAMLSerializer, PickleSerializer]


def make_entry(
    body: bytes = b"hello world",
) -> tuple[httpcore.Response, httpcore.Request, Metadata]:
    response = httpcore.Response(
        200,
        headers=[(b"Content-Type", b"text/plain"), (b"X-Latin", "caf\u00e9".encode("latin-1"))],
        content=body,
        extensions={
            "http_version": b"HTTP/1.1",
            "reason_phrase": b"OK",
            "hishel_request_time": 1729504800.25,
            "hishel_response_time": 1729504800.5,
            "hishel_vary": "accept-encoding",
            "hishel_count": 7,
            "hishel_flag": True,
            "network_stream": object(),  # not storable: dropped
        },
    )
    request = httpcore.Request(
        "GET",
        "https://example.com/path?q=1",
        headers=[(b"Host", b"example.com")],
        extensions={"timeout": {"connect": 5.0, "read": None}, "trace": print},
    )
    metadata = Metadata(cache_key="k" * 32, number_of_uses=2, created_at=CREATED)
    return response, request, metadata


def assert_same_entry(
    loaded: tuple[httpcore.Response, httpcore.Request, Metadata],
    expected: tuple[httpcore.Response, httpcore.Request, Metadata],
) -> None:
    response, request, metadata = loaded
    want_response, want_request, want_metadata = expected
    assert response.status == want_response.status
    assert response.headers == want_response.headers
    assert response.read() == want_response.read()
    stored = {k: v for k, v in want_response.extensions.items() if k != "network_stream"}
    assert response.extensions == stored
    assert isinstance(response.extensions["hishel_request_time"], float)
    assert request.method == want_request.method
    assert request.url == want_request.url
    assert request.headers == want_request.headers
    assert request.extensions == {"timeout": {"connect": 5.0, "read": None}}
    # created_at: naive UTC from a serializer's loads (0.1), UTC-aware from a frame
    created_at = metadata["created_at"]
    utc = created_at.replace(tzinfo=timezone.utc) if created_at.tzinfo is None else created_at
    assert {**metadata, "created_at": utc} == want_metadata


@pytest.mark.parametrize("serializer_class", SERIALIZERS)
def test_round_trip(serializer_class: type[BaseSerializer]) -> None:
    serializer = serializer_class()
    entry = make_entry()
    data = serializer.dumps(*entry)
    assert isinstance(data, bytes) == serializer.is_binary
    loaded = serializer.loads(data)
    assert loaded[2]["created_at"].tzinfo is None  # API.md: naive UTC when loaded (0.1)
    assert_same_entry(loaded, entry)


@pytest.mark.parametrize("serializer_class", SERIALIZERS)
def test_stored_documents_carry_a_version_marker(serializer_class: type[BaseSerializer]) -> None:
    serializer = serializer_class()
    response, request, metadata = make_entry()
    head = encode(serializer, from_models(response, request, metadata))
    stored = head[5:]  # less the codec frame's magic and kind
    if serializer_class is JSONSerializer:
        assert json.loads(stored)["version"] == 2
    elif serializer_class is PickleSerializer:
        assert pickle.loads(stored)["version"] == 2
        # plain values only: no stored entry names a class, so none depends on a module path
        opcodes = {op.name for op, _, _ in pickletools.genops(stored)}
        assert not opcodes & {"GLOBAL", "STACK_GLOBAL", "INST", "OBJ", "REDUCE"}
    else:
        assert b"version: 2" in stored


@pytest.mark.parametrize("serializer_class", [JSONSerializer, YAMLSerializer])
def test_dumps_writes_the_01_layout_with_what_01_had_no_field_for(
    serializer_class: type[BaseSerializer],
) -> None:
    # 0.1 code calling dumps gets 0.1's document; the extras are keys 0.1's loads skips.
    data = serializer_class().dumps(*make_entry())
    doc = json.loads(data) if serializer_class is JSONSerializer else yaml_load(data)
    assert list(doc) == ["response", "request", "metadata"]  # no version marker
    assert doc["metadata"]["created_at"] == "Mon, 21 Oct 2024 10:00:00 GMT"
    assert doc["metadata"]["created_at_microsecond"] == 123456
    assert doc["response"]["extensions"]["reason_phrase"] == "OK"
    assert doc["response"]["extensions"]["hishel_response_time"] == 1729504800.5
    if serializer_class is JSONSerializer:
        assert str(data).startswith('{\n    "response": {')  # 0.1's indented JSON


def yaml_load(data: str | bytes) -> t.Any:
    import yaml

    return yaml.safe_load(data)


@pytest.mark.parametrize("serializer_class", SERIALIZERS)
@pytest.mark.parametrize(
    "garbage", [b"", b"\x00\xff garbage", b"[1, 2, 3]", b"{}", b'{"version": 99}', b"- a\n- b\n"]
)
def test_garbage_raises(serializer_class: type[BaseSerializer], garbage: bytes) -> None:
    with pytest.raises(ValueError):
        serializer_class().loads(garbage)


@pytest.mark.parametrize("serializer_class", [JSONSerializer, YAMLSerializer])
def test_legacy_json_layout_loads(serializer_class: type[BaseSerializer]) -> None:
    # YAML is a superset of JSON, and 0.1's YAML layout is the same document.
    response, request, metadata = serializer_class().loads(LEGACY_JSON)
    assert response.status == 200
    assert response.read() == b"legacy body"
    assert response.headers[1] == (b"X-Latin", b"caf\xe9")
    assert response.extensions == {"http_version": b"HTTP/1.1", "reason_phrase": b"OK"}
    assert request.method == b"GET"
    assert request.url == httpcore.URL("https://example.com/path?q=1")
    assert request.extensions["timeout"]["connect"] == 5.0
    assert metadata == Metadata(
        cache_key="0123456789abcdef0123456789abcdef",
        number_of_uses=3,
        created_at=datetime(2024, 10, 21, 10, 0, 0),  # naive UTC, as 0.1 loaded it
    )


def test_legacy_pickle_loads() -> None:
    # 0.1 pickled the cloned models themselves.
    response, request, metadata = make_entry()
    response.read()
    legacy = pickle.dumps((clone_model(response), clone_model(request), metadata))
    loaded = PickleSerializer().loads(legacy)
    assert loaded[0].read() == b"hello world"
    assert loaded[2] == {**metadata, "created_at": CREATED.replace(tzinfo=None)}


def test_pickle_docstring_warns() -> None:
    assert "runs code" in (PickleSerializer.__doc__ or "")


def test_yaml_missing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "yaml", None)
    with pytest.raises(ImportError, match=r"pip install hishel\[yaml\]"):
        YAMLSerializer()


def test_clone_model() -> None:
    response, request, _ = make_entry()
    clone = clone_model(response)
    assert clone.read() == b"hello world"
    assert "network_stream" not in clone.extensions
    assert clone.extensions["hishel_vary"] == "accept-encoding"
    cloned_request = clone_model(request)
    assert cloned_request.extensions == {"timeout": {"connect": 5.0, "read": None}}
    assert cloned_request.url == request.url


def test_clone_model_needs_a_read_body() -> None:
    async def chunks() -> t.AsyncIterator[bytes]:
        yield b"x"

    streaming = httpcore.Response(200, content=chunks())
    with pytest.raises(RuntimeError):
        clone_model(streaming)


def test_lfu_cache() -> None:
    cache: LFUCache[str, int] = LFUCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a: 2 uses, b: 1
    cache.put("c", 3)  # evicts b, the least frequently used
    with pytest.raises(KeyError):
        cache.get("b")
    assert cache.get("c") == 3
    assert cache.get("a") == 1
    cache.remove_key("a")
    cache.remove_key("a")  # absent: nothing happens
    with pytest.raises(KeyError):
        cache.get("a")
    cache.put("d", 4)
    cache.put("e", 5)  # c has 2 uses, d has 1: d goes
    assert "d" not in cache and "c" in cache and "e" in cache
    with pytest.raises(ValueError):
        LFUCache(0)
