"""Range requests answered from a stored complete response (RFC 9110 §14, RFC 9111 §3.4).

A cache holding a complete 200 may satisfy a GET for a single byte range itself, with a 206
and a Content-Range. Whatever it cannot do simply (several ranges, other units, an unknown
length, an If-Range that does not match strongly) is answered with the full 200, which RFC
9110 §14.2 allows ("a server MAY ignore the Range header field"). A range that starts past
the end is a 416 (RFC 9110 §15.5.17). ``storable`` never stores a 206, so a partial body is
never served as a complete one; the rules for partial entries are in ``_partial``.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._dates import parse_http_date
from ._messages import Headers, RequestHead, ResponseHead
from ._validation import parse_etag, strong_match

__all__ = ["UNSATISFIABLE", "RangeAnswer", "answer_range", "byte_range", "if_range_holds"]


@dataclass(frozen=True, slots=True)
class RangeAnswer:
    """How to answer a range request from a stored 200: status, headers, body slice.

    ``stop`` is exclusive; ``start == stop`` means no body (416).
    """

    status: int
    headers: Headers
    start: int
    stop: int


def _header(headers: Headers, name: str) -> list[str]:
    return [value for key, value in headers if key == name]


def if_range_holds(value: str, response: ResponseHead) -> bool:
    """RFC 9110 §13.1.5: a strong ETag match, or exactly the Last-Modified date."""
    value = value.strip()
    if value.startswith(('"', "W/")):
        etag = response.etag
        return etag is not None and strong_match(parse_etag(value), etag)
    since = parse_http_date(value)
    return since is not None and response.last_modified == since


UNSATISFIABLE = (-1, -1)


def byte_range(spec: str, length: int) -> tuple[int, int] | None:
    """(start, stop) of one ``bytes=`` range; None: ignore the header; or UNSATISFIABLE."""
    unit, _, ranges = spec.partition("=")
    if unit.strip().lower() != "bytes" or "," in ranges:
        return None  # RFC 9110 §14.2: other units, several ranges: serve the whole
    first, dash, last = ranges.strip().partition("-")
    if not dash or not (first.isdigit() or last.isdigit()):
        return None
    if not first:  # suffix range: the last N bytes (RFC 9110 §14.1.2)
        suffix = int(last)
        return (max(0, length - suffix), length) if suffix > 0 else UNSATISFIABLE
    start = int(first)
    if last and not last.isdigit():
        return None
    stop = min(int(last) + 1, length) if last else length
    if last and int(last) < start:
        return None  # RFC 9110 §14.1.1: invalid, ignore
    if start >= length:
        return UNSATISFIABLE  # RFC 9110 §14.1.1
    return start, stop


def answer_range(
    request: RequestHead, response: ResponseHead, headers: Headers
) -> RangeAnswer | None:
    """A 206 / 416 for ``request``'s Range from the stored ``response``; None: serve it whole.

    ``headers`` are the headers the whole response would be served with.
    """
    if request.method != "GET" or response.status != 200:
        return None  # RFC 9110 §14.2: Range applies to GET
    specs = _header(request.headers, "range")
    lengths = _header(response.headers, "content-length")
    if len(specs) != 1 or len(lengths) != 1 or not lengths[0].strip().isdigit():
        return None
    if_range = _header(request.headers, "if-range")
    if if_range and (len(if_range) != 1 or not if_range_holds(if_range[0], response)):
        return None  # RFC 9110 §13.1.5: the representation changed: send it whole
    length = int(lengths[0])
    found = byte_range(specs[0], length)
    if found is None:
        return None
    rest = tuple(item for item in headers if item[0] not in ("content-length", "content-range"))
    if found == UNSATISFIABLE:
        return RangeAnswer(  # RFC 9110 §15.5.17
            416, (*rest, ("content-range", f"bytes */{length}"), ("content-length", "0")), 0, 0
        )
    start, stop = found
    return RangeAnswer(  # RFC 9110 §15.3.7
        206,
        (
            *rest,
            ("content-range", f"bytes {start}-{stop - 1}/{length}"),
            ("content-length", str(stop - start)),
        ),
        start,
        stop,
    )
