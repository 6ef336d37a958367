"""Vary (RFC 9111 §4.1): which request fields select a stored response, and their values.

"The selecting header fields from two requests are defined to match if and only if those in
the first request can be transformed to those in the second request by applying any of:
adding or removing whitespace ...; combining multiple header field lines ...; normalizing
both header field values in a way that is known to have identical semantics ... (e.g.,
reordering field values when order is not significant; case-normalization ...)" (§4.1).
Every field: lines combined, whitespace around members gone; codings, charsets and languages
lower-cased. ``Accept-Encoding``: a set of codings, each with its canonical qvalue (order
carries no meaning, RFC 9110 §12.4.2). ``Accept-Language``: the set of acceptable ranges
(qvalue above 0), qvalues ignored; which stored language then answers is a choice by
qvalue: "when a selecting header field has a known mechanism for doing so (e.g., qvalues on
Accept and similar request header fields), that mechanism MAY be used to select a preferred
response. If such a mechanism is not available, or leads to equally preferred responses, the
most recent response (as determined by the Date header field) is used" (§4.1). A stored
response whose Content-Language is not the request's best choice (RFC 4647 §3.3.1 basic
filtering) is not selected. Other fields compare as they are, so variants stay apart where no
normalisation applies. "If ... a header field is absent from a request, it can only match
another request if it is also absent there"; ``Vary: *`` never matches: its names are
``None``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ._directives import split_members
from ._messages import RequestHead, ResponseHead, StoredHead
from ._tables import VARY_CASE_INSENSITIVE

__all__ = [
    "accept_language",
    "language_preferred",
    "parse_content_language",
    "parse_vary",
    "select_variant",
    "vary_fingerprint",
    "vary_names",
]


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


def parse_content_language(values: Sequence[str]) -> tuple[str, ...]:
    """The language tags of Content-Language (RFC 9110 §8.5), lower-cased."""
    return tuple(m.lower() for v in values for m in split_members(v))


def vary_names(response: ResponseHead) -> tuple[str, ...] | None:
    """The response's Vary field names (lower-case, de-duplicated, in order).

    ``()`` without Vary; ``None`` when ``*`` is listed (RFC 9111 §4.1: never matches).
    """
    return response.vary


def _qvalue(params: list[str]) -> float | None:
    """The ``q`` weight among a member's parameters (RFC 9110 §12.4.2); 1 when absent."""
    for param in params:
        name, sep, value = param.partition("=")
        if sep and name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return None
            return q if 0.0 <= q <= 1.0 else None
    return 1.0


def _weighted(value: str) -> tuple[tuple[str, float | None, str], ...]:
    """Members of a weighted list as (lower-case item, qvalue or None if invalid, raw)."""
    out = []
    for member in split_members(value):
        item, *params = member.split(";")
        raw = ";".join(p.strip() for p in member.lower().split(";"))
        out.append((item.strip().lower(), _qvalue(params), raw))
    return tuple(out)


def _encodings(value: str) -> str:
    members = set()
    for coding, q, raw in _weighted(value):
        if q is None:
            members.add(raw)  # an invalid weight: compare the member as it is
        else:
            members.add(coding if q == 1.0 else f"{coding};q={round(q, 3):g}")  # §12.4.2
    return ",".join(sorted(members))  # RFC 9111 §4.1: order is not significant


def _languages(value: str) -> str:
    ranges = {r for r, q, raw in _weighted(value) if q is None or q > 0}  # q=0: not acceptable
    return ",".join(sorted(ranges))  # RFC 9111 §4.1: a set; qvalues pick among variants


_NORMALISED: dict[str, Callable[[str], str]] = {
    "accept-encoding": _encodings,  # RFC 9110 §12.5.3
    "accept-language": _languages,  # RFC 9110 §12.5.4
}


def _normalised(name: str, values: tuple[str, ...]) -> str:
    """One field's lines as one normalised value (RFC 9111 §4.1)."""
    value = ",".join(m for v in values for m in split_members(v))  # RFC 9111 §4.1
    if name in VARY_CASE_INSENSITIVE:
        value = value.lower()  # RFC 9111 §4.1: case-normalisation
    normalise = _NORMALISED.get(name)
    return value if normalise is None else normalise(value)  # RFC 9111 §4.1: same semantics


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
        values = tuple(v for n, v in headers if n == name)
        if values:
            lines.append(f"{name}:{_normalised(name, values)}")
        else:
            lines.append(name)  # absent: no ":" (RFC 9111 §4.1)
    return "\n".join(lines)


def accept_language(request: RequestHead) -> tuple[tuple[str, float], ...]:
    """The request's language ranges with their qvalues (invalid weights count as 1)."""
    value = ",".join(v for n, v in request.headers if n == "accept-language")
    return tuple((r, 1.0 if q is None else q) for r, q, _ in _weighted(value))


def _weight(tag: str, ranges: tuple[tuple[str, float], ...]) -> float:
    """The qvalue of ``tag`` under ``ranges``: the longest matching range (RFC 4647 §3.3.1)."""
    best, length = 0.0, -1
    for range_, q in ranges:
        matches = range_ == "*" or tag == range_ or tag.startswith(range_ + "-")
        size = 0 if range_ == "*" else len(range_)
        if matches and size > length:
            best, length = q, size
    return best


def language_preferred(request: RequestHead, response: ResponseHead) -> bool:
    """Whether ``response``'s Content-Language is a best qvalue choice for ``request``.

    True when either side says nothing about languages (no Accept-Language, no
    Content-Language): there is no mechanism to choose by (RFC 9111 §4.1).
    """
    ranges = accept_language(request)
    tags = response.content_language
    if not ranges or not tags:
        return True
    top = max(q for _, q in ranges)
    return top > 0 and max(_weight(tag, ranges) for tag in tags) >= top


def select_variant(request: RequestHead, candidates: Sequence[StoredHead]) -> StoredHead | None:
    """The stored response, among those for the request's target, that answers it (§4.1).

    Only candidates whose Vary fields match are selected; among those, one whose
    Content-Language is the best choice by the request's qvalues, then the most recent by
    Date (then by receipt). ``None`` when nothing matches.
    """
    selected = []
    for stored in candidates:
        names = stored.response.vary
        if names is None or stored.vary_key is None:
            continue  # RFC 9111 §4.1: "*" always fails to match
        if vary_fingerprint(request, names) != stored.vary_key:
            continue  # RFC 9111 §4.1
        selected.append(stored)
    if not selected:
        return None
    ranges = accept_language(request)

    def rank(stored: StoredHead) -> tuple[float, float, float]:
        tags = stored.response.content_language
        q = max((_weight(tag, ranges) for tag in tags), default=0.0) if ranges else 0.0
        date = stored.response.date
        return (q, stored.response_time if date is None else date, stored.response_time)

    return max(selected, key=rank)  # RFC 9111 §4.1: qvalues, then the most recent
