"""The frozen decision values the policy answers with.

Reuse questions (``reuse``) answer with ``UseStored | Revalidate | Forward | GatewayTimeout``;
storage questions (``storable``) with ``Store | DontStore``; a 304 / HEAD update (``freshen``)
with ``Freshen | DontStore``. Each carries a short human ``reason`` for the DEBUG log line.

Every request gets one or more of them, so they are named tuples: immutable like a frozen
dataclass, built in a third of its time (a frozen dataclass sets each field through
``object.__setattr__``). ``_decision`` makes each equal only to a value of its own type, so
``Forward("x") != DontStore("x")`` and no decision equals a bare tuple.
"""

from __future__ import annotations

import typing as t

from ._messages import Headers

D = t.TypeVar("D", bound=tuple[t.Any, ...])


def _decision(cls: type[D]) -> type[D]:
    """``cls`` compared and hashed with its type: a decision, not a tuple."""

    def __eq__(self: tuple[t.Any, ...], other: object) -> bool:
        return type(other) is type(self) and tuple.__eq__(self, other)

    def __ne__(self: tuple[t.Any, ...], other: object) -> bool:
        return not __eq__(self, other)

    def __hash__(self: tuple[t.Any, ...]) -> int:
        return hash((type(self), *self))

    for name, method in (("__eq__", __eq__), ("__ne__", __ne__), ("__hash__", __hash__)):
        setattr(cls, name, method)
    return cls


@_decision
class UseStored(t.NamedTuple):
    """Serve the stored response without contacting the origin.

    ``status`` is the stored status, or 304 when the client's own conditional matched
    (RFC 9111 §4.3.2). ``fields`` are the header fields to serve but Age, and ``age`` its
    value (§5.1): ``headers`` puts them together. ``stale`` is true when the response is
    served stale (allowed by the request or options). ``ttl`` is its freshness left in
    seconds, negative when stale (RFC 9211 §2.4), counting a lifetime the user configured;
    None when it has no end (``force_cache`` without one). ``as_stored``: ``fields`` are the
    stored response's as every use serves them (``StoredHead.served``), so a caller holding
    those encoded needs only add Age.
    """

    reason: str
    status: int
    fields: Headers
    age: int
    stale: bool = False
    ttl: int | None = None
    as_stored: bool = False

    @property
    def headers(self) -> Headers:
        """The header fields to serve, Age last (RFC 9111 §5.1)."""
        return (*self.fields, ("age", str(self.age)))


@_decision
class Revalidate(t.NamedTuple):
    """Send a conditional request to the origin before using the stored response (§4.3.1).

    ``headers`` are the complete request headers to send (the client's, plus the cache's
    validators). ``fallback`` is what to serve if the origin cannot be reached (connection
    error, timeout) when serving stale is allowed; ``fallback_on_5xx`` also allows it when the
    origin answers 500, 502, 503 or 504 (RFC 5861 stale-if-error). ``background`` means the
    fallback is served now and the revalidation happens in the background (RFC 5861
    stale-while-revalidate); it is only set when ``fallback`` is set.
    """

    reason: str
    headers: Headers
    fallback: UseStored | None = None
    fallback_on_5xx: bool = False
    background: bool = False


@_decision
class Forward(t.NamedTuple):
    """Send the request to the origin unchanged; nothing stored may be used."""

    reason: str


@_decision
class GatewayTimeout(t.NamedTuple):
    """Answer 504 without contacting the origin (request ``only-if-cached``, §5.2.1.7)."""

    reason: str


@_decision
class Store(t.NamedTuple):
    """Store the response, with ``headers`` as the header fields to keep (§3.1)."""

    reason: str
    headers: Headers


@_decision
class DontStore(t.NamedTuple):
    """Do not store (or do not update) anything."""

    reason: str


@_decision
class Freshen(t.NamedTuple):
    """Replace the stored response's headers with ``headers`` (§3.2, §4.3.4, §4.3.5)."""

    reason: str
    headers: Headers


ReuseDecision = UseStored | Revalidate | Forward | GatewayTimeout
StoreDecision = Store | DontStore
FreshenDecision = Freshen | DontStore
