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
from ._messages import Headers, StoredHead
from ._tables import MAX_DELTA, NO_CONTENT_STATUSES

__all__ = ["carries_body", "parse_age", "served_headers", "with_age", "with_date"]


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
    memo = _AGED.get(id(headers))  # the stored headers of an entry served again
    if memo is not None and memo[0] is headers and memo[1] == served:
        return memo[2]
    aged = (*[item for item in headers if item[0] != "age"], ("age", str(served)))
    if len(_AGED) >= 1024:  # (hot entries; bounded memory)
        _AGED.clear()
    _AGED[id(headers)] = (headers, served, aged)  # holds ``headers``: its id stays its own
    return aged


_AGED: dict[int, tuple[Headers, int, Headers]] = {}


def with_date(stored: StoredHead, headers: Headers) -> Headers:
    """``headers`` with a Date of when ``stored`` was received, when it has none."""
    if stored.response.date is not None or any(name == "date" for name, _ in headers):
        return headers
    return (*headers, ("date", format_http_date(stored.response_time)))  # RFC 9110 §6.6.1


def served_headers(stored: StoredHead, now: float) -> Headers:
    """The stored response's headers as served at ``now``: Age set, Date present (§4)."""
    return with_age(with_date(stored, stored.response.headers), current_age(stored, now))


def carries_body(method: str, status: int) -> bool:
    """Whether a response with ``status`` served for ``method`` has content (RFC 9110 §6.4.1)."""
    if method == "HEAD":
        return False  # RFC 9110 §6.4.1, §9.3.2
    return status >= 200 and status not in NO_CONTENT_STATUSES  # RFC 9110 §6.4.1
