"""The entry frame every storage writes: a small binary prefix, the head, then the raw body.

::

    offset  size
    0       7     magic b"\\x93HISHEL" (0x93 can start neither UTF-8 text nor a pickle)
    7       1     frame version (FRAME_VERSION = 2)
    8       8     number_of_uses, signed big-endian    } the metadata slot: rewritten in place,
    16      8     created_at, microseconds since epoch } or kept apart by the backend (META)
    24      8     stored_at, epoch seconds (float64) from the storage clock, for ttl
    32      8     body length (patched at commit when the body was streamed; BODY_TO_END, all
                  ones, when the store cannot patch: the body runs to the end of the entry)
    40      4     head length
    44      ...   head: the storage serializer's document for the response without its body
    44+head ...   body: raw bytes, no base64

Data that does not start with the magic goes to the serializer's ``loads`` (hishel 0.1
entries). Anything that cannot be decoded raises ``ValueError``; storages treat it as a miss.
"""

from __future__ import annotations

import struct
import typing as t
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

import httpcore

from ._models import BytesBody, make_request, make_response
from ._serializers import BaseSerializer, Metadata, response_body

__all__ = [
    "BODY_LEN",
    "BODY_TO_END",
    "CHUNK_SIZE",
    "BODY_LEN_OFFSET",
    "FIXED_SIZE",
    "FRAME_VERSION",
    "MAGIC",
    "META",
    "META_OFFSET",
    "Entry",
    "Head",
    "Opened",
    "apply_meta",
    "decode_entry",
    "decode_head",
    "encode_entry",
    "encode_head",
    "encode_meta",
    "head_size",
    "is_framed",
    "open_entry",
    "with_body",
]

MAGIC = b"\x93HISHEL"
FRAME_VERSION = 2
_FIXED = struct.Struct(">7sBqqdQI")
FIXED_SIZE = _FIXED.size
META = struct.Struct(">qq")
META_OFFSET = 8
BODY_LEN = struct.Struct(">Q")
BODY_LEN_OFFSET = 32
BODY_TO_END = (1 << 64) - 1
CHUNK_SIZE = 64 * 1024
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)


def _micros(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return (value - _EPOCH) // _MICROSECOND


def encode_meta(metadata: Metadata) -> bytes:
    """The 16-byte metadata slot: number_of_uses and created_at."""
    return META.pack(metadata["number_of_uses"], _micros(metadata["created_at"]))


def apply_meta(metadata: Metadata, meta: bytes) -> Metadata:
    """``metadata`` with number_of_uses and created_at taken from a metadata slot."""
    uses, micros = META.unpack(meta)
    return Metadata(
        cache_key=metadata["cache_key"],
        number_of_uses=uses,
        created_at=_EPOCH + timedelta(microseconds=micros),
    )


def with_body(
    response: httpcore.Response,
    content: bytes | t.Iterable[bytes] | t.AsyncIterable[bytes],
) -> httpcore.Response:
    """A response with the same status, headers and extensions and another body."""
    return httpcore.Response(
        status=response.status,
        headers=response.headers,
        content=content,
        extensions=dict(response.extensions),
    )


def encode_head(
    serializer: BaseSerializer,
    response: httpcore.Response,
    request: httpcore.Request,
    metadata: Metadata,
    *,
    stored_at: float,
    body_len: int = 0,
) -> bytes:
    """Everything up to the body; ``response``'s own body is ignored.

    A writer that streams the body writes ``body_len=0`` and patches ``BODY_LEN`` at
    ``BODY_LEN_OFFSET`` once the body is complete.
    """
    document = serializer.dumps(with_body(response, b""), request, metadata)
    head = document if isinstance(document, bytes) else document.encode("utf-8")
    fixed = _FIXED.pack(
        MAGIC,
        FRAME_VERSION,
        metadata["number_of_uses"],
        _micros(metadata["created_at"]),
        stored_at,
        body_len,
        len(head),
    )
    return fixed + head


def encode_entry(
    serializer: BaseSerializer,
    response: httpcore.Response,
    request: httpcore.Request,
    metadata: Metadata,
    *,
    stored_at: float,
) -> bytes:
    """A whole frame; ``response``'s body must have been read."""
    body = response_body(response)
    head = encode_head(
        serializer, response, request, metadata, stored_at=stored_at, body_len=len(body)
    )
    return head + body


def is_framed(prefix: bytes) -> bool:
    """Whether ``prefix`` starts a frame (else it is a serializer document, e.g. 0.1's)."""
    return prefix[: len(MAGIC)] == MAGIC


def head_size(prefix: bytes) -> int:
    """Bytes before the body, from at least ``FIXED_SIZE`` bytes of a frame."""
    if len(prefix) < FIXED_SIZE or not is_framed(prefix):
        raise ValueError("not a hishel entry frame (bad magic or truncated)")
    version = prefix[len(MAGIC)]
    if version != FRAME_VERSION:
        raise ValueError(f"unsupported entry frame version {version}")
    return FIXED_SIZE + int(_FIXED.unpack_from(prefix)[-1])


@dataclass(frozen=True, slots=True)
class Head:
    """A decoded frame head: ``response`` has no body; the body is ``body_len`` bytes at
    ``body_offset``."""

    response: httpcore.Response
    request: httpcore.Request
    metadata: Metadata
    stored_at: float
    body_offset: int
    body_len: int

    @property
    def size(self) -> int:
        """The length of the whole entry."""
        return self.body_offset + self.body_len


def _loads(
    serializer: BaseSerializer, data: bytes
) -> tuple[httpcore.Response, httpcore.Request, Metadata]:
    return serializer.loads(data if serializer.is_binary else data.decode("utf-8"))


_HeadParts = tuple[
    int,
    list[tuple[bytes, bytes]],
    dict[str, t.Any],
    bytes,
    httpcore.URL,
    list[tuple[bytes, bytes]],
    dict[str, t.Any],
    Metadata,
]
_HEADS: dict[tuple[BaseSerializer, bytes], _HeadParts] = {}
_HEADS_LIMIT = 1024


def _loads_head(
    serializer: BaseSerializer, data: bytes
) -> tuple[httpcore.Response, httpcore.Request, Metadata]:
    """``_loads`` for frame heads, remembered: a hit re-reads the same head bytes, so each
    distinct head is deserialized once and later hits get fresh models from its parts."""
    key = (serializer, data)
    try:
        parts = _HEADS.get(key)
    except TypeError:  # a serializer that cannot be hashed: no memo
        return _loads(serializer, data)
    if parts is None:
        response, request, metadata = _loads(serializer, data)
        parts = (
            response.status,
            response.headers,
            dict(response.extensions),
            request.method,
            request.url,
            request.headers,
            dict(request.extensions),
            metadata,
        )
        if len(_HEADS) >= _HEADS_LIMIT:
            _HEADS.clear()
        _HEADS[key] = parts
    status, headers, extensions, method, url, req_headers, req_extensions, metadata = parts
    return (
        make_response(status, list(headers), b"", dict(extensions)),
        make_request(method, url, list(req_headers), BytesBody(b""), dict(req_extensions)),
        Metadata(**metadata),
    )


def decode_head(serializer: BaseSerializer, prefix: bytes, *, meta: bytes | None = None) -> Head:
    """Decode a frame head from a prefix holding at least ``head_size(prefix)`` bytes.

    ``meta`` (a slot kept apart by the backend) overrides the frame's own slot.
    """
    offset = head_size(prefix)
    if len(prefix) < offset:
        raise ValueError("truncated entry head")
    _, _, uses, micros, stored_at, body_len, _ = _FIXED.unpack_from(prefix)
    response, request, metadata = _loads_head(serializer, prefix[FIXED_SIZE:offset])
    slot = meta if meta is not None else META.pack(uses, micros)
    return Head(response, request, apply_meta(metadata, slot), stored_at, offset, body_len)


class Entry(t.NamedTuple):
    """A decoded entry; ``stored_at`` is None for entries without a frame (0.1)."""

    response: httpcore.Response
    request: httpcore.Request
    metadata: Metadata
    stored_at: float | None


def decode_entry(serializer: BaseSerializer, data: bytes, *, meta: bytes | None = None) -> Entry:
    """Decode a whole stored entry: a frame, or a serializer document (hishel 0.1)."""
    if not is_framed(data):
        response, request, metadata = _loads(serializer, data)
        if meta is not None:
            metadata = apply_meta(metadata, meta)
        return Entry(response, request, metadata, None)
    head = decode_head(serializer, data, meta=meta)
    if len(data) != head.size:
        raise ValueError(f"entry is {len(data)} bytes, its frame says {head.size}")
    body = data[head.body_offset :]
    return Entry(with_body(head.response, body), head.request, head.metadata, head.stored_at)


class Opened(t.NamedTuple):
    """An entry opened from a reader: ``entry.response``'s body is ``first``, the body's
    first part; ``remaining`` more bytes are still to be read (0: the body is complete)."""

    entry: Entry
    first: bytes
    remaining: int


def open_entry(
    serializer: BaseSerializer,
    read: t.Callable[[int], bytes],
    *,
    total: int | None = None,
    meta: bytes | None = None,
) -> Opened:
    """Decode an entry from a blocking ``read(n)``, reading the head and about one chunk of
    the body (the whole of a 0.1 entry). ``total``, when known, is the stored size: a
    mismatch with the frame (a truncated entry) raises ``ValueError``; a body length of
    ``BODY_TO_END`` takes the body to be the rest of those ``total`` bytes."""
    prefix = read(CHUNK_SIZE)
    if not is_framed(prefix):
        rest = [prefix]
        while chunk := read(CHUNK_SIZE):
            rest.append(chunk)
        entry = decode_entry(serializer, b"".join(rest), meta=meta)
        return Opened(entry, response_body(entry.response), 0)
    need = head_size(prefix)
    if len(prefix) < need:
        prefix += read(need - len(prefix))
    head = decode_head(serializer, prefix, meta=meta)
    if head.body_len == BODY_TO_END and total is not None and total >= head.body_offset:
        head = replace(head, body_len=total - head.body_offset)
    first = prefix[head.body_offset :]
    if len(first) > head.body_len or (total is not None and total != head.size):
        raise ValueError(f"entry size does not match its frame ({head.size} bytes)")
    entry = Entry(with_body(head.response, first), head.request, head.metadata, head.stored_at)
    return Opened(entry, first, head.body_len - len(first))
