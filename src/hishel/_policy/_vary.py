"""Vary (RFC 9111 §4.1): which request fields select a stored response, and their values.

A stored response with ``Vary`` may answer a request only if every nominated field has the
same value in both requests after normalisation: several lines of one field combine into one
list, whitespace around commas and empty members go, values of case-insensitive fields
(codings, charsets, languages) are lower-cased. A field absent from one request matches only
if it is absent from the other. ``vary_fingerprint`` turns those values into one string, so
two requests match iff their fingerprints are equal; the caller may hash it into a storage
key. ``Vary: *`` never matches: its names are ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._directives import split_members
from ._messages import RequestHead, ResponseHead
from ._tables import VARY_CASE_INSENSITIVE

__all__ = ["parse_vary", "vary_fingerprint", "vary_names"]


def parse_vary(values: Sequence[str]) -> tuple[str, ...] | None:
    """Vary field names, lower-cased and de-duplicated in order; ``None`` when ``*`` is listed."""
    names: list[str] = []
    for value in values:
        for member in split_members(value):
            name = member.lower()
            if name == "*":
                return None  # RFC 9111 §4.1: "*" always fails to match
            if name not in names:
                names.append(name)
    return tuple(names)


def vary_names(response: ResponseHead) -> tuple[str, ...] | None:
    """The response's Vary field names (lower-case, de-duplicated, in order).

    ``()`` without Vary; ``None`` when ``*`` is listed (RFC 9111 §4.1: never matches).
    """
    return response.vary


def vary_fingerprint(request: RequestHead, names: tuple[str, ...]) -> str:
    """A normalised string of ``request``'s values for ``names`` (RFC 9111 §4.1).

    Two requests match on ``names`` iff their fingerprints are equal: one ``name:value``
    line per name, a bare ``name`` when the field is absent.
    """
    if not names:
        return ""
    headers = request.headers
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
