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

import json
import struct
import typing as t
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .._core._messages import EMPTY, URL, BytesBody, Request, Response
from .._core._privacy import safe_request_headers, without_set_cookie
from .._policy._dates import parse_http_date
from ._documents import Models, RequestModel, models_of
from ._serializers import BaseSerializer, Metadata, loaded, stored_text
from ._signing import sign, verify

if t.TYPE_CHECKING:
    from .._policy import StoredHead

__all__ = [
    "Decoded",
    "EntryHead",
    "EntryViews",
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


class EntryViews:
    """What the core derives from an entry head, made the first time it uses the head and
    kept with it: the policy's view of the entry (``stored``) and the fields and
    extensions a hit serves (``served``, ``extensions``; ``served_ascii``: those fields
    are all ASCII), whether its stored request holds
    credential digests to resolve (``digests``). A head a storage holds as a value
    (the in-memory one) is used again without parsing anything again; a head decoded
    from bytes gets its own. Not part of the head's value (never compared, never stored);
    every new head, a changed copy too, starts without them. ``cleaned``: its header
    fields hold none a storage never keeps (Set-Cookie), said by the core when it built
    the head from fields it took those out of, so ``kept`` does not look again."""

    __slots__ = ("cleaned", "digests", "extensions", "served", "served_ascii", "stored")

    def __init__(self) -> None:
        self.stored: StoredHead | None = None  # the policy's view (``_core._adapters``)
        self.served: Headers | None = None  # the header fields a hit serves, less Age
        self.served_ascii = False  # whether those are all ASCII
        self.extensions: dict[str, t.Any] | None = None  # the response extensions it serves
        self.digests: bool | None = None  # whether its request holds credential digests
        self.cleaned = False  # no Set-Cookie among its header fields (``kept``)


class _EntryFields(t.NamedTuple):
    status: int
    headers: Headers
    extensions: t.Mapping[str, t.Any]
    request: Request
    metadata: Metadata
    request_time: float
    response_time: float
    views: EntryViews


class EntryHead(_EntryFields):
    """A stored response without its body, the request it answered, and when.

    ``request_time`` / ``response_time`` are the clock readings of RFC 9111 §4.2.3 for the
    current head (a 304 that freshens it moves them); ``metadata["created_at"]`` is when the
    entry was first stored. ``extensions`` are the stored response extensions
    (``http_version``, ``reason_phrase`` and scalar ``hishel_*`` ones, as 0.1 kept them);
    the clock readings there are rewritten from the fields on encoding. Shared, never
    mutated: ``with_metadata`` makes a changed copy. ``views`` is what the core derives from it
    once (``EntryViews``), a new holder with every head built. A named tuple made in one
    step (a frozen dataclass sets each field through ``object.__setattr__``; one is built
    per store and per 304), compared, hashed and shown as its fields less ``views``.
    """

    __slots__ = ()

    def __new__(
        cls,
        status: int,
        headers: Headers,
        extensions: t.Mapping[str, t.Any],
        request: Request,
        metadata: Metadata,
        request_time: float,
        response_time: float,
    ) -> EntryHead:
        fields = (status, headers, extensions, request, metadata, request_time, response_time)
        return tuple.__new__(cls, (*fields, EntryViews()))

    def __eq__(self, other: object) -> bool:
        return other.__class__ is self.__class__ and self[:7] == other[:7]

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self[:7])

    def __repr__(self) -> str:
        pairs = zip(self._fields[:7], self, strict=False)
        return f"EntryHead({', '.join(f'{name}={value!r}' for name, value in pairs)})"

    def __reduce__(self) -> tuple[t.Any, ...]:
        return EntryHead, tuple(self[:7])

    def _replace(self, **changes: t.Any) -> EntryHead:
        """A changed copy (with views of its own)."""
        pairs = zip(self._fields[:7], self, strict=False)
        return EntryHead(*[changes.pop(name, value) for name, value in pairs], **changes)

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

    def with_metadata(
        self, metadata: Metadata, extensions: t.Mapping[str, t.Any] | None = None
    ) -> EntryHead:
        """A copy with ``metadata`` (and ``extensions``, when given)."""
        return EntryHead(
            self.status,
            self.headers,
            self.extensions if extensions is None else extensions,
            self.request,
            metadata,
            self.request_time,
            self.response_time,
        )


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
    received = ext.get(RESPONSE_TIME)
    if received is None:  # a serializer that keeps no extensions (0.1's, a user's)
        received = _received(response.headers, created.timestamp())
    response_time = float(received)
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


def _received(headers: Headers, created: float) -> float:
    """When a response whose clock readings were not kept was received: when its entry was
    created, or its Date when that is later (a head freshened by a 304 carries the 304's
    Date, RFC 9111 §4.3.4), so a freshened entry reads as fresh in any process."""
    for name, value in headers:
        if name.lower() == b"date":
            date = parse_http_date(value.decode("latin-1"))
            return created if date is None else max(created, float(date))
    return created


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
    return sign(signing_key, key, HEAD_MAGIC + _ENTRY + raw)


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
    headers = head.headers if head.views.cleaned else without_set_cookie(head.headers)
    request = head.request
    if not request.headers:  # (the usual: no Vary, no request field kept)
        return headers, request
    kept = safe_request_headers(request.headers)
    if len(kept) != len(request.headers):
        request = Request(request.method, request.url, kept, EMPTY, dict(request.extensions))
    return headers, request


def _loads(serializer: BaseSerializer, data: bytes) -> tuple[EntryHead, bytes]:
    response, request, metadata, body = loaded(serializer, data)
    return from_models(response, request, metadata), body


def decode(
    serializer: BaseSerializer,
    data: bytes,
    *,
    signing_key: bytes | None = None,
    key: str = "",
) -> Decoded:
    """The typed value of head bytes (or of a whole entry of an earlier version); with a
    ``signing_key``, bytes without a valid tag raise ``BadSignature`` before any parsing."""
    data = verify(signing_key, key, data)
    if data[:4] == HEAD_MAGIC:
        kind, payload = data[4:5], data[5:]
        if kind == _ENTRY:
            return Decoded(_loads(serializer, payload)[0])
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
