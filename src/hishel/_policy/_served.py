"""What a served response carries: Age (RFC 9111 §5.1), Date (RFC 9110 §6.6.1), content.

In: "a cache encountering a message with multiple Age field lines SHOULD use the first field
line, discarding subsequent ones" (§5.1), and "if the field value ... is invalid (e.g., it
contains a list or something other than a non-negative integer), a cache SHOULD consider the
response to be stale" (§5.1): an invalid Age reads as ``MAX_DELTA``, the largest age there is.
Out: a response served from storage carries "Age" set to its current age in integer seconds
(§4, §5.1), and "a recipient with a clock that receives a response message without a Date
header field MUST record the time it was received and append a corresponding Date header
field to the message's header section" (RFC 9110 §6.6.1), the time it was received being
the best estimate of when it was generated. Content: "Responses to the HEAD request method
never include content" and "all 1xx (Informational), 204 (No Content), and 304 (Not Modified)
responses do not include content" (RFC 9110 §6.4.1); nor does the 416 this cache cuts from a
stored response (RFC 9110 §15.5.17).
"""

from __future__ import annotations

from collections.abc import Sequence

from ._dates import format_http_date
from ._directives import delta_seconds
from ._freshness import current_age
from ._messages import Headers, ResponseHead, StoredHead
from ._tables import MAX_DELTA, NO_CONTENT_STATUSES

__all__ = [
    "carries_body",
    "parse_age",
    "served_fields",
    "served_headers",
    "with_age",
    "with_date",
]


def parse_age(lines: Sequence[str]) -> int | None:
    """The Age of a message from its Age field lines: ``None`` when absent, ``MAX_DELTA``
    when the first line is not one non-negative integer."""
    if not lines:
        return None
    age = delta_seconds(lines[0].strip())  # RFC 9111 §5.1: the first field line
    return MAX_DELTA if age is None else age  # RFC 9111 §5.1: invalid: consider it stale


def with_age(headers: Headers, age: float) -> Headers:
    """``headers`` with every Age line replaced by one carrying ``age`` (RFC 9111 §5.1)."""
    served = min(int(age), MAX_DELTA)  # RFC 9111 §5.1, §1.3: integer seconds, saturated
    return (*[item for item in headers if item[0] != "age"], ("age", str(served)))


def with_date(stored: StoredHead, headers: Headers) -> Headers:
    """``headers`` with a Date of when ``stored`` was received, when it has none."""
    return _dated(stored.response, stored.response_time, headers)


def _dated(response: ResponseHead, received: float, headers: Headers) -> Headers:
    if response.date is not None or any(name == "date" for name, _ in headers):
        return headers
    return (*headers, ("date", format_http_date(received)))  # RFC 9110 §6.6.1


def without_age(response: ResponseHead, received: float) -> Headers:
    """The headers of ``response``, stored and received at ``received``, as every use
    serves them, less Age: Date present (RFC 9110 §6.6.1), Age lines left out (each use
    sets its own, §5.1). ``StoredHead`` built by ``_heads`` holds them (``served``)."""
    headers = _dated(response, received, response.headers)
    for name, _ in headers:
        if name == "age":
            return tuple([item for item in headers if item[0] != "age"])
    return headers  # (the usual: no Age line, the same tuple)


def served_fields(stored: StoredHead) -> Headers:
    """``stored.served``, or (a head built without it) the same made now."""
    return stored.served or without_age(stored.response, stored.response_time)


def served_headers(stored: StoredHead, now: float) -> Headers:
    """The stored response's headers as served at ``now``: Age set, Date present (§4)."""
    return (*served_fields(stored), ("age", str(min(int(current_age(stored, now)), MAX_DELTA))))


def carries_body(method: str, status: int) -> bool:
    """Whether a response with ``status`` served for ``method`` has content (RFC 9110 §6.4.1)."""
    if method == "HEAD":
        return False  # RFC 9110 §6.4.1, §9.3.2
    return status >= 200 and status not in NO_CONTENT_STATUSES  # RFC 9110 §6.4.1
