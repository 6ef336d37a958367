"""Vary (RFC 9111 §4.1): which request fields select a stored response, and their values.

A stored response with ``Vary`` may answer a request only if every nominated field has the
same value in both requests after normalisation: several lines of one field combine into one
list, whitespace around commas and empty members go, values of case-insensitive fields
(codings, charsets, languages) are lower-cased. A field absent from one request matches only
if it is absent from the other. ``fingerprint`` turns those values into one string, so two
requests match iff their fingerprints are equal; the caller may hash it into a storage key.
``Vary: *`` never matches: its names are ``None``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._directives import split_members
from ._tables import VARY_CASE_INSENSITIVE

if TYPE_CHECKING:
    from ._messages import Headers, RequestHead, ResponseHead

__all__ = ["fingerprint", "vary_fingerprint", "vary_names"]


def fingerprint(headers: Headers, names: tuple[str, ...]) -> str:
    """The normalised values of ``names`` in ``headers``, one ``name:value`` line each."""
    if not names:
        return ""
    lines: list[str] = []
    for name in names:
        values = [v for n, v in headers if n == name]
        if not values:
            lines.append(name)  # absent: no ":" (RFC 9111 §4.1)
            continue
        value = ",".join(m for v in values for m in split_members(v))  # RFC 9111 §4.1
        if name in VARY_CASE_INSENSITIVE:
            value = value.lower()  # RFC 9111 §4.1: case-normalisation
        lines.append(f"{name}:{value}")
    return "\n".join(lines)


def vary_names(response: ResponseHead) -> tuple[str, ...] | None:
    """The response's Vary field names (lower-case, de-duplicated, in order).

    ``()`` without Vary; ``None`` when ``*`` is listed (RFC 9111 §4.1: never matches).
    """
    return response.vary


def vary_fingerprint(request: RequestHead, names: tuple[str, ...]) -> str:
    """A normalised string of ``request``'s values for ``names`` (RFC 9111 §4.1).

    Two requests match on ``names`` iff their fingerprints are equal.
    """
    return fingerprint(request.headers, names)
