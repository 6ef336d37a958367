"""Partial content (RFC 9111 §3.3, §3.4; RFC 9110 §14.4, §15.3.7): store, answer, combine.

"A 206 (Partial Content) response MAY be stored as if it were an incomplete 200 (OK)
response. However, a cache MUST NOT store incomplete or partial-content responses if it does
not support the Range and Content-Range header fields or if it does not understand the range
units used in those fields" (§3.3): only one ``bytes`` range with a known complete length,
and a strong validator, so that parts can be told apart. "A cache MUST NOT use an incomplete
response to answer requests unless the response has been made complete, or the request is
partial and specifies a range wholly within the incomplete response" (§3.3). "A cache MAY
complete a stored incomplete response by making a subsequent range request and combining the
successful response with the stored response" (§3.3), here ``Range: bytes=N-`` from the end
of what is stored. "A cache MAY combine these ranges into a single stored response ... if they
all share the same strong validator" (§3.4), and "a cache MUST update the stored response
header fields using the header fields provided in the new response" (§3.4), except
Content-Range. "A Content-Range field value is invalid if it contains a range-resp that has a
last-pos value less than its first-pos value, or a complete-length value less than or equal
to its last-pos value. The recipient of an invalid Content-Range MUST NOT attempt to
recombine the received content with a stored representation" (RFC 9110 §14.4). A Last-Modified
is a strong validator only with a Date at least one second later (RFC 9110 §8.8.2.2). These
are decisions on heads; the flow checks that a body has the length its part announces
(``body_matches``) and discards a part that does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ._decisions import DontStore, Store
from ._messages import EntityTag, Headers, RequestHead, ResponseHead, revised
from ._options import PolicyOptions
from ._ranges import UNSATISFIABLE, RangeAnswer, byte_range, if_range_holds
from ._storable import kept_headers, storable
from ._tables import NOT_UPDATED_FROM_304
from ._validation import strong_match

__all__ = [
    "Combined",
    "ContentRange",
    "Part",
    "answer_partial",
    "body_matches",
    "combine",
    "missing_range",
    "parse_content_range",
    "received_part",
    "storable_partial",
    "strong_validator",
]


@dataclass(frozen=True, slots=True)
class ContentRange:
    """``bytes first-last/length`` (RFC 9110 §14.4); ``length`` is ``None`` for ``*``."""

    first: int
    last: int
    length: int | None


@dataclass(frozen=True, slots=True)
class Part:
    """Bytes ``start`` to ``stop`` (exclusive) of a representation ``length`` bytes long."""

    start: int
    stop: int
    length: int

    @property
    def complete(self) -> bool:
        return self.start == 0 and self.stop == self.length


def _digits(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def parse_content_range(value: str) -> ContentRange | None:
    """A byte range-resp, or ``None``: another unit, the unsatisfied form, or invalid."""
    unit, sep, rest = value.strip().partition(" ")
    if not sep or unit.lower() != "bytes":
        return None  # RFC 9110 §14.4: a unit we do not understand: never recombined
    span, slash, complete = rest.strip().partition("/")
    first_text, dash, last_text = span.partition("-")
    first, last = _digits(first_text), _digits(last_text)
    if not slash or not dash or first is None or last is None:
        return None
    length = None if complete == "*" else _digits(complete)
    if complete != "*" and length is None:
        return None
    if last < first or (length is not None and length <= last):
        return None  # RFC 9110 §14.4: invalid
    return ContentRange(first, last, length)


def _values(headers: Headers, name: str) -> list[str]:
    return [value for key, value in headers if key == name]


def received_part(response: ResponseHead) -> Part | None:
    """The part a 206 carries, when it can be stored or combined (RFC 9110 §15.3.7.1)."""
    if response.status != 206:
        return None
    ranges = _values(response.headers, "content-range")
    if len(ranges) != 1:
        return None  # RFC 9110 §15.3.7.1: one Content-Range (multipart is not handled)
    found = parse_content_range(ranges[0])
    if found is None or found.length is None:
        return None  # RFC 9110 §14.4: invalid, other unit, or unknown complete length
    lengths = _values(response.headers, "content-length")
    size = found.last - found.first + 1
    if lengths and (len(lengths) != 1 or _digits(lengths[0].strip()) != size):
        return None  # RFC 9110 §8.6: the length must be the range's
    return Part(found.first, found.last + 1, found.length)


def strong_validator(response: ResponseHead) -> EntityTag | int | None:
    """A strong ETag, else a Last-Modified at least 1 s before Date (RFC 9110 §8.8.2.2)."""
    etag = response.etag
    if etag is not None and not etag.weak:
        return etag
    modified, date = response.last_modified, response.date
    if etag is None and modified is not None and date is not None and date - modified >= 1:
        return modified  # RFC 9110 §8.8.2.2
    return None


def _same_strong(one: ResponseHead, other: ResponseHead) -> bool:
    a, b = strong_validator(one), strong_validator(other)
    if isinstance(a, EntityTag) and isinstance(b, EntityTag):
        return strong_match(a, b)  # RFC 9110 §8.8.3.2
    return isinstance(a, int) and isinstance(b, int) and a == b


def body_matches(part: Part, size: int) -> bool:
    """Whether a received body of ``size`` bytes is the part its head announced."""
    return size == part.stop - part.start


def storable_partial(
    request: RequestHead, response: ResponseHead, options: PolicyOptions
) -> Store | DontStore:
    """Whether a 206 may be stored as a partial entry (RFC 9111 §3.3)."""
    if request.method != "GET":
        return DontStore("a partial response to a method other than GET")  # RFC 9111 §3.3
    if received_part(response) is None:
        return DontStore("not a single byte range of known length")  # RFC 9111 §3.3
    if strong_validator(response) is None:
        return DontStore("partial content without a strong validator")  # RFC 9111 §3.4
    as_200 = revised(response, status=200)  # RFC 9111 §3.3: "as if it were an incomplete 200 (OK)"
    return storable(request, as_200, options)


def _wanted(request: RequestHead, length: int) -> tuple[int, int] | None:
    """The one byte range the request asks for, whole when it has no Range; else ``None``."""
    specs = _values(request.headers, "range")
    if not specs:
        return 0, length
    found = byte_range(specs[0], length) if len(specs) == 1 else None
    return None if found is None or found == UNSATISFIABLE else found


def answer_partial(
    request: RequestHead, stored: ResponseHead, part: Part, headers: Headers
) -> RangeAnswer | None:
    """A 206 cut from a stored part for a range wholly within it (RFC 9111 §3.3), or None.

    ``start`` / ``stop`` of the answer are offsets into the stored part's body; ``headers``
    are the headers the stored part would be served with.
    """
    if request.method != "GET" or not _values(request.headers, "range"):
        return None  # RFC 9111 §3.3: only a partial request, unless the part is complete
    if_range = _values(request.headers, "if-range")
    if if_range and (len(if_range) != 1 or not if_range_holds(if_range[0], stored)):
        return None  # RFC 9110 §13.1.5
    wanted = _wanted(request, part.length)
    if wanted is None or wanted[0] < part.start or wanted[1] > part.stop:
        return None  # RFC 9111 §3.3: not wholly within what is stored
    start, stop = wanted
    rest = tuple(item for item in headers if item[0] not in ("content-length", "content-range"))
    return RangeAnswer(  # RFC 9110 §15.3.7
        206,
        (
            *rest,
            ("content-range", f"bytes {start}-{stop - 1}/{part.length}"),
            ("content-length", str(stop - start)),
        ),
        start - part.start,
        stop - part.start,
    )


def missing_range(request: RequestHead, part: Part) -> str | None:
    """The ``Range`` to ask the origin for so that the stored part answers ``request``.

    ``bytes=N-`` from the end of the part, when the request starts inside it and wants more
    (RFC 9111 §3.3); ``None`` when the stored part does not help (send the request as is).
    """
    wanted = _wanted(request, part.length)
    if wanted is None or not part.start <= wanted[0] < part.stop or wanted[1] <= part.stop:
        return None
    return f"bytes={part.stop}-"  # RFC 9111 §3.3


Piece = tuple[Literal["stored", "new"], int, int]


@dataclass(frozen=True, slots=True)
class Combined:
    """A stored part and a new part made one (RFC 9111 §3.4).

    ``status`` is 200 once the representation is complete, else 206; ``headers`` the combined
    head; ``pieces`` the body to write, in order, as (which body, start, stop) offsets.
    """

    reason: str
    part: Part
    status: int
    headers: Headers
    pieces: tuple[Piece, ...]


def combine(
    stored: ResponseHead, stored_part: Part, new: ResponseHead, options: PolicyOptions
) -> Combined | DontStore:
    """Combine a new 206 with the stored part, or say why they must not be (§3.4).

    A ``DontStore`` means the parts are never combined: the stored part stays what it was
    (a full 200, stored the usual way, replaces it).
    """
    if new.status == 200:
        return DontStore("a full 200 replaces the stored part")  # RFC 9110 §15.3.7.3
    part = received_part(new)
    if part is None:
        return DontStore("invalid Content-Range: never recombined")  # RFC 9110 §14.4
    if not _same_strong(stored, new):
        return DontStore("strong validators differ: never combined")  # RFC 9111 §3.4
    if part.length != stored_part.length:
        return DontStore("complete lengths differ: never combined")  # RFC 9110 §14.4
    if part.start > stored_part.stop or part.stop < stored_part.start:
        return DontStore("the parts do not touch")
    spans: list[tuple[Literal["stored", "new"], Part]] = [("stored", stored_part), ("new", part)]
    spans.sort(key=lambda span: span[1].start)  # stable: the stored part first on a tie
    (first_name, first), (second_name, second) = spans
    pieces: list[Piece] = [(first_name, 0, first.stop - first.start)]
    if second.stop > first.stop:
        pieces.append((second_name, first.stop - second.start, second.stop - second.start))
    whole = Part(first.start, max(first.stop, second.stop), part.length)
    incoming = [i for i in kept_headers(new, options) if i[0] not in NOT_UPDATED_FROM_304]
    replaced = {name for name, _ in incoming} | {"content-range", "content-length", "age"}
    headers: list[tuple[str, str]] = [i for i in stored.headers if i[0] not in replaced]
    headers.extend(incoming)  # RFC 9111 §3.4, §3.2
    if whole.complete:
        headers.append(("content-length", str(whole.length)))
        return Combined("parts make the whole", whole, 200, tuple(headers), tuple(pieces))
    headers.append(("content-range", f"bytes {whole.start}-{whole.stop - 1}/{whole.length}"))
    headers.append(("content-length", str(whole.stop - whole.start)))
    return Combined("parts combined", whole, 206, tuple(headers), tuple(pieces))
