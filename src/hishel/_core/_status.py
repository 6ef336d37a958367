"""Telling what happened: the RFC 9211 ``Cache-Status`` value and the counters behind ``.stats``.

Every response that passed through the cache carries ``extensions["cache_status"]``, the
Cache-Status field value this cache would add (RFC 9211 §2): ``hishel; hit`` with ``ttl``
(negative when served stale), or ``hishel; fwd=...`` with the reason it went to the origin
(``bypass``, ``method``, ``uri-miss``, ``vary-miss``, ``request``, ``stale``, ``partial``),
``fwd-status`` (the origin's status), ``stored`` and ``collapsed``, and ``detail`` for what
the cache could not do. The key is never in it.
"""

from __future__ import annotations

import threading
import typing as t
from dataclasses import dataclass

from ._messages import Response

__all__ = ["CACHE_NAME", "CacheStats", "Marker", "Outcome", "StatsCounter", "hit_value"]

CACHE_NAME = "hishel"
_HIT = f"{CACHE_NAME}; hit"


@dataclass(frozen=True, slots=True)
class CacheStats:
    """What a transport, pool or client did since it was built.

    ``hits``: answered from storage without the origin (``stale_served`` of them stale);
    ``misses``: sent to the origin with nothing usable stored; ``revalidated``: answered
    from storage after a 304; ``stored``: responses written to storage; ``errors``: storage
    failures absorbed (the request still succeeded).
    """

    hits: int = 0
    misses: int = 0
    revalidated: int = 0
    stored: int = 0
    stale_served: int = 0
    errors: int = 0

    def __add__(self, other: CacheStats) -> CacheStats:
        return CacheStats(
            self.hits + other.hits,
            self.misses + other.misses,
            self.revalidated + other.revalidated,
            self.stored + other.stored,
            self.stale_served + other.stale_served,
            self.errors + other.errors,
        )


@dataclass(slots=True)
class Outcome:
    """What happened to one request, as Cache-Status says it (RFC 9211 §2). Made once per
    response and never changed (not frozen only because that costs on every hit). A ``hit``
    went nowhere: its ``fwd``, ``fwd_status``, ``stored`` and ``revalidated`` stay unset."""

    hit: bool = False
    fwd: str | None = None
    fwd_status: int | None = None
    ttl: int | None = None
    stored: bool = False
    collapsed: bool = False
    stale: bool = False
    detail: str | None = None
    revalidated: bool = False  # served from storage after the origin answered 304

    def field_value(self) -> str:
        """The Cache-Status member of this cache (RFC 9211 §2, a Structured Field list)."""
        if self.hit:
            return hit_value(self.ttl, self.collapsed, self.detail)
        value = CACHE_NAME  # RFC 9211 §2.1
        if self.fwd is not None:
            value += f"; fwd={self.fwd}"  # RFC 9211 §2.2
        if self.fwd_status is not None:
            value += f"; fwd-status={self.fwd_status}"  # RFC 9211 §2.3
        if self.ttl is not None:
            value += f"; ttl={self.ttl}"  # RFC 9211 §2.4
        if self.stored:
            value += "; stored"  # RFC 9211 §2.5
        return value + _rest(self.collapsed, self.detail)


def hit_value(ttl: int | None, collapsed: bool = False, detail: str | None = None) -> str:
    """The Cache-Status member of a hit (RFC 9211 §2.1): it went nowhere, so it has no fwd,
    fwd-status or stored to say."""
    value = _HIT if ttl is None else f"{_HIT}; ttl={ttl}"  # RFC 9211 §2.4
    if collapsed or detail is not None:
        value += _rest(collapsed, detail)
    return value


def _rest(collapsed: bool, detail: str | None) -> str:
    value = ""
    if collapsed:
        value += "; collapsed"  # RFC 9211 §2.6
    if detail is not None:
        value += f"; detail={_sf_string(detail)}"  # RFC 9211 §2.8
    return value


def _sf_string(text: str) -> str:
    """``text`` as a Structured Field String (RFC 9651 §4.1.6): printable ASCII only, so any
    other character becomes "?"; backslash and double quote escaped."""
    printable = "".join(c if " " <= c <= "~" else "?" for c in text)
    return '"' + printable.replace("\\", "\\\\").replace('"', '\\"') + '"'


class StatsCounter:
    """Counts outcomes (thread-safe: the sync shells may be shared by threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # hits, misses, revalidated, stored, stale_served, errors
        self._counts = [0, 0, 0, 0, 0, 0]

    def count(self, outcome: Outcome) -> None:
        if outcome.hit:
            return self.count_hit(outcome.stale)
        with self._lock:
            c = self._counts
            if outcome.revalidated:
                c[2] += 1
            elif outcome.fwd not in (None, "bypass", "method"):
                c[1] += 1
            c[3] += outcome.stored

    def count_hit(self, stale: bool) -> None:
        """A hit (``stale``: served stale); it went nowhere, so nothing else to count."""
        with self._lock:
            c = self._counts
            c[0] += 1
            c[4] += stale

    def error(self) -> None:
        with self._lock:
            self._counts[5] += 1

    def snapshot(self) -> CacheStats:
        with self._lock:
            return CacheStats(*self._counts)


class Marker:
    """Says on each response what happened, and counts it: the response extensions
    ``from_cache``, ``revalidated``, ``cache_metadata`` and ``cache_status``, and with
    ``header`` the Cache-Status field itself (RFC 9211 §2). ``hit`` says a hit without an
    ``Outcome`` (the most frequent answer, said the short way)."""

    __slots__ = ("_header", "_stats")

    def __init__(self, stats: StatsCounter, header: bool) -> None:
        self._stats = stats
        self._header = header

    def __call__(self, response: Response, outcome: Outcome, metadata: t.Any = None) -> Response:
        extensions = response.extensions
        extensions["from_cache"] = outcome.hit or outcome.revalidated
        extensions["revalidated"] = outcome.revalidated
        if metadata is not None:
            extensions["cache_metadata"] = metadata
        value = extensions["cache_status"] = outcome.field_value()
        if self._header:
            self._add_field(response, value)
        self._stats.count(outcome)
        return response

    def hit(
        self,
        response: Response,
        metadata: t.Any,
        ttl: int | None,
        stale: bool,
        collapsed: bool = False,
        detail: str | None = None,
    ) -> Response:
        """``self(response, Outcome(hit=True, ...), metadata)``, the short way."""
        extensions = response.extensions
        extensions["from_cache"] = True
        extensions["revalidated"] = False
        extensions["cache_metadata"] = metadata
        value = extensions["cache_status"] = hit_value(ttl, collapsed, detail)
        if self._header:
            self._add_field(response, value)
        self._stats.count_hit(stale)
        return response

    @staticmethod
    def _add_field(response: Response, value: str) -> None:
        field = (b"Cache-Status", value.encode("ascii"))  # RFC 9211 §2: this cache's, last
        headers = response.headers
        if response.origin is None and isinstance(headers, list):
            headers.append(field)  # a response the core built: its list is its own
        else:
            response.headers = [*headers, field]
