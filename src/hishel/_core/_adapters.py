"""Messages (the core's, stored ones, 0.1's httpcore models) and stored entries as the
policy's heads.

The one place heads are built from a host message: ``request_head`` for a request,
``response_head_of`` for a response's status and header fields (``response_head`` for a whole
response); the flow, the Controller and 0.1's helpers (``_compat``) all use these. A
message is parsed once, when its head is built; a stored entry's head is built the first
time the entry is used and kept with it (``EntryHead.views``), so a hit of an entry held in
memory parses nothing.
"""

from __future__ import annotations

import typing as t
from itertools import chain

from .. import _policy as policy
from .._policy._messages import RequestHead as PolicyRequest
from .._policy._messages import ResponseHead as PolicyResponse
from .._storage._codec import EntryHead, EntryViews
from ._keys import normalized_url
from ._messages import HeaderList, RequestParts, ResponseParts
from ._privacy import NEVER_STORED

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
    "freshened_head",
    "served_of",
    "stored_fields",
]


def _str(value: bytes | str) -> str:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def request_head(request: RequestParts, url: str | None = None) -> policy.RequestHead:
    """The policy's view of a request (``url``: its ``normalized_url``, when known)."""
    return policy.RequestHead(
        _str(request.method),
        normalized_url(request.url) if url is None else url,
        policy.normalise_headers(request.headers),
    )


def response_head(
    response: ResponseParts, previous: PolicyResponse | None = None
) -> policy.ResponseHead:
    """The policy's view of a response (the fields it shares with ``previous``, the stored
    head a 304 answers for, are not parsed again)."""
    return response_head_of(response.status, response.headers, previous)


def response_head_of(
    status: int, headers: HeaderList, previous: PolicyResponse | None = None
) -> policy.ResponseHead:
    """The policy's view of a response with ``status`` and raw header fields ``headers``."""
    pairs = policy.normalise_headers(headers)
    if previous is None:
        return policy.ResponseHead(status, pairs)
    return policy.ResponseHead(status, pairs, previous)


def _stored(
    request: RequestParts,
    status: int,
    headers: HeaderList,
    request_time: float,
    response_time: float,
) -> policy.StoredHead:
    return policy.StoredHead(
        request_head(request),
        response_head_of(status, headers),
        float(request_time),
        float(response_time),
    )


def stored_head_of(entry: EntryHead) -> policy.StoredHead:
    """The policy's view of a stored entry, built the first time it is asked for and kept
    with the entry (``EntryHead.views``)."""
    views = entry.views
    stored = views.stored
    if stored is None:
        stored = views.stored = _stored(
            entry.request, entry.status, entry.headers, entry.request_time, entry.response_time
        )
    return stored


def freshened_head(
    entry: EntryHead,
    request: PolicyRequest,
    previous: tuple[PolicyResponse, ...] = (),
    headers: policy.Headers | None = None,
    *,
    keep: bool = True,
) -> policy.StoredHead:
    """The policy's view of ``entry``, a head freshened from one whose stored request the
    policy saw as ``request`` (the same request: only the response fields and the clock
    readings changed), so only its response is parsed, and of that only the fields whose
    lines are in none of ``previous`` (the 304 that freshened it, and the response before,
    each parsed from its own fields: their views are taken, the first that has a field's
    lines looked at first); kept with the entry unless ``keep`` is False (``request`` then
    stands for another than the one it holds). ``headers``: the policy's pairs the entry's
    header fields were encoded from (``raw_headers``), when the caller has them: not
    decoded again, and the served fields (``served_of``) taken from the entry's bytes
    instead of encoded again."""
    encoded = headers is not None
    if headers is None:
        headers = policy.normalise_headers(entry.headers)
    stored = policy.StoredHead(
        request,
        policy.ResponseHead(entry.status, headers, *previous),
        float(entry.request_time),
        float(entry.response_time),
    )
    views = entry.views
    if keep:
        views.stored = stored
    if encoded:
        served = [pair for pair in entry.headers if pair[0] != b"age"]
        if len(served) == len(stored.served):  # (else a Date was added: served_of adds it)
            _keep_served(views, served)
    return stored


def served_of(entry: EntryHead, stored: policy.StoredHead) -> list[tuple[bytes, bytes]]:
    """The header fields a hit of ``entry`` serves, less Age (``stored.served`` as the hosts'
    byte pairs, a new list), encoded the first time and kept with the entry (and whether
    they are all ASCII, ``views.served_ascii``)."""
    views = entry.views
    served = views.served
    if served is None:
        served = _keep_served(views, raw_headers(stored.served))
    return list(served)


def _keep_served(views: EntryViews, served: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    views.served = served
    views.served_ascii = all(map(bytes.isascii, chain.from_iterable(served)))
    return served


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


def request_headers(
    raw: HeaderList, wanted: policy.Headers, pairs: policy.Headers | None = None
) -> list[tuple[bytes, bytes]]:
    """The caller's header fields as the caller wrote them (names, casing, order), less
    those the policy dropped, plus those it added (the validators of a conditional), so
    the request goes to the origin as the caller built it (issue: 0.1 drop-in). ``pairs``:
    ``raw`` as the policy's pairs (``normalise_headers(raw)``), when the caller has them."""
    if pairs is None:
        pairs = policy.normalise_headers(raw)
    n = len(pairs)
    if wanted[:n] == pairs:  # (the usual: every field kept, in order; validators added)
        kept = list(raw)
        left: t.Sequence[tuple[str, str]] = wanted[n:]
    else:
        left = list(wanted)
        kept = []
        for field, pair in zip(raw, pairs, strict=True):
            if pair in left:
                left.remove(pair)
                kept.append((field[0], field[1]))
    kept.extend([(_canonical(n), v.encode("latin-1")) for n, v in left])
    return kept


def _canonical(name: str) -> bytes:
    """A field name the cache adds, cased as usually written (``If-None-Match``)."""
    return "-".join(part.capitalize() for part in name.split("-")).encode("latin-1")


def stored_fields(
    headers: policy.Headers, raw: HeaderList, head: PolicyResponse
) -> list[tuple[bytes, bytes]]:
    """The header fields an entry keeps: the policy's ``headers`` (the kept fields of the
    response whose raw fields are ``raw`` and head ``head``) as byte pairs, less those never
    stored (Set-Cookie). When the policy kept every field (``head.headers`` itself), each
    value is ``raw``'s own bytes (decoding them is what made ``headers``): only the
    lower-cased names are encoded."""
    if headers is head.headers and len(raw) == len(headers):
        return [
            (name.encode("latin-1"), pair[1])
            for (name, _), pair in zip(headers, raw, strict=True)
            if name not in NEVER_STORED
        ]
    return [(n.encode("latin-1"), v.encode("latin-1")) for n, v in headers if n not in NEVER_STORED]


def raw_headers(headers: t.Iterable[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    """Policy headers (``str`` pairs) as the hosts' ``bytes`` pairs (a new list)."""
    return [(n.encode("latin-1"), v.encode("latin-1")) for n, v in headers]
