"""hishel 0.1's controller helpers, as thin answers from the policy in their 0.1 shapes.

0.1-era code imports these from ``hishel._controller`` (where they are re-exported), and
``Controller._make_request_conditional`` / ``Controller._validate_vary`` call the last two.
Signatures and return types are 0.1's (httpcore models and ``bytes`` header pairs in, ``int``
/ ``bool`` / header pairs out); the answers are RFC 9111's, where 0.1 differed:

- ``get_updated_headers``: §3.2 / §4.3.4, so framing and hop-by-hop fields of the 304 are not
  copied, the stored Date and Age go, and a 304 that selects another response changes nothing.
- ``get_freshness_lifetime``: §4.2.1 (an invalid Expires is already expired, §5.3).
- ``get_heuristic_freshness``: §4.2.2, 10% of Date - Last-Modified capped at one day; 0 (no
  heuristic freshness) without Last-Modified, where 0.1 gave one day.
- ``get_age``: §4.2.3 (the Age header counts); a response without Date is as old as its Age
  (RFC 9110 §6.6.1: Date is the receipt time), where 0.1 answered infinity.
"""

from __future__ import annotations

import time
import typing as t

import httpcore
import httpx

from .. import _policy as policy
from .._core._adapters import request_head, response_head_of, response_only
from .._policy._tables import CLIENT_VALIDATORS
from .._policy._validation import conditional_headers

__all__ = [
    "get_safe_url",
    "allowed_stale",
    "get_age",
    "get_freshness_lifetime",
    "get_heuristic_freshness",
    "get_updated_headers",
    "make_request_conditional",
    "updated_in_order",
    "vary_matches",
]

RawHeaders = list[tuple[bytes, bytes]]


class _Clock(t.Protocol):
    def now(self) -> float: ...


def _response(status: int, headers: t.Iterable[tuple[bytes, bytes]]) -> policy.ResponseHead:
    return response_head_of(status, [(name, value) for name, value in headers])


def get_updated_headers(
    stored_response_headers: RawHeaders, new_response_headers: RawHeaders
) -> RawHeaders:
    """The stored response's headers after a 304 carrying ``new_response_headers``."""
    stored = _response(200, stored_response_headers)
    decision = policy.freshen(
        response_only(stored, 0.0), _response(304, new_response_headers), policy.PolicyOptions()
    )
    if not isinstance(decision, policy.Freshen):
        return list(stored_response_headers)  # RFC 9111 §4.3.4: it selects nothing we hold
    return updated_in_order(decision.headers, stored_response_headers, new_response_headers)


def get_freshness_lifetime(response: httpcore.Response) -> int | None:
    """Seconds the response is fresh for from explicit expiration; ``None`` without any."""
    head = _response(response.status, response.headers)
    received = float(head.date) if head.date is not None else time.time()
    lifetime = policy.freshness_lifetime(head, received)  # RFC 9111 §4.2.1
    return None if lifetime is None else int(lifetime)


def get_heuristic_freshness(response: httpcore.Response, clock: _Clock) -> int:
    """Heuristic freshness lifetime in seconds (RFC 9111 §4.2.2); 0 when none applies."""
    head = _response(response.status, response.headers)
    received = float(head.date) if head.date is not None else float(clock.now())
    lifetime = policy.heuristic_lifetime(head, received)
    return 0 if lifetime is None else int(lifetime)


def get_age(response: httpcore.Response, clock: _Clock) -> int:
    """The response's current age in seconds at ``clock.now()`` (RFC 9111 §4.2.3)."""
    now = float(clock.now())
    head = _response(response.status, response.headers)
    received = float(head.date) if head.date is not None else now
    return int(policy.current_age(response_only(head, received), now))


def allowed_stale(response: httpcore.Response) -> bool:
    """Whether a private cache may serve this response stale (RFC 9111 §4.2.4)."""
    cc = _response(response.status, response.headers).cache_control
    return not (cc.no_cache or cc.must_revalidate)  # RFC 9111 §5.2.2.4, §5.2.2.2


def make_request_conditional(request: httpcore.Request, response: httpcore.Response) -> RawHeaders:
    """Put the stored response's validators on ``request`` (in place, as 0.1 did); returns
    the fields added, If-Modified-Since first (0.1's order).

    RFC 9111 §4.3.1: If-None-Match carries the ETag, If-Modified-Since the Last-Modified;
    validators the request already had are replaced by the cache's.
    """
    stored = response_only(_response(response.status, response.headers), 0.0)
    headers = conditional_headers(request_head(request), stored)
    validators = sorted(item for item in headers if item[0] in CLIENT_VALIDATORS)
    if not validators:
        return []  # nothing to validate with: the request goes as it is
    spelt = {"if-none-match": b"If-None-Match", "if-modified-since": b"If-Modified-Since"}
    request.headers[:] = [
        (name, value)
        for name, value in request.headers
        if name.decode("latin-1").lower() not in CLIENT_VALIDATORS
    ]
    added = [(spelt[name], value.encode("latin-1")) for name, value in validators]
    request.headers.extend(added)
    return added


def updated_in_order(headers: policy.Headers, stored: RawHeaders, new: RawHeaders) -> RawHeaders:
    """``headers`` (a freshened stored response's) in 0.1's order: the stored fields where
    they were, with their new values, then the fields the 304 added, as each was spelt."""
    values: dict[str, list[str]] = {}
    for name, value in headers:
        values.setdefault(name, []).append(value)
    merged: RawHeaders = []
    for raw_name, _ in (*stored, *new):
        found = values.pop(raw_name.decode("latin-1").lower(), None)
        if found is not None:
            merged.extend((raw_name, value.encode("latin-1")) for value in found)
    for name, found in values.items():  # fields neither spelt (the cache's own)
        merged.extend((name.encode("latin-1"), value.encode("latin-1")) for value in found)
    return merged


def vary_matches(
    request: httpcore.Request, response: httpcore.Response, original_request: httpcore.Request
) -> bool:
    """Whether ``request`` presents the fields the stored response's Vary nominates with the
    values ``original_request`` had (RFC 9111 §4.1); never for ``Vary: *``."""
    names = _response(response.status, response.headers).vary
    if names is None:
        return False  # RFC 9111 §4.1: "*" always fails to match
    new, old = request_head(request), request_head(original_request)
    return policy.vary_fingerprint(new, names) == policy.vary_fingerprint(old, names)


def get_safe_url(url: httpcore.URL) -> str:
    """``scheme://host/path`` of ``url``: no userinfo, port or query, safe to log (0.1)."""
    parsed = httpx.URL(bytes(url).decode("latin-1"))
    return f"{parsed.scheme}://{parsed.host}{parsed.path}"
