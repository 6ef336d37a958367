"""The parse step: heads built from raw header fields, each field parsed once, here.

``RequestHead(method, url, headers)``, ``ResponseHead(status, headers)`` and
``StoredHead(request, response, request_time, response_time)`` are the plain values of
``_messages`` with a constructor that fills their parsed views from the modules that own
each field: Cache-Control and Pragma (``_directives``, RFC 9111 §5.2, §5.4), dates
(``_dates``, RFC 9110 §5.6.7), Expires ("an invalid date ... represents a time in the past",
RFC 9111 §5.3), Age (``_served``, §5.1), validators (``_validation``, §4.3.1), Vary
(``_vary``, §4.1) and the corrected initial age (``_freshness``, §4.2.3). The caller keeps
the heads it builds (a stored entry keeps its own), so a message is parsed once.
"""

from __future__ import annotations

import typing as t

from . import _messages as messages
from ._dates import parse_http_date
from ._directives import parse_connection, parse_directives, parse_pragma_no_cache
from ._freshness import corrected_initial_age
from ._messages import EXPIRED, Headers
from ._served import parse_age, without_age
from ._validation import parse_etag, parse_etag_list
from ._vary import parse_content_language, parse_vary, vary_fingerprint

__all__ = ["RequestHead", "ResponseHead", "StoredHead"]

_REQUEST_FIELDS = frozenset(
    {"cache-control", "pragma", "authorization", "if-none-match", "if-modified-since", "range"}
)


def _collect(headers: Headers, wanted: t.Container[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in headers:
        if name in wanted:
            found.setdefault(name, []).append(value)
    return found


_REQUEST_DEFAULTS = messages.RequestHead("", "", ())[3:]

H = t.TypeVar("H", bound=tuple[t.Any, ...])


def _new(cls: type[H], values: t.Iterable[t.Any]) -> H:
    """A head of ``cls`` holding ``values`` (every field, in order), parsed already: the
    named tuple is made as a tuple, without running a constructor again."""
    return tuple.__new__(cls, values)


def _first_date(values: list[str] | None) -> int | None:
    return parse_http_date(values[0]) if values else None


def _expires(values: list[str] | None) -> float | None:
    if values is None:
        return None
    # RFC 9111 §5.3: an invalid value (or several lines, §4.2.1) is already expired
    parsed = parse_http_date(values[0]) if len(values) == 1 else None
    return EXPIRED if parsed is None else parsed


def _last_modified(lines: list[str]) -> tuple[int | None, str | None]:
    seconds = parse_http_date(lines[0])
    return seconds, (lines[0].strip() if seconds is not None else None)  # (for If-Modified-Since)


_RESPONSE_DEFAULTS = messages.ResponseHead(0, ())[2:]

_RESPONSE_VIEWS: dict[str, tuple[int, int, t.Callable[[list[str]], tuple[t.Any, ...]]]] = {
    # field: the views it fills (indices of ``messages.ResponseHead``), from its lines
    "cache-control": (2, 3, lambda lines: (parse_directives(lines, response=True),)),
    "date": (3, 4, lambda lines: (parse_http_date(lines[0]),)),
    "expires": (4, 5, lambda lines: (_expires(lines),)),  # RFC 9111 §5.3
    "age": (5, 6, lambda lines: (parse_age(lines),)),  # RFC 9111 §5.1
    "etag": (6, 7, lambda lines: (parse_etag(lines[0]),)),
    "last-modified": (7, 9, _last_modified),
    "vary": (9, 10, lambda lines: (parse_vary(lines),)),
    "connection": (10, 11, lambda lines: (parse_connection(lines),)),
    "content-language": (11, 12, lambda lines: (parse_content_language(lines),)),
}


class RequestHead(messages.RequestHead):
    """A request head parsed from ``headers`` (see ``_messages.RequestHead``)."""

    __slots__ = ()

    def __new__(cls, method: str, url: str, headers: Headers) -> RequestHead:
        found = _collect(headers, _REQUEST_FIELDS)
        if not found:  # no field the policy reads: every parsed view is its default
            return _new(cls, (method, url, headers, *_REQUEST_DEFAULTS))
        cc = found.get("cache-control", [])
        inm = found.get("if-none-match")
        ims = found.get("if-modified-since", [])
        return _new(
            cls,
            (
                method,
                url,
                headers,
                parse_directives(cc, response=False),  # cache_control
                # pragma_no_cache; RFC 9111 §5.4: Pragma counts only without Cache-Control
                not cc and parse_pragma_no_cache(found.get("pragma", [])),
                "authorization" in found,  # authorization
                parse_etag_list(inm) if inm else None,  # if_none_match
                _first_date(ims) if len(ims) == 1 else None,  # if_modified_since, RFC 9110 §13.1.3
                "range" in found,  # ranged
            ),
        )

    def __reduce__(self) -> tuple[t.Any, ...]:
        return _new, (type(self), tuple(self))


class ResponseHead(messages.ResponseHead):
    """A response head parsed from ``headers`` (see ``_messages.ResponseHead``).

    With ``previous`` (other heads of the same response parsed from their headers: the
    stored one a 304 or a HEAD freshens, and the 304 itself for the freshened head), a
    parsed view whose field lines are the same in one of them is taken from it instead of
    parsed again: each view depends on its own field's lines only. They are looked at in
    order, each only when the ones before it lack a field's lines (so the likeliest first).
    """

    __slots__ = ()

    def __new__(
        cls, status: int, headers: Headers, *previous: messages.ResponseHead
    ) -> ResponseHead:
        found = _collect(headers, _RESPONSE_VIEWS)
        values = [status, headers, *_RESPONSE_DEFAULTS]  # a field absent: its default view
        if not previous:
            for name, lines in found.items():  # (the usual: two or three fields)
                start, stop, parse = _RESPONSE_VIEWS[name]
                values[start:stop] = parse(lines)
            return _new(cls, values)
        for head in previous:
            if not found:
                break
            before = _collect(head.headers, _RESPONSE_VIEWS)
            for name, lines in list(found.items()):
                if before.get(name) == lines:  # the same lines: the same views, as they are
                    start, stop, _ = _RESPONSE_VIEWS[name]
                    values[start:stop] = head[start:stop]
                    del found[name]
        for name, lines in found.items():  # (lines in none of them)
            start, stop, parse = _RESPONSE_VIEWS[name]
            values[start:stop] = parse(lines)
        return _new(cls, values)

    def __reduce__(self) -> tuple[t.Any, ...]:
        return _new, (type(self), tuple(self))


class StoredHead(messages.StoredHead):
    """A stored head with its corrected initial age, Vary key and served headers computed
    once."""

    __slots__ = ()

    def __new__(
        cls,
        request: messages.RequestHead,
        response: messages.ResponseHead,
        request_time: float,
        response_time: float,
    ) -> StoredHead:
        names = response.vary
        return _new(
            cls,
            (
                request,
                response,
                request_time,
                response_time,
                corrected_initial_age(response, request_time, response_time),  # RFC 9111 §4.2.3
                None if names is None else vary_fingerprint(request, names),  # RFC 9111 §4.1
                without_age(response, response_time),  # RFC 9110 §6.6.1, RFC 9111 §5.1
            ),
        )

    def __reduce__(self) -> tuple[t.Any, ...]:
        return _new, (type(self), tuple(self))
