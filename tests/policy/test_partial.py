"""RFC 9111 §3.3 / §3.4, RFC 9110 §14.4: partial content stored, answered and combined."""

from __future__ import annotations

from typing import Any

import pytest

from hishel._policy import (
    Combined,
    DontStore,
    Part,
    Store,
    answer_partial,
    body_matches,
    combine,
    missing_range,
    received_part,
    storable_partial,
)
from hishel._policy._partial import ContentRange, parse_content_range, strong_validator
from tests.policy.helpers import date, last_modified, options, request, response, value_of

ETAG = 'ETag: "v1"'
CC = "Cache-Control: max-age=60"


def partial(first: int, last: int, length: int | str = 100, *extra: str) -> Any:
    size = last - first + 1
    return response(
        [
            CC,
            ETAG,
            f"Content-Range: bytes {first}-{last}/{length}",
            f"Content-Length: {size}",
            *extra,
        ],
        206,
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("bytes 0-499/1234", ContentRange(0, 499, 1234), id="9110-14.4-range"),
        pytest.param(
            "bytes 42-1233/*", ContentRange(42, 1233, None), id="9110-14.4-unknown-length"
        ),
        pytest.param("BYTES 0-0/1", ContentRange(0, 0, 1), id="9110-14.1-unit-case"),
        pytest.param("bytes */1234", None, id="9110-14.4-unsatisfied-form"),
        pytest.param("bytes 5-4/10", None, id="9110-14.4-last-before-first-invalid"),
        pytest.param("bytes 0-10/10", None, id="9110-14.4-length-not-past-last-invalid"),
        pytest.param("items 0-1/2", None, id="9110-14.4-other-unit"),
        pytest.param("bytes 0-1", None, id="9110-14.4-no-length"),
        pytest.param("bytes a-1/2", None, id="9110-14.4-not-digits"),
        pytest.param("bytes -1/2", None, id="9110-14.4-no-first"),
    ],
)
def test_parse_content_range(value: str, expected: ContentRange | None) -> None:
    assert parse_content_range(value) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        pytest.param(partial(0, 49), Part(0, 50, 100), id="9110-15.3.7.1-single-part"),
        pytest.param(partial(0, 49, "*"), None, id="9110-14.4-unknown-length-not-stored"),
        pytest.param(
            response([ETAG, "Content-Range: bytes 0-49/100", "Content-Length: 10"], 206),
            None,
            id="9110-8.6-length-mismatch",
        ),
        pytest.param(
            response([ETAG, "Content-Range: bytes 0-49/100", "Content-Range: bytes 0-1/100"], 206),
            None,
            id="9110-15.3.7-two-content-ranges",
        ),
        pytest.param(
            response([ETAG, "Content-Type: multipart/byteranges; boundary=x"], 206),
            None,
            id="9110-15.3.7.2-multipart-not-handled",
        ),
        pytest.param(response([ETAG, "Content-Range: bytes 0-49/100"]), None, id="9110-14.4-a-200"),
    ],
)
def test_received_part(head: Any, expected: Part | None) -> None:
    assert received_part(head) == expected


@pytest.mark.parametrize(
    ("lines", "strong"),
    [
        pytest.param([ETAG], True, id="9110-8.8.1-strong-etag"),
        pytest.param(['ETag: W/"v1"'], False, id="9110-8.8.1-weak-etag"),
        pytest.param([date(0), last_modified(10)], True, id="9110-8.8.2.2-lm-a-second-older"),
        pytest.param([date(0), last_modified(0)], False, id="9110-8.8.2.2-lm-same-second"),
        pytest.param([last_modified(10)], False, id="9110-8.8.2.2-lm-without-date"),
    ],
)
def test_strong_validator(lines: list[str], strong: bool) -> None:
    assert (strong_validator(response(lines)) is not None) is strong


@pytest.mark.parametrize(
    ("head", "method", "expect", "reason"),
    [
        pytest.param(partial(0, 49), "GET", Store, "max-age", id="9111-3.3-206-as-incomplete-200"),
        pytest.param(partial(0, 49), "HEAD", DontStore, "GET", id="9111-3.3-only-get"),
        pytest.param(partial(0, 49, "*"), "GET", DontStore, "range", id="9111-3.3-unknown-length"),
        pytest.param(
            response([CC, 'ETag: W/"v1"', "Content-Range: bytes 0-9/100"], 206),
            "GET",
            DontStore,
            "strong validator",
            id="9111-3.4-weak-validator",
        ),
        pytest.param(
            response(["Cache-Control: no-store", ETAG, "Content-Range: bytes 0-9/100"], 206),
            "GET",
            DontStore,
            "no-store",
            id="9111-3-storage-rules-still-apply",
        ),
    ],
)
def test_storable_partial(head: Any, method: str, expect: type, reason: str) -> None:
    decision = storable_partial(request((), method), head, options())
    assert isinstance(decision, expect), decision
    assert reason in decision.reason


PART = Part(0, 50, 100)


@pytest.mark.parametrize(
    ("lines", "answer"),
    [
        pytest.param(["Range: bytes=0-9"], (0, 10, "bytes 0-9/100"), id="9111-3.3-inside"),
        pytest.param(["Range: bytes=10-49"], (10, 50, "bytes 10-49/100"), id="9111-3.3-to-end"),
        pytest.param(["Range: bytes=40-59"], None, id="9111-3.3-crosses-end"),
        pytest.param(["Range: bytes=60-"], None, id="9111-3.3-outside"),
        pytest.param([], None, id="9111-3.3-full-request-not-from-part"),
        pytest.param(["Range: bytes=-10"], None, id="9110-14.1.2-suffix-outside"),
        pytest.param(["Range: bytes=0-1,5-6"], None, id="9110-14.2-several-ranges"),
        pytest.param(
            ["Range: bytes=0-9", 'If-Range: "v1"'],
            (0, 10, "bytes 0-9/100"),
            id="9110-13.1.5-if-range-holds",
        ),
        pytest.param(["Range: bytes=0-9", 'If-Range: "v2"'], None, id="9110-13.1.5-if-range-fails"),
    ],
)
def test_answer_partial(lines: list[str], answer: tuple[int, int, str] | None) -> None:
    stored = partial(0, 49)
    got = answer_partial(request(lines), stored, PART, stored.headers)
    if answer is None:
        assert got is None
        return
    assert got is not None
    assert (got.status, got.start, got.stop) == (206, answer[0], answer[1])
    assert value_of(got.headers, "content-range") == [answer[2]]
    assert value_of(got.headers, "content-length") == [str(answer[1] - answer[0])]


def test_answer_partial_offsets_into_a_part_not_at_zero() -> None:
    stored = partial(50, 99)
    got = answer_partial(
        request(["Range: bytes=60-69"]), stored, Part(50, 100, 100), stored.headers
    )
    assert got is not None and (got.start, got.stop) == (10, 20)


@pytest.mark.parametrize(
    ("lines", "part", "expected"),
    [
        pytest.param([], PART, "bytes=50-", id="9111-3.3-full-request-asks-the-rest"),
        pytest.param(["Range: bytes=40-79"], PART, "bytes=50-", id="9111-3.3-range-past-the-part"),
        pytest.param(["Range: bytes=0-9"], PART, None, id="9111-3.3-inside-needs-nothing"),
        pytest.param(["Range: bytes=60-70"], PART, None, id="9111-3.3-starts-outside"),
        pytest.param([], Part(10, 50, 100), None, id="9111-3.3-part-not-at-start"),
    ],
)
def test_missing_range(lines: list[str], part: Part, expected: str | None) -> None:
    assert missing_range(request(lines), part) == expected


def test_body_matches() -> None:
    assert body_matches(PART, 50) and not body_matches(PART, 49)


def test_9111_3_4_combine_into_complete_200() -> None:
    got = combine(partial(0, 49), PART, partial(50, 99, 100, "X-New: 1"), options())
    assert isinstance(got, Combined)
    assert (got.status, got.part) == (200, Part(0, 100, 100))
    assert got.pieces == (("stored", 0, 50), ("new", 0, 50))
    assert value_of(got.headers, "content-length") == ["100"]
    assert value_of(got.headers, "content-range") == []
    assert value_of(got.headers, "x-new") == ["1"]  # RFC 9111 §3.4: new header fields


def test_9111_3_4_combine_overlapping_still_partial() -> None:
    got = combine(partial(10, 49), Part(10, 50, 100), partial(40, 59), options())
    assert isinstance(got, Combined)
    assert (got.status, got.part) == (206, Part(10, 60, 100))
    assert got.pieces == (("stored", 0, 40), ("new", 10, 20))
    assert value_of(got.headers, "content-range") == ["bytes 10-59/100"]
    assert value_of(got.headers, "content-length") == ["50"]


def test_9111_3_4_combine_new_part_before_stored() -> None:
    got = combine(partial(50, 99), Part(50, 100, 100), partial(0, 59), options())
    assert isinstance(got, Combined)
    assert got.pieces == (("new", 0, 60), ("stored", 10, 50))
    assert got.status == 200


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        pytest.param(
            response([CC, 'ETag: "v2"', "Content-Range: bytes 50-99/100"], 206),
            "validators differ",
            id="9111-3.4-other-strong-validator",
        ),
        pytest.param(
            response([CC, 'ETag: W/"v1"', "Content-Range: bytes 50-99/100"], 206),
            "validators differ",
            id="9111-3.4-weak-never-combined",
        ),
        pytest.param(partial(50, 149, 200), "lengths differ", id="9110-14.4-other-length"),
        pytest.param(partial(60, 99), "do not touch", id="9111-3.4-gap"),
        pytest.param(
            response([CC, ETAG, "Content-Range: bytes 50-40/100"], 206),
            "invalid",
            id="9110-14.4-invalid-never-recombined",
        ),
        pytest.param(
            response([CC, ETAG, "Content-Range: bytes 50-99/100", "Content-Length: 3"], 206),
            "invalid",
            id="9110-14.4-length-mismatch-never-recombined",
        ),
        pytest.param(response([CC, ETAG]), "full 200", id="9110-15.3.7.3-full-200-replaces"),
    ],
)
def test_9111_3_4_combine_refused(new: Any, reason: str) -> None:
    got = combine(partial(0, 49), PART, new, options())
    assert isinstance(got, DontStore), got
    assert reason in got.reason
