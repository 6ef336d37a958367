"""The one codec between storages and the flow: typed entries <-> head bytes.

A stored entry is a typed ``EntryHead`` (the response without its body, the request that
produced it, its ``Metadata`` and the two RFC 9111 §4.2.3 clock readings) or a
``VaryIndex`` (the fields a response varies on and the epoch of its variants). Backends keep
the bytes ``encode`` makes and hand them back; ``decode`` turns them into the typed value.

::

    head := b"\\x93HSH" kind(1) payload
    kind b"E": the serializer's document of (response without body, request, metadata);
               the clock readings ride as the response extensions hishel_request_time /
               hishel_response_time
    kind b"V": JSON {"names": [...], "epoch": "..."}

With a ``signing_key`` the head is ``b"\\x93HSG" tag(32) head``, the tag an HMAC-SHA256 of
the entry's key and head bytes under that key: an entry without a valid tag is refused
before anything is deserialized (``_signing.BadSignature``, a ``ValueError``). What is kept at rest
is filtered here too: ``Set-Cookie`` never, plain Authorization / Proxy-Authorization /
Cookie never (``hishel._core._privacy``).

Bytes that do not start with the magic come from earlier versions: hishel's previous frame
(``b"\\x93HISHEL"``, version 2: head and body in one blob) or a hishel 0.1 serializer document;
both decode to an entry with its body. Anything else raises ``ValueError``; the storage
turns that into a miss, logged once, and removes the entry.
"""

from __future__ import annotations

import contextlib
import json
import struct
import typing as t
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from .._core._messages import EMPTY, URL, BytesBody, Request, Response
from .._core._privacy import safe_request_headers, without_set_cookie
from ._documents import Models, RequestModel, models_of
from ._serializers import BaseSerializer, Metadata, loaded, stored_text
from ._signing import sign, verify

__all__ = [
    "Decoded",
    "EntryHead",
    "VaryIndex",
    "decode",
    "encode",
    "kept",
    "from_models",
    "to_models",
]

HEAD_MAGIC = b"\x93HSH"
_ENTRY = b"E"
_INDEX = b"V"
REQUEST_TIME = "hishel_request_time"
RESPONSE_TIME = "hishel_response_time"
_KEPT_EXTENSIONS = ("http_version", "reason_phrase")
_SCALARS = (str, int, float, bool)

Headers = list[tuple[bytes, bytes]]


class _ResponseModel(t.Protocol):
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Headers: ...
    @property
    def extensions(self) -> t.MutableMapping[str, t.Any]: ...


@dataclass(frozen=True, slots=True)
class EntryHead:
    """A stored response without its body, the request it answered, and when.

    ``request_time`` / ``response_time`` are the clock readings of RFC 9111 §4.2.3 for the
    current head (a 304 that freshens it moves them); ``metadata["created_at"]`` is when the
    entry was first stored. ``extensions`` are the stored response extensions
    (``http_version``, ``reason_phrase`` and scalar ``hishel_*`` ones, as 0.1 kept them);
    the clock readings there are rewritten from the fields on encoding. Shared, never
    mutated: ``replace`` makes a changed copy.
    """

    status: int
    headers: Headers
    extensions: t.Mapping[str, t.Any]
    request: Request
    metadata: Metadata
    request_time: float
    response_time: float

    def response(self, body: t.Any) -> Response:
        """A fresh response over ``body`` (a stream; bytes are held in a ``BytesBody``)."""
        stream = BytesBody(body) if isinstance(body, bytes) else body
        return Response(self.status, list(self.headers), stream, dict(self.extensions))

    def fresh_request(self) -> Request:
        """A fresh copy of the stored request (no body)."""
        request = self.request
        return Request(
            request.method, request.url, list(request.headers), EMPTY, dict(request.extensions)
        )

    def with_metadata(self, metadata: Metadata) -> EntryHead:
        return replace(self, metadata=metadata)


@dataclass(frozen=True, slots=True)
class VaryIndex:
    """Stored under a key whose response varies (RFC 9111 §4.1): the field names and the
    epoch of the variants; a new epoch orphans every variant of the old one."""

    names: tuple[str, ...]
    epoch: str


@dataclass(frozen=True, slots=True)
class Decoded:
    """What ``decode`` found; ``body`` is set for entries of earlier versions, whose head
    bytes hold the body too."""

    head: EntryHead | VaryIndex
    body: bytes | None = None


def from_models(response: _ResponseModel, request: RequestModel, metadata: Metadata) -> EntryHead:
    """The typed head of a (response, request, metadata) triple (the public storage API's
    httpcore models, read through their parts)."""
    ext = response.extensions
    created = metadata["created_at"]
    if created.tzinfo is None:
        created = created.replace(tzinfo=timezone.utc)
    response_time = float(ext.get(RESPONSE_TIME, created.timestamp()))
    request_time = float(ext.get(REQUEST_TIME, response_time))
    extensions = {
        k: v
        for k, v in ext.items()
        if k in _KEPT_EXTENSIONS or (k.startswith("hishel_") and isinstance(v, _SCALARS))
    }
    return EntryHead(
        response.status,
        list(response.headers),
        extensions,
        stored_request(request),
        Metadata(
            cache_key=metadata["cache_key"],
            number_of_uses=metadata["number_of_uses"],
            created_at=created,
        ),
        request_time,
        response_time,
    )


def stored_request(request: RequestModel) -> Request:
    """The core's request of a stored one (no body)."""
    url = request.url
    return Request(
        request.method,
        URL(url.scheme, url.host, url.port, url.target),
        list(request.headers),
        EMPTY,
        dict(request.extensions),
    )


def to_models(head: EntryHead, body: bytes = b"") -> Models:
    """The public API's (response, request, metadata), read; clock readings ride as extensions."""
    extensions = {
        **head.extensions,
        REQUEST_TIME: head.request_time,
        RESPONSE_TIME: head.response_time,
    }
    return models_of(head.status, head.headers, extensions, head.request, head.metadata, body)


def encode(
    serializer: BaseSerializer,
    head: EntryHead | VaryIndex,
    *,
    signing_key: bytes | None = None,
    key: str = "",
    is_kept: bool = False,
) -> bytes:
    """The bytes a backend keeps for ``head`` under ``key`` (signed with ``signing_key``);
    ``is_kept``: ``head`` is a value ``kept`` made already."""
    if isinstance(head, VaryIndex):
        payload = json.dumps({"names": list(head.names), "epoch": head.epoch}).encode()
        return sign(signing_key, key, HEAD_MAGIC + _INDEX + payload)
    value = head if is_kept else kept(head)
    document: str | bytes | None = stored_text(
        serializer, value.status, value.headers, value.extensions, value.request, value.metadata
    )
    if document is None:  # not the built-in JSON or YAML: the serializer's own dumps
        document = serializer.dumps(*to_models(value))
    raw = document if isinstance(document, bytes) else document.encode("utf-8")
    data = sign(signing_key, key, HEAD_MAGIC + _ENTRY + raw)
    _remember(_memo_key(serializer, signing_key, key, data), value)  # read back: no loads
    return data


@t.overload
def kept(head: EntryHead) -> EntryHead: ...
@t.overload
def kept(head: VaryIndex) -> VaryIndex: ...
def kept(head: EntryHead | VaryIndex) -> EntryHead | VaryIndex:
    """What a storage keeps of ``head`` and gives back (``decode(encode(head))`` in this
    process, without the bytes): an in-process backend keeps this value as it is."""
    if isinstance(head, VaryIndex):
        return head
    headers, request = _at_rest(head)
    ext = head.extensions
    if (
        ext.get(REQUEST_TIME) == head.request_time
        and ext.get(RESPONSE_TIME) == head.response_time
        and len(headers) == len(head.headers)
        and request is head.request
    ):
        return head  # kept already: nothing to take out, the clock readings in place
    extensions = {**ext, REQUEST_TIME: head.request_time, RESPONSE_TIME: head.response_time}
    return EntryHead(
        head.status,
        headers,
        extensions,
        request,
        head.metadata,
        head.request_time,
        head.response_time,
    )


def _at_rest(head: EntryHead) -> tuple[Headers, Request]:
    """The headers and request of ``head`` less what is never kept: Set-Cookie, plain
    credentials in the request."""
    headers = without_set_cookie(head.headers)
    request = head.request
    kept = safe_request_headers(request.headers)
    if len(kept) != len(request.headers):
        request = Request(request.method, request.url, kept, EMPTY, dict(request.extensions))
    return headers, request


Memo = tuple[object, ...]
_MEMO: dict[Memo, EntryHead] = {}
_MEMO_LIMIT = 1024


def _memo_key(serializer: BaseSerializer, sk: bytes | None, key: str, data: bytes) -> Memo:
    """Where the value of ``data`` is remembered: a signed head only under its key and key."""
    return (serializer, sk, key if sk is not None else "", data)


def _loads(serializer: BaseSerializer, data: bytes) -> tuple[EntryHead, bytes]:
    response, request, metadata, body = loaded(serializer, data)
    return from_models(response, request, metadata), body


def _remember(memo: Memo, head: EntryHead) -> None:
    """``head`` is the value of bytes this process made, or verified and decoded: a hit reads
    the same bytes again, decoded once (heads are never mutated: sharing is safe)."""
    if len(_MEMO) >= _MEMO_LIMIT:
        _MEMO.clear()
    with contextlib.suppress(TypeError):  # a serializer that cannot be hashed: no memo
        _MEMO[memo] = head


def decode(
    serializer: BaseSerializer,
    data: bytes,
    *,
    signing_key: bytes | None = None,
    key: str = "",
) -> Decoded:
    """The typed value of head bytes (or of a whole entry of an earlier version); with a
    ``signing_key``, bytes without a valid tag raise ``BadSignature`` before any parsing
    (bytes this process made or verified under that key are remembered as their value)."""
    memo = _memo_key(serializer, signing_key, key, data)
    with contextlib.suppress(TypeError):  # (a serializer that cannot be hashed: no memo)
        if (found := _MEMO.get(memo)) is not None:
            return Decoded(found)
    data = verify(signing_key, key, data)
    if data[:4] == HEAD_MAGIC:
        kind, payload = data[4:5], data[5:]
        if kind == _ENTRY:
            head = _loads(serializer, payload)[0]
            _remember(memo, head)
            return Decoded(head)
        if kind == _INDEX:
            try:
                doc = json.loads(payload)
                names = tuple(str(name) for name in doc["names"])
                return Decoded(VaryIndex(names, str(doc["epoch"])))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"unreadable Vary index: {exc}") from exc
        raise ValueError(f"unknown entry kind {kind!r}")
    if data[:7] == _V2_MAGIC:
        return _decode_v2(serializer, data)
    head, body = _loads(serializer, data)  # a hishel 0.1 document
    return Decoded(head, body)


# hishel's previous frame: magic, version 2, number_of_uses, created_at (microseconds),
# stored_at, body length (all ones: to the end), head length; head; body.
_V2_MAGIC = b"\x93HISHEL"
_V2 = struct.Struct(">7sBqqdQI")
_V2_TO_END = (1 << 64) - 1
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _decode_v2(serializer: BaseSerializer, data: bytes) -> Decoded:
    if len(data) < _V2.size:
        raise ValueError("truncated entry frame")
    _, version, uses, micros, _, body_len, head_len = _V2.unpack_from(data)
    if version != 2:
        raise ValueError(f"unsupported entry frame version {version}")
    start = _V2.size + head_len
    body = data[start:]
    if body_len != _V2_TO_END and len(body) != body_len:
        raise ValueError(f"entry body is {len(body)} bytes, its frame says {body_len}")
    head = _loads(serializer, data[_V2.size : start])[0]
    metadata = Metadata(
        cache_key=head.metadata["cache_key"],
        number_of_uses=uses,
        created_at=_EPOCH + timedelta(microseconds=micros),
    )
    return Decoded(head.with_metadata(metadata), body)
