"""The values the policy reasons about: immutable, without bodies, without behaviour.

This module is the leaf of the policy: it imports nothing from it. A head holds the raw
message (header names lower-cased, values ``str`` in arrival order, duplicates kept) and the
parsed views of the fields the policy reads; the parsing itself lives with the module that
owns each field, and ``_heads`` runs it once when a head is built from raw headers. What an
origin gets wrong has already degraded there (an invalid Expires is ``EXPIRED``, an invalid
Date or Age is ``None``), so no policy function re-parses a string. Built here directly, a
head takes its parsed views as given (the defaults say "nothing parsed"); callers build heads
from raw headers with ``hishel._policy.RequestHead`` / ``ResponseHead`` / ``StoredHead``.
The heads and ``CacheDirectives`` are named tuples (a frozen dataclass is several times
slower to build, and one is built per message); ``EntityTag`` is a frozen dataclass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = [
    "EXPIRED",
    "NO_DIRECTIVES",
    "CacheDirectives",
    "EntityTag",
    "Headers",
    "RequestHead",
    "ResponseHead",
    "StoredHead",
    "normalise_headers",
    "revised",
]

Headers = tuple[tuple[str, str], ...]
"""Header fields as ``(lower-case name, value)`` pairs in arrival order."""

EXPIRED = float("-inf")
"""``ResponseHead.expires`` of an invalid Expires: a time in the past (RFC 9111 §5.3)."""


def normalise_headers(raw: Iterable[tuple[bytes | str, bytes | str]]) -> Headers:
    """Turn raw header pairs (bytes or str) into ``Headers``."""
    if not isinstance(raw, (list, tuple)):
        raw = list(raw)  # (read twice when str pairs are among them)
    try:  # (the usual: a host's byte pairs)
        return tuple([(n.decode("latin-1").lower(), v.decode("latin-1")) for n, v in raw])  # type: ignore[union-attr]
    except AttributeError:  # str among them
        pass
    out: list[tuple[str, str]] = []
    for name, value in raw:
        n = name.decode("latin-1") if isinstance(name, bytes) else name
        v = value.decode("latin-1") if isinstance(value, bytes) else value
        out.append((n.lower(), v))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class EntityTag:
    """An entity-tag (RFC 9110 §8.8.3): ``opaque`` keeps its double quotes."""

    weak: bool
    opaque: str


class CacheDirectives(NamedTuple):
    """The cache directives of one message (request or response), RFC 9111 §5.2.

    Delta-seconds are ``int`` or ``None`` when absent; a bare request ``max-stale`` is
    ``MAX_DELTA`` (any staleness, §5.2.1.2). ``no_cache`` / ``private`` are true for both
    the bare and the qualified form; ``*_fields`` hold the field names of the qualified form
    and are empty when the bare form is present anywhere (the most restrictive wins).
    Immutable like the other values here, but a named tuple: every response head builds
    one, and a tuple is built four times faster than a 19-field frozen dataclass.
    """

    present: bool = False
    max_age: int | None = None
    s_maxage: int | None = None
    max_stale: int | None = None
    min_fresh: int | None = None
    stale_while_revalidate: int | None = None
    stale_if_error: int | None = None
    no_cache: bool = False
    no_cache_fields: tuple[str, ...] = ()
    private: bool = False
    private_fields: tuple[str, ...] = ()
    no_store: bool = False
    no_transform: bool = False
    only_if_cached: bool = False
    must_revalidate: bool = False
    must_understand: bool = False
    proxy_revalidate: bool = False
    public: bool = False
    immutable: bool = False


NO_DIRECTIVES = CacheDirectives()


def _same(head: tuple[object, ...], other: object, n: int) -> bool:
    """Heads are equal as the values they were built from (their parsed views follow from
    those), and only to a head of the same class (never to a plain tuple)."""
    return other.__class__ is head.__class__ and head[:n] == other[:n]


def _shown(head: tuple[object, ...], names: tuple[str, ...]) -> str:
    shown = ", ".join(f"{name}={value!r}" for name, value in zip(names, head, strict=False))
    return f"{type(head).__qualname__}({shown})"


class RequestHead(NamedTuple):
    """A request as the policy sees it: method (upper-case), absolute URL, headers.

    Parsed views: ``cache_control`` (§5.2.1); ``pragma_no_cache`` (``Pragma: no-cache`` in a
    request without Cache-Control, §5.4); ``authorization`` (present, §3.5);
    ``if_none_match`` (entity tags, ``None`` when absent) and ``if_modified_since`` (epoch
    seconds; ``None`` when absent, invalid or repeated, RFC 9110 §13.1.3); ``ranged`` (a
    Range field is present, RFC 9110 §14.2).
    Heads compare, hash and print as ``method``, ``url`` and ``headers`` only. Immutable
    like the other values here, but a named tuple, as every head is: one is built for
    nearly every message, and a tuple is built several times faster than a frozen
    dataclass.
    """

    method: str
    url: str
    headers: Headers
    cache_control: CacheDirectives = NO_DIRECTIVES
    pragma_no_cache: bool = False
    authorization: bool = False
    if_none_match: tuple[EntityTag, ...] | None = None
    if_modified_since: int | None = None
    ranged: bool = False

    def __eq__(self, other: object) -> bool:
        return _same(self, other, 3)

    def __ne__(self, other: object) -> bool:
        return not _same(self, other, 3)

    def __hash__(self) -> int:
        return hash(self[:3])

    def __repr__(self) -> str:
        return _shown(self, ("method", "url", "headers"))


class ResponseHead(NamedTuple):
    """A response as the policy sees it: status and headers.

    Parsed views: ``cache_control`` (§5.2.2); ``date`` and ``last_modified`` (epoch seconds,
    ``None`` when absent or invalid) with ``last_modified_value`` (its text, for
    If-Modified-Since); ``expires`` (``None`` when absent, ``EXPIRED`` when invalid or
    repeated, §5.3); ``age`` (``None`` when absent or invalid, §5.1); ``etag``; ``vary``
    (names, ``None`` for ``*``); ``connection`` (the field names ``Connection`` lists);
    ``content_language`` (language tags, lower-case).
    Heads compare, hash and print as ``status`` and ``headers`` only.
    """

    status: int
    headers: Headers
    cache_control: CacheDirectives = NO_DIRECTIVES
    date: int | None = None
    expires: float | None = None
    age: int | None = None
    etag: EntityTag | None = None
    last_modified: int | None = None
    last_modified_value: str | None = None
    vary: tuple[str, ...] | None = ()
    connection: frozenset[str] = frozenset()
    content_language: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        return _same(self, other, 2)

    def __ne__(self, other: object) -> bool:
        return not _same(self, other, 2)

    def __hash__(self) -> int:
        return hash(self[:2])

    def __repr__(self) -> str:
        return _shown(self, ("status", "headers"))


def revised(response: ResponseHead, **changes: Any) -> ResponseHead:
    """``response`` with ``changes`` made, every other parsed view kept as it is (the
    parsing constructor of ``_heads`` is not run again)."""
    unknown = changes.keys() - ResponseHead._fields
    if unknown:
        raise TypeError(f"no such view of a response head: {', '.join(sorted(unknown))}")
    return response._replace(**changes)


class StoredHead(NamedTuple):
    """A stored response with the request that caused it and the two clock readings of §4.2.3.

    ``request_time`` is when the request that produced the response was sent and
    ``response_time`` when its response was received (epoch seconds, cache clock).
    ``initial_age`` is its corrected_initial_age (§4.2.3, whole seconds), ``vary_key`` the stored
    request's Vary fingerprint for the response's Vary names (``None`` for ``Vary: *``) and
    ``served`` the response's headers as every use serves them, less Age (Date present):
    what does not depend on the request, made once per stored head (``_heads``).
    Compares, hashes and prints as its first four fields.
    """

    request: RequestHead
    response: ResponseHead
    request_time: float
    response_time: float
    initial_age: int = 0
    vary_key: str | None = ""
    served: Headers = ()

    def __eq__(self, other: object) -> bool:
        return _same(self, other, 4)

    def __ne__(self, other: object) -> bool:
        return not _same(self, other, 4)

    def __hash__(self) -> int:
        return hash(self[:4])

    def __repr__(self) -> str:
        return _shown(self, ("request", "response", "request_time", "response_time"))
