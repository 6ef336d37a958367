"""The codec (typed entries <-> head bytes) and the record layout of the blob backends."""

from __future__ import annotations

import json
import struct
from datetime import datetime, timedelta, timezone

import httpcore
import pytest

from hishel._core._messages import URL, Request
from hishel._storage._codec import (
    EntryHead,
    VaryIndex,
    decode,
    encode,
    from_models,
    kept,
    to_models,
)
from hishel._storage._documents import to_document
from hishel._storage._layout import (
    FIXED,
    Record,
    legacy_record,
    new_version,
    pack,
    unpack,
    version_of,
)
from hishel._storage._serializers import (
    BaseSerializer,
    JSONSerializer,
    Metadata,
    PickleSerializer,
    YAMLSerializer,
    json_text,
)
from tests.storage_fixtures import LEGACY_JSON

CREATED = datetime(2024, 10, 21, 10, 0, 0, 123456, tzinfo=timezone.utc)
SERIALIZERS = [JSONSerializer, YAMLSerializer, PickleSerializer]


def head(**changes: object) -> EntryHead:
    request = Request(
        b"GET", URL.parse("https://example.com/path?q=1"), [(b"Accept", b"text/html")]
    )
    value = EntryHead(
        status=200,
        headers=[(b"Content-Type", b"text/plain"), (b"ETag", b'"v1"')],
        extensions={"http_version": b"HTTP/1.1", "reason_phrase": b"OK"},
        request=request,
        metadata=Metadata(cache_key="k" * 32, number_of_uses=2, created_at=CREATED),
        request_time=1729504800.25,
        response_time=1729504800.5,
    )
    return value._replace(**changes)


@pytest.mark.parametrize("serializer_class", SERIALIZERS)
def test_entry_head_round_trip(serializer_class: type[BaseSerializer]) -> None:
    serializer = serializer_class()
    decoded = decode(serializer, encode(serializer, head()))
    assert decoded.body is None
    got = decoded.head
    assert isinstance(got, EntryHead)
    assert got.status == 200
    assert got.headers == head().headers
    assert got.request.url == head().request.url
    assert got.request.headers == head().request.headers
    assert got.metadata == head().metadata
    assert (got.request_time, got.response_time) == (1729504800.25, 1729504800.5)
    assert got.extensions["http_version"] == b"HTTP/1.1"


def test_the_clock_readings_are_the_fields_not_stale_extensions() -> None:
    serializer = JSONSerializer()
    first = decode(serializer, encode(serializer, head())).head
    assert isinstance(first, EntryHead)

    moved = first._replace(request_time=2000.0, response_time=2001.0)  # freshened by a 304
    again = decode(serializer, encode(serializer, moved)).head
    assert isinstance(again, EntryHead)
    assert (again.request_time, again.response_time) == (2000.0, 2001.0)


def test_vary_index_is_a_typed_record() -> None:
    serializer = JSONSerializer()
    data = encode(serializer, VaryIndex(("accept", "accept-language"), "abc123"))
    assert decode(serializer, data).head == VaryIndex(("accept", "accept-language"), "abc123")
    assert b"200" not in data  # not a stored fake response


@pytest.mark.parametrize(
    "data",
    [b"\x93HSHX{}", b"\x93HSHV{not json", b"\x93HSHV{}", b"\x93HSHE{}", b"", b"garbage"],
)
def test_undecodable_heads_raise_value_error(data: bytes) -> None:
    with pytest.raises(ValueError):
        decode(JSONSerializer(), data)


def test_models_round_trip_keeps_the_clock_readings() -> None:
    response, request, metadata = to_models(head(), b"body")
    assert response.extensions["hishel_request_time"] == 1729504800.25
    back = from_models(response, request, metadata)
    assert (back.request_time, back.response_time) == (1729504800.25, 1729504800.5)


def test_models_without_clock_readings_use_created_at() -> None:
    naive = CREATED.replace(tzinfo=None)  # 0.1's serializers load naive UTC datetimes
    metadata = Metadata(cache_key="k", number_of_uses=0, created_at=naive)
    got = from_models(httpcore.Response(200), httpcore.Request("GET", "https://a/"), metadata)
    assert got.response_time == got.request_time == CREATED.timestamp()


def test_hishel_01_document_decodes_with_its_body() -> None:
    decoded = decode(JSONSerializer(), LEGACY_JSON.encode())
    assert decoded.body == b"legacy body"
    assert isinstance(decoded.head, EntryHead)
    assert decoded.head.metadata["number_of_uses"] == 3


def v2_frame(
    document: bytes, body: bytes, *, version: int = 2, body_len: int | None = None
) -> bytes:
    """hishel's previous frame, built from its documented layout."""
    micros = (CREATED - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(microseconds=1)
    fixed = struct.pack(
        ">7sBqqdQI",
        b"\x93HISHEL",
        version,
        9,
        micros,
        1234.5,
        len(body) if body_len is None else body_len,
        len(document),
    )
    return fixed + document + body


def test_previous_frame_decodes_with_its_body_and_slot() -> None:
    doc = json.loads(LEGACY_JSON)
    doc["response"]["content"] = ""
    document = json.dumps(doc).encode()
    decoded = decode(JSONSerializer(), v2_frame(document, b"raw body"))
    assert decoded.body == b"raw body"
    assert isinstance(decoded.head, EntryHead)
    assert decoded.head.metadata["number_of_uses"] == 9  # the frame's slot wins
    assert decoded.head.metadata["created_at"] == CREATED
    to_end = decode(JSONSerializer(), v2_frame(document, b"rest", body_len=(1 << 64) - 1))
    assert to_end.body == b"rest"
    with pytest.raises(ValueError):
        decode(JSONSerializer(), v2_frame(document, b"raw body", version=3))
    with pytest.raises(ValueError):
        decode(JSONSerializer(), v2_frame(document, b"raw body")[:-2])
    assert legacy_record(v2_frame(document, b""), 0.0).stored_at == 1234.5


def test_record_layout_inline_and_blob() -> None:
    version = new_version()
    inline = pack(b"HEAD", 10.5, version, b"body", 4)
    unpacked = unpack(inline)
    assert unpacked.record == Record(b"HEAD", 10.5, 4, version)
    assert unpacked.inline == b"body"
    assert version_of(inline[:FIXED]) == version
    blob = unpack(pack(b"HEAD", 10.5, version, None, 1 << 40))
    assert blob.inline is None and blob.record.size == 1 << 40
    with pytest.raises(ValueError):
        unpack(inline[:-1])  # a truncated inline body
    with pytest.raises(ValueError):
        unpack(inline[: FIXED + 2])  # a truncated head
    older = unpack(b"{}", fallback_stored_at=7.0)
    assert older.record == Record(b"{}", 7.0, 0, "")
    assert version_of(b"garbage") == ""


@pytest.mark.parametrize("serializer_class", SERIALIZERS)
@pytest.mark.parametrize("signing_key", [None, b"k" * 32])
def test_a_kept_value_encodes_as_its_head_and_the_json_fast_path_as_the_current_layout(
    serializer_class: type[BaseSerializer], signing_key: bytes | None
) -> None:
    # The storages encode the value ``kept`` made (is_kept: not filtered twice), and the
    # default JSON head is built from the parts: both give the bytes the slow way gives.
    serializer = serializer_class()
    secret = head(
        headers=[(b"Content-Type", b"text/plain"), (b"Set-Cookie", b"id=1")],
        request=Request(
            b"GET", URL.parse("https://example.com/p?q=1"), [(b"Authorization", b"Bearer x")]
        ),
    )
    for value in (head(), secret):
        expected = encode(serializer, value, signing_key=signing_key, key="k")
        again = encode(serializer, kept(value), signing_key=signing_key, key="k", is_kept=True)
        if serializer_class is not PickleSerializer:  # (pickle bytes may differ in memo ids)
            assert again == expected
        got = decode(serializer, again, signing_key=signing_key, key="k").head
        assert isinstance(got, EntryHead)
        assert all(name.lower() != b"set-cookie" for name, _ in got.headers)
        assert all(name.lower() != b"authorization" for name, _ in got.request.headers)
    if serializer_class is JSONSerializer:  # the current layout (dumps writes 0.1's)
        body = encode(serializer, head())[5:]  # less the frame's magic and kind
        document = to_document(*to_models(kept(head())), content="")
        assert body == json_text(document).encode("utf-8")


def test_signed_heads_are_bound_to_their_signing_key_and_key() -> None:
    # Every decode verifies (the codec remembers nothing): a signed head is refused under
    # another key or another signing key, and an unsigned one by a storage that signs.
    from hishel._storage._signing import BadSignature

    serializer = JSONSerializer()
    signed = encode(serializer, head(), signing_key=b"k" * 32, key="a")
    assert isinstance(decode(serializer, signed, signing_key=b"k" * 32, key="a").head, EntryHead)
    with pytest.raises(BadSignature):
        decode(serializer, signed, signing_key=b"k" * 32, key="b")  # moved to another key
    with pytest.raises(BadSignature):
        decode(serializer, signed, signing_key=b"j" * 32, key="a")  # another storage's key
    plain = encode(serializer, head(), key="a")
    assert isinstance(decode(serializer, plain).head, EntryHead)
    with pytest.raises(BadSignature):
        decode(serializer, plain, signing_key=b"k" * 32, key="a")
