"""The heads the policy reasons about: frozen, slotted, without bodies.

Header names are lower-cased once, at construction; values are kept as ``str`` (latin-1),
in arrival order, duplicates preserved. Parsed views (Cache-Control, dates, validators) are
computed once in ``build`` and kept on the head, so no policy function re-parses a string.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

Headers = tuple[tuple[str, str], ...]
"""Header fields as ``(lower-case name, value)`` pairs in arrival order."""


def normalise_headers(raw: Iterable[tuple[bytes | str, bytes | str]]) -> Headers:
    """Turn raw header pairs (bytes or str) into ``Headers``."""
    out: list[tuple[str, str]] = []
    for name, value in raw:
        n = name.decode("latin-1") if isinstance(name, bytes) else name
        v = value.decode("latin-1") if isinstance(value, bytes) else value
        out.append((n.lower(), v))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class RequestHead:
    """A request as the policy sees it: method (upper-case), absolute URL, headers."""

    method: str
    url: str
    headers: Headers


@dataclass(frozen=True, slots=True)
class ResponseHead:
    """A response as the policy sees it: status and headers."""

    status: int
    headers: Headers


@dataclass(frozen=True, slots=True)
class StoredHead:
    """A stored response with the request that caused it and the two clock readings of §4.2.3.

    ``request_time`` is when the request that produced the response was sent and
    ``response_time`` when its response was received (epoch seconds, cache clock).
    """

    request: RequestHead
    response: ResponseHead
    request_time: float
    response_time: float
