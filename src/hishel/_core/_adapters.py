"""Messages (the core's, stored ones, 0.1's httpcore models) and stored entries as the
policy's heads, each distinct one parsed once.

The one place heads are built from a host message: ``request_head`` for a request,
``response_head_of`` for a response's status and header fields (``response_head`` for a whole
response); the flow, the Controller and 0.1's helpers (``_compat``) all use these.

Heads are pure functions of the raw message parts, so a bounded memo keyed by those parts
is always right; parsing once per distinct message (not once per request) keeps header
parsing off the hit path.
"""

from __future__ import annotations

import typing as t

from .. import _policy as policy
from .._storage._codec import EntryHead
from ._keys import normalized_url
from ._messages import HeaderList, RequestParts, ResponseParts

__all__ = [
    "request_head",
    "raw_headers",
    "request_headers",
    "response_head",
    "response_head_of",
    "response_only",
    "stored_head",
    "stored_head_of",
    "stored_head_with",
]


def _str(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


class _Memo(dict[t.Hashable, t.Any]):
    """A bounded map from raw message parts to the heads parsed from them."""

    limit = 4096

    def remember(self, key: t.Hashable, value: t.Any) -> t.Any:
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


_REQUEST_HEADS = _Memo()
_RESPONSE_HEADS = _Memo()
_STORED_HEADS = _Memo()


def _request_key(request: RequestParts) -> t.Hashable:
    url = request.url
    return (request.method, url.scheme, url.host, url.port, url.target, *request.headers)


def request_head(request: RequestParts, key: t.Hashable = None) -> policy.RequestHead:
    """The policy's view of a request."""
    key = key or _request_key(request)
    head = _REQUEST_HEADS.get(key)
    if head is None:
        head = _REQUEST_HEADS.remember(
            key,
            policy.RequestHead(
                _str(request.method),
                normalized_url(request.url),
                policy.normalise_headers(request.headers),
            ),
        )
    return t.cast(policy.RequestHead, head)


def response_head(response: ResponseParts, key: t.Hashable = None) -> policy.ResponseHead:
    """The policy's view of a response."""
    return response_head_of(response.status, response.headers, key)


def response_head_of(
    status: int, headers: HeaderList, key: t.Hashable = None
) -> policy.ResponseHead:
    """The policy's view of a response with ``status`` and raw header fields ``headers``."""
    key = key or (status, *headers)
    head = _RESPONSE_HEADS.get(key)
    if head is None:
        head = _RESPONSE_HEADS.remember(
            key, policy.ResponseHead(status, policy.normalise_headers(headers))
        )
    return t.cast(policy.ResponseHead, head)


def _stored(
    request: RequestParts,
    status: int,
    headers: HeaderList,
    request_time: float,
    response_time: float,
) -> policy.StoredHead:
    response_key = (status, *headers)
    request_key = _request_key(request)
    key = (request_key, response_key, request_time, response_time)
    stored = _STORED_HEADS.get(key)
    if stored is None:
        stored = _STORED_HEADS.remember(
            key,
            policy.StoredHead(
                request_head(request, request_key),
                response_head_of(status, headers, response_key),
                float(request_time),
                float(response_time),
            ),
        )
    return t.cast(policy.StoredHead, stored)


_BY_ENTRY: dict[int, tuple[EntryHead, policy.StoredHead]] = {}


def stored_head_of(entry: EntryHead) -> policy.StoredHead:
    """The policy's view of a stored entry; an entry head read again (the same object: the
    storages share decoded heads) is looked up by identity, its parts not hashed again."""
    found = _BY_ENTRY.get(id(entry))
    if found is not None and found[0] is entry:
        return found[1]
    stored = _stored(
        entry.request, entry.status, entry.headers, entry.request_time, entry.response_time
    )
    if len(_BY_ENTRY) >= _Memo.limit:
        _BY_ENTRY.clear()
    _BY_ENTRY[id(entry)] = (entry, stored)  # holds ``entry``: its id is not reused meanwhile
    return stored


def stored_head_with(entry: EntryHead, request: RequestParts) -> policy.StoredHead:
    """The policy's view of a stored entry, ``request`` standing for the one it holds (its
    digests resolved for the incoming request)."""
    return _stored(request, entry.status, entry.headers, entry.request_time, entry.response_time)


def stored_head(
    response: ResponseParts,
    request: RequestParts,
    created_at: float | None = None,
    default: float = 0.0,
) -> policy.StoredHead:
    """The policy's view of a bare (response, request) pair (the 0.1 Controller methods).

    The §4.2.3 clock readings come from the response's ``hishel_*`` extensions when it was
    served from storage, else ``created_at``, its ``Date``, or ``default``.
    """
    ext = response.extensions
    response_time = ext.get("hishel_response_time")
    if response_time is None:
        response_time = created_at if created_at is not None else response_head(response).date
    if response_time is None:
        response_time = default
    request_time = ext.get("hishel_request_time", response_time)
    return _stored(request, response.status, response.headers, request_time, response_time)


_NO_REQUEST = policy.RequestHead("GET", "", ())


def response_only(response: policy.ResponseHead, received: float) -> policy.StoredHead:
    """A stored response whose request is unknown (0.1's helpers take a response alone),
    received (and requested) at ``received``."""
    return policy.StoredHead(_NO_REQUEST, response, received, received)


def request_headers(raw: HeaderList, wanted: policy.Headers) -> list[tuple[bytes, bytes]]:
    """The caller's header fields as the caller wrote them (names, casing, order), less
    those the policy dropped, plus those it added (the validators of a conditional), so
    the request goes to the origin as the caller built it (issue: 0.1 drop-in)."""
    left = list(wanted)
    kept: list[tuple[bytes, bytes]] = []
    for name, value in raw:
        pair = (name.decode("latin-1").lower(), value.decode("latin-1"))
        if pair in left:
            left.remove(pair)
            kept.append((name, value))
    kept.extend((_canonical(n), v.encode("latin-1")) for n, v in left)
    return kept


def _canonical(name: str) -> bytes:
    """A field name the cache adds, cased as usually written (``If-None-Match``)."""
    return "-".join(part.capitalize() for part in name.split("-")).encode("latin-1")


_MEMO_SIZE = 1024  # distinct served header lists remembered (hot entries; bounded memory)
_RAW: dict[tuple[tuple[str, str], ...], list[tuple[bytes, bytes]]] = {}


def raw_headers(headers: t.Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """Policy headers (``str`` pairs) as the hosts' ``bytes`` pairs (a new list); the policy's
    header tuples are remembered (a bounded map): a hit serves the same ones again."""
    if not isinstance(headers, tuple):
        return [(n.encode("latin-1"), v.encode("latin-1")) for n, v in headers]
    raw = _RAW.get(headers)
    if raw is None:
        if len(_RAW) >= _MEMO_SIZE:
            _RAW.clear()
        raw = _RAW[headers] = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in headers]
    return list(raw)
