"""The heads the policy reasons about: frozen, slotted, without bodies.

Header names are lower-cased once, at construction; values are kept as ``str`` (latin-1),
in arrival order, duplicates preserved. Parsed views (Cache-Control, dates, validators, Vary)
are computed once in ``__post_init__`` and kept on the head (``init=False`` fields), so no
policy function re-parses a string. Parsing never raises: what an origin gets wrong degrades
(an invalid Expires is already expired, an invalid Date or Age is ignored).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ._dates import parse_http_date
from ._directives import (
    NO_DIRECTIVES,
    CacheDirectives,
    EntityTag,
    delta_seconds,
    parse_connection,
    parse_directives,
    parse_etag,
    parse_etag_list,
    parse_pragma_no_cache,
    parse_vary,
)
from ._freshness import corrected_initial_age
from ._vary import fingerprint

Headers = tuple[tuple[str, str], ...]
"""Header fields as ``(lower-case name, value)`` pairs in arrival order."""

EXPIRED = float("-inf")
"""``ResponseHead.expires`` of an invalid Expires: a time in the past (RFC 9111 §5.3)."""


def normalise_headers(raw: Iterable[tuple[bytes | str, bytes | str]]) -> Headers:
    """Turn raw header pairs (bytes or str) into ``Headers``."""
    out: list[tuple[str, str]] = []
    for name, value in raw:
        n = name.decode("latin-1") if isinstance(name, bytes) else name
        v = value.decode("latin-1") if isinstance(value, bytes) else value
        out.append((n.lower(), v))
    return tuple(out)


def _collect(headers: Headers, wanted: frozenset[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in headers:
        if name in wanted:
            found.setdefault(name, []).append(value)
    return found


def _first_date(values: list[str] | None) -> int | None:
    return parse_http_date(values[0]) if values else None


_REQUEST_FIELDS = frozenset(
    {"cache-control", "pragma", "authorization", "if-none-match", "if-modified-since"}
)
_RESPONSE_FIELDS = frozenset(
    {"cache-control", "date", "expires", "age", "etag", "last-modified", "vary", "connection"}
)


@dataclass(frozen=True, slots=True)
class RequestHead:
    """A request as the policy sees it: method (upper-case), absolute URL, headers.

    Parsed once: ``cache_control`` (§5.2.1); ``pragma_no_cache`` (``Pragma: no-cache`` in a
    request without Cache-Control, §5.4); ``authorization`` (present, §3.5);
    ``if_none_match`` (entity tags, ``None`` when absent) and ``if_modified_since`` (epoch
    seconds; ``None`` when absent, invalid or repeated, RFC 9110 §13.1.3).
    """

    method: str
    url: str
    headers: Headers
    cache_control: CacheDirectives = field(init=False, repr=False, compare=False)
    pragma_no_cache: bool = field(init=False, repr=False, compare=False)
    authorization: bool = field(init=False, repr=False, compare=False)
    if_none_match: tuple[EntityTag, ...] | None = field(init=False, repr=False, compare=False)
    if_modified_since: int | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        found = _collect(self.headers, _REQUEST_FIELDS)
        cc = found.get("cache-control")
        directives = parse_directives(cc, response=False) if cc else NO_DIRECTIVES
        pragma = found.get("pragma")
        inm = found.get("if-none-match")
        ims = found.get("if-modified-since")
        setattr_ = object.__setattr__
        setattr_(self, "cache_control", directives)
        # RFC 9111 §5.4: Pragma counts only in a request without Cache-Control
        no_cache = pragma is not None and not cc and parse_pragma_no_cache(pragma)
        setattr_(self, "pragma_no_cache", no_cache)
        setattr_(self, "authorization", "authorization" in found)
        setattr_(self, "if_none_match", parse_etag_list(inm) if inm else None)
        setattr_(self, "if_modified_since", _first_date(ims) if ims and len(ims) == 1 else None)


@dataclass(frozen=True, slots=True)
class ResponseHead:
    """A response as the policy sees it: status and headers.

    Parsed once: ``cache_control`` (§5.2.2); ``date`` and ``last_modified`` (epoch seconds,
    ``None`` when absent or invalid); ``expires`` (``None`` when absent, ``EXPIRED`` when
    invalid or repeated, §5.3); ``age`` (first line, ``None`` when absent or not
    delta-seconds, §5.1); ``etag``; ``vary`` (names, ``None`` for ``*``); ``connection``
    (the field names ``Connection`` lists).
    """

    status: int
    headers: Headers
    cache_control: CacheDirectives = field(init=False, repr=False, compare=False)
    date: int | None = field(init=False, repr=False, compare=False)
    expires: float | None = field(init=False, repr=False, compare=False)
    age: int | None = field(init=False, repr=False, compare=False)
    etag: EntityTag | None = field(init=False, repr=False, compare=False)
    last_modified: int | None = field(init=False, repr=False, compare=False)
    last_modified_value: str | None = field(init=False, repr=False, compare=False)
    vary: tuple[str, ...] | None = field(init=False, repr=False, compare=False)
    connection: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        found = _collect(self.headers, _RESPONSE_FIELDS)
        cc = found.get("cache-control")
        expires_values = found.get("expires")
        expires: float | None = None
        if expires_values is not None:
            # RFC 9111 §5.3: an invalid value (or several lines, §4.2.1) is already expired
            parsed = parse_http_date(expires_values[0]) if len(expires_values) == 1 else None
            expires = EXPIRED if parsed is None else parsed
        age = found.get("age")
        etag = found.get("etag")
        last_modified = _first_date(found.get("last-modified"))
        vary = found.get("vary")
        connection = found.get("connection")
        setattr_ = object.__setattr__
        setattr_(
            self, "cache_control", parse_directives(cc, response=True) if cc else NO_DIRECTIVES
        )
        setattr_(self, "date", _first_date(found.get("date")))
        setattr_(self, "expires", expires)
        setattr_(self, "age", delta_seconds(age[0].strip()) if age else None)  # RFC 9111 §5.1
        setattr_(self, "etag", parse_etag(etag[0]) if etag else None)
        setattr_(self, "last_modified", last_modified)
        setattr_(
            self,
            "last_modified_value",
            found["last-modified"][0].strip() if last_modified is not None else None,
        )
        setattr_(self, "vary", parse_vary(vary) if vary else ())
        setattr_(self, "connection", parse_connection(connection) if connection else frozenset())


@dataclass(frozen=True, slots=True)
class StoredHead:
    """A stored response with the request that caused it and the two clock readings of §4.2.3.

    ``request_time`` is when the request that produced the response was sent and
    ``response_time`` when its response was received (epoch seconds, cache clock).

    Computed once: ``initial_age`` (corrected_initial_age, §4.2.3) and ``vary_key`` (the
    stored request's fingerprint for the response's Vary names, ``None`` for ``Vary: *``).
    """

    request: RequestHead
    response: ResponseHead
    request_time: float
    response_time: float
    initial_age: float = field(init=False, repr=False, compare=False)
    vary_key: str | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = self.response.vary
        object.__setattr__(
            self,
            "initial_age",
            corrected_initial_age(self.response, self.request_time, self.response_time),
        )
        object.__setattr__(
            self, "vary_key", None if names is None else fingerprint(self.request.headers, names)
        )
