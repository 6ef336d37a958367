"""Freshness (RFC 9111 §4.2): how long a response stays fresh, and how old it is now.

A response is fresh while ``freshness_lifetime > current_age``. The lifetime comes from the
first of: ``s-maxage`` (shared caches), ``max-age``, ``Expires - Date``, and, only when no
explicit expiration exists and heuristics are allowed, a heuristic of 10% of the time since
Last-Modified, capped at one day (``HEURISTIC_CAP``). The age follows §4.2.3 exactly: the
larger of the apparent age (``response_time - Date``) and the Age header plus the response
delay, plus the time resident in this cache. All values come from the heads and the clock
readings the caller recorded; ``now`` is passed in. Results saturate at 2**31 (§1.3).
Ages and lifetimes are whole seconds, as delta-seconds (§1.3) and Age (§5.1) are: the clock
readings are fractional, so each time difference of §4.2.3 (response_time - date_value,
response_time - request_time, now - response_time) and each lifetime computed from times
(Expires - Date, the heuristic, a lifetime the user chose) counts only the whole seconds in
it (``whole_seconds``: the floor, to the microsecond, never below 0). A response asked for
again within a second is as old as when it arrived; its age grows by one each full second.
Heuristics apply to any status code only as §4.2.2 allows: "heuristics can only be used on
responses without explicit freshness whose status codes are defined as heuristically
cacheable ..., and those responses without explicit freshness that have been marked as
explicitly cacheable (e.g., with a "public" response directive)"; ``private`` marks a
response explicitly cacheable for a private cache (§5.2.2.7: "even if the response would not
otherwise be heuristically cacheable by a private cache").
"""

from __future__ import annotations

import math

from ._messages import ResponseHead, StoredHead
from ._tables import (
    HEURISTIC_CAP,
    HEURISTIC_FRACTION,
    HEURISTICALLY_CACHEABLE,
    MAX_DELTA,
    PERMANENT_REDIRECTS,
)

__all__ = [
    "corrected_initial_age",
    "current_age",
    "freshness_lifetime",
    "heuristic_lifetime",
    "heuristically_cacheable",
    "permanent_redirect",
    "whole_seconds",
]


def whole_seconds(seconds: float) -> int:
    """The whole seconds in a time difference: its floor, at least 0, at most ``MAX_DELTA``
    (RFC 9111 §1.3: delta-seconds are non-negative integers, saturating at 2**31)."""
    if seconds >= MAX_DELTA:  # (also an infinite one)
        return MAX_DELTA  # RFC 9111 §1.3
    if not seconds > 0:  # (negative, -inf, NaN)
        return 0
    # Clock readings are kept to the microsecond (a datetime's resolution) and a difference
    # of two epoch floats is off by a few ulps (~1e-7 s): 10 s measured as 9.9999998 s is 10.
    # (Half a microsecond added, not ``round(seconds, 6)``: the same whole seconds at a tenth
    # of the cost, on every hit.)
    return math.floor(seconds + 5e-7)


def _date_value(response: ResponseHead, response_time: float) -> float:
    # RFC 9110 §6.6.1: without a (valid) Date, use the time the response was received
    return response.date if response.date is not None else response_time


def corrected_initial_age(response: ResponseHead, request_time: float, response_time: float) -> int:
    """``corrected_initial_age`` of RFC 9111 §4.2.3, in whole seconds."""
    date_value = _date_value(response, response_time)
    apparent_age = whole_seconds(response_time - date_value)  # RFC 9111 §4.2.3, §1.3
    response_delay = whole_seconds(response_time - request_time)  # RFC 9111 §4.2.3
    corrected_age_value = (response.age or 0) + response_delay  # RFC 9111 §4.2.3
    return min(max(apparent_age, corrected_age_value), MAX_DELTA)  # RFC 9111 §4.2.3, §1.3


def current_age(stored: StoredHead, now: float) -> int:
    """The stored response's ``current_age`` at ``now`` (RFC 9111 §4.2.3), in whole seconds."""
    age = stored.initial_age + whole_seconds(now - stored.response_time)  # RFC 9111 §4.2.3
    return age if age < MAX_DELTA else MAX_DELTA  # RFC 9111 §1.3


def heuristically_cacheable(response: ResponseHead, *, shared: bool) -> bool:
    """Whether a heuristic lifetime may apply: a heuristically cacheable status, or a
    response marked explicitly cacheable (``public``; ``private`` in a private cache)."""
    cc = response.cache_control
    return (
        response.status in HEURISTICALLY_CACHEABLE  # RFC 9111 §4.2.2
        or cc.public  # RFC 9111 §5.2.2.9
        or (cc.private and not shared)  # RFC 9111 §5.2.2.7
    )


def permanent_redirect(response: ResponseHead) -> bool:
    """A 301 or 308 with no caching field at all (no Cache-Control, no Expires): kept and
    reused as long as the storage keeps it, as hishel 0.1 did (RFC 9111 §4.2.2 heuristic)."""
    return (
        response.status in PERMANENT_REDIRECTS
        and response.expires is None
        and not any(name == "cache-control" for name, _ in response.headers)
    )


def heuristic_lifetime(
    response: ResponseHead, response_time: float, *, shared: bool = False
) -> int | None:
    """10% of ``Date - Last-Modified``, at most ``HEURISTIC_CAP``; ``None`` when no heuristic
    applies (no Last-Modified, or not heuristically cacheable). Explicit freshness is not
    considered here; see ``freshness_lifetime``."""
    if response.last_modified is None or not heuristically_cacheable(response, shared=shared):
        return None
    since = _date_value(response, response_time) - response.last_modified
    return whole_seconds(min(since * HEURISTIC_FRACTION, HEURISTIC_CAP))  # RFC 9111 §4.2.2


def freshness_lifetime(
    response: ResponseHead,
    response_time: float,
    *,
    shared: bool = False,
    heuristics: bool = False,
    default: float | None = None,
) -> int | None:
    """The response's ``freshness_lifetime`` (RFC 9111 §4.2.1), in whole seconds.

    ``default`` is a lifetime the user chose for responses without explicit freshness (its
    whole seconds count, like any other lifetime).

    ``response_time`` stands in for a missing or invalid Date. ``None`` means no explicit
    expiration and no applicable heuristic (or ``heuristics`` is off): the response is stale.
    """
    cc = response.cache_control
    if shared and cc.s_maxage is not None:
        return cc.s_maxage  # RFC 9111 §4.2.1
    if cc.max_age is not None:
        return cc.max_age  # RFC 9111 §4.2.1, §5.3: max-age overrides Expires
    if response.expires is not None:
        # RFC 9111 §4.2.1: Expires - Date; an invalid Expires is in the past (§5.3)
        return whole_seconds(response.expires - _date_value(response, response_time))
    if default is not None:
        # RFC 9111 §4.2.2: a heuristic the user chose (default_ttl, ttl_rules)
        return whole_seconds(default)
    if permanent_redirect(response):
        return MAX_DELTA  # RFC 9111 §4.2.2: a heuristic, whatever ``heuristics`` says (0.1)
    if heuristics:
        return heuristic_lifetime(response, response_time, shared=shared)  # RFC 9111 §4.2.2
    return None
