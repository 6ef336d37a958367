"""Entry documents: model <-> plain dict, in the current layout and hishel 0.1's.

Storages keep the current layout, a plain dict with a ``"version"`` marker (``LAYOUT_VERSION``
= 2), in the codec's frame. hishel 0.1's layout has no ``version`` and ``created_at`` as an
HTTP date; what 0.1 had no field for (``hishel_*`` response extensions, more request
extensions, ``created_at``'s microseconds) is added as keys 0.1 readers skip.
``from_document`` reads every layout.
"""

from __future__ import annotations

import base64
import email.utils
import json
import typing as t
from datetime import datetime, timezone

import httpcore

from .._core._keys import normalized_url
from .._core._messages import BytesBody, RequestParts
from .._hosts._async._host import AsyncHostBody
from .._hosts._httpcore import held_body
from .._hosts._sync._host import HostBody

__all__ = [
    "Metadata",
    "Models",
    "RequestModel",
    "clone_model",
    "document_01",
    "document_of",
    "from_document",
    "json_text",
    "models_of",
    "naive_utc",
    "not_an_entry",
    "response_body",
    "to_document",
]

HEADERS_ENCODING = "latin-1"
LAYOUT_VERSION = 2
BYTES_EXTENSIONS = ("http_version", "reason_phrase")
_HTTP_DATE = "%a, %d %b %Y %H:%M:%S GMT"


class Metadata(t.TypedDict):
    """What a storage keeps about an entry besides the messages."""

    cache_key: str
    number_of_uses: int
    created_at: datetime


Models = tuple[httpcore.Response, httpcore.Request, Metadata]
"""What the 0.1 API passes around for an entry: (response, request, metadata)."""


class RequestModel(RequestParts, t.Protocol):
    """A stored request as far as a document reads it: the core's or httpcore's."""

    @property
    def extensions(self) -> t.MutableMapping[str, t.Any]: ...


# -- models --------------------------------------------------------------------------------


class _HeldResponse(httpcore.Response):
    """A response whose body is held in memory: ``.content`` at once (as 0.1's in-memory
    storage gave it) and its stream still there to read, once."""

    def __init__(self, status: int, *, headers: t.Any, body: bytes, extensions: t.Any) -> None:
        super().__init__(status, headers=headers, content=body, extensions=extensions)
        self._held = body

    @property
    def content(self) -> bytes:
        return self._held


def models_of(
    status: int,
    headers: t.Sequence[tuple[bytes, bytes]],
    extensions: t.Mapping[str, t.Any],
    request: RequestModel,
    metadata: Metadata,
    body: t.Any,
) -> Models:
    """The 0.1 API's httpcore models of an entry's parts. ``body``: ``bytes`` (the response
    read: ``.content``), a ``BytesBody`` (``.content`` and a stream to read, as ``retrieve``
    gives a body held in memory) or a stream (not read)."""
    response: httpcore.Response
    if isinstance(body, BytesBody):
        response = _HeldResponse(
            status, headers=list(headers), body=body.content, extensions=dict(extensions)
        )
    elif isinstance(body, bytes):
        response = httpcore.Response(
            status, headers=list(headers), content=body, extensions=dict(extensions)
        )
        response.read()
    else:  # a stored body: one that stops mid-read raises httpcore's ReadError, as in 0.1
        stream = (AsyncHostBody if hasattr(body, "__aiter__") else HostBody)(
            body, httpcore.ReadError
        )
        response = httpcore.Response(
            status, headers=list(headers), content=stream, extensions=dict(extensions)
        )
    url = request.url
    model = httpcore.Request(
        request.method,
        httpcore.URL(scheme=url.scheme, host=url.host, port=url.port, target=url.target),
        headers=list(request.headers),
        extensions=dict(request.extensions),
    )
    return response, model, Metadata(**metadata)


_Scalar = (str, int, float, bool)


def _is_jsonable(value: object) -> bool:
    if value is None or isinstance(value, _Scalar):
        return True
    if isinstance(value, list | tuple):
        return all(_is_jsonable(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_jsonable(v) for k, v in value.items())
    return False


def response_body(response: httpcore.Response) -> bytes:
    """The body of a response that was read (or built from bytes); RuntimeError otherwise."""
    body = held_body(response)
    return response.content if body is None else body  # .content raises: the body was not read


@t.overload
def clone_model(model: httpcore.Request) -> httpcore.Request: ...
@t.overload
def clone_model(model: httpcore.Response) -> httpcore.Response: ...
def clone_model(
    model: httpcore.Request | httpcore.Response,
) -> httpcore.Request | httpcore.Response:
    """A copy of an httpcore Request/Response suitable for storing.

    A Response keeps its (already read) body, ``http_version``, ``reason_phrase`` and every
    ``hishel_*`` extension; a Request keeps its URL (normalised), headers and JSON-able
    extensions such as ``timeout``, without a body.
    """
    if isinstance(model, httpcore.Response):
        extensions = {
            k: v
            for k, v in model.extensions.items()
            if k in BYTES_EXTENSIONS or (k.startswith("hishel_") and isinstance(v, _Scalar))
        }
        return httpcore.Response(
            status=model.status,
            headers=list(model.headers),
            content=response_body(model),
            extensions=extensions,
        )
    return httpcore.Request(
        method=model.method,
        url=normalized_url(model.url),
        headers=list(model.headers),
        extensions={k: v for k, v in model.extensions.items() if _is_jsonable(v)},
    )


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


class _NaiveUTC(datetime):
    """A naive datetime that is known to be UTC: what ``loads`` gives as ``created_at``.

    hishel 0.1 loaded ``created_at`` naive (UTC), and 0.1 code does ``datetime.now() -
    created_at``, so it stays naive; ``timestamp()`` reads it as UTC, not local time, so code
    that turns it into epoch seconds stays right whatever the machine's time zone.
    """

    def timestamp(self) -> float:
        if self.tzinfo is None:
            return self.replace(tzinfo=timezone.utc).timestamp()
        return super().timestamp()


def naive_utc(value: datetime) -> datetime:
    utc = value.astimezone(timezone.utc) if value.tzinfo is not None else value
    return _NaiveUTC.combine(utc.date(), utc.time())


def _parse_created_at(value: object, microsecond: object = None) -> datetime:
    if isinstance(value, datetime):  # YAML may give a datetime
        return naive_utc(value)
    text = str(value)
    try:
        return naive_utc(datetime.fromisoformat(text))
    except ValueError:  # 0.1's HTTP date, with what ``document_01`` adds
        parsed = datetime.strptime(text, _HTTP_DATE)
        if isinstance(microsecond, int) and 0 < microsecond < 1_000_000:
            parsed = parsed.replace(microsecond=microsecond)
        return naive_utc(parsed)


def _headers_out(headers: t.Sequence[tuple[bytes, bytes]]) -> list[list[str]]:
    return [[k.decode(HEADERS_ENCODING), v.decode(HEADERS_ENCODING)] for k, v in headers]


def _headers_in(pairs: t.Any) -> list[tuple[bytes, bytes]]:
    return [(k.encode(HEADERS_ENCODING), v.encode(HEADERS_ENCODING)) for k, v in pairs]


def to_document(
    response: httpcore.Response, request: httpcore.Request, metadata: Metadata, content: str | bytes
) -> dict[str, t.Any]:
    """The plain dict of the current layout; ``content`` is the body as the caller encodes it."""
    return document_of(
        response.status, response.headers, response.extensions, request, metadata, content
    )


def document_of(
    status: int,
    headers: list[tuple[bytes, bytes]],
    response_extensions: t.Mapping[str, t.Any],
    request: RequestModel,
    metadata: Metadata,
    content: str | bytes,
) -> dict[str, t.Any]:
    """``to_document`` from the parts of the response (no response model is built)."""
    extensions: dict[str, t.Any] = {}
    for key, value in response_extensions.items():
        if key in BYTES_EXTENSIONS and isinstance(value, bytes):
            extensions[key] = value.decode(HEADERS_ENCODING)
        elif key.startswith("hishel_") and isinstance(value, _Scalar):
            extensions[key] = value
    return {
        "version": LAYOUT_VERSION,
        "response": {
            "status": status,
            "headers": _headers_out(headers),
            "content": content,
            "extensions": extensions,
        },
        "request": {
            "method": request.method.decode("ascii"),
            "url": normalized_url(request.url),
            "headers": _headers_out(request.headers),
            "extensions": {k: v for k, v in request.extensions.items() if _is_jsonable(v)},
        },
        "metadata": {
            "cache_key": metadata["cache_key"],
            "number_of_uses": metadata["number_of_uses"],
            "created_at": _utc(metadata["created_at"]).isoformat(),
        },
    }


def document_01(
    response: httpcore.Response, request: httpcore.Request, metadata: Metadata
) -> dict[str, t.Any]:
    """hishel 0.1's layout of an entry (what its ``dumps`` wrote), with the extensions of the
    current layout: no ``version``, the body base64, ``created_at`` an HTTP date (UTC)."""
    content = base64.b64encode(response_body(response)).decode("ascii")
    doc = to_document(response, request, metadata, content)
    del doc["version"]
    created = _utc(metadata["created_at"]).astimezone(timezone.utc)
    meta = doc["metadata"]
    meta["created_at"] = email.utils.format_datetime(created.replace(microsecond=0), usegmt=True)
    if created.microsecond:  # (an HTTP date holds whole seconds)
        meta["created_at_microsecond"] = created.microsecond
    return doc


def from_document(doc: t.Any) -> tuple[httpcore.Response, httpcore.Request, Metadata]:
    """Rebuild the models from a dict of the current layout or of hishel 0.1's."""
    if not isinstance(doc, dict):
        raise ValueError("not a hishel entry")
    version = doc.get("version", 1)
    if version not in (1, LAYOUT_VERSION):
        raise ValueError(f"unsupported entry layout version {version!r}")
    res, req, meta = doc["response"], doc["request"], doc["metadata"]
    content = res["content"]
    body = content if isinstance(content, bytes) else base64.b64decode(content, validate=True)
    extensions = {
        k: v.encode(HEADERS_ENCODING) if k in BYTES_EXTENSIONS and isinstance(v, str) else v
        for k, v in res.get("extensions", {}).items()
    }
    response = httpcore.Response(
        status=int(res["status"]),
        headers=_headers_in(res["headers"]),
        content=body,
        extensions=extensions,
    )
    request = httpcore.Request(
        method=req["method"],
        url=req["url"],
        headers=_headers_in(req["headers"]),
        extensions=dict(req.get("extensions", {})),
    )
    metadata = Metadata(
        cache_key=str(meta["cache_key"]),
        number_of_uses=int(meta["number_of_uses"]),
        created_at=_parse_created_at(meta["created_at"], meta.get("created_at_microsecond")),
    )
    return response, request, metadata


json_text = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
"""Compact JSON of a document, as storages keep it (one encoder, made once)."""


def not_an_entry(exc: Exception) -> ValueError:
    return ValueError(f"not a readable hishel entry: {type(exc).__name__}: {exc}")
