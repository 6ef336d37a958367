"""Range requests answered from a stored 200 (RFC 9110 §14, §13.1.5, §15.3.7, §15.5.17)."""

from __future__ import annotations

import pytest

from hishel._policy import answer_range

from .helpers import http_date, last_modified, request, response

STORED = ["Content-Length: 1000", 'ETag: "v1"', last_modified(3600), "Content-Type: text/plain"]

ROWS = [
    # (request lines, method, expected (status, start, stop, content-range) or None)
    (["Range: bytes=0-99"], "GET", (206, 0, 100, "bytes 0-99/1000"), "9110-14.1.1-first-bytes"),
    (["Range: bytes=900-"], "GET", (206, 900, 1000, "bytes 900-999/1000"), "9110-14.1.1-open"),
    (["Range: bytes=-100"], "GET", (206, 900, 1000, "bytes 900-999/1000"), "9110-14.1.2-suffix"),
    (["Range: bytes=-5000"], "GET", (206, 0, 1000, "bytes 0-999/1000"), "9110-14.1.2-long-sfx"),
    (["Range: bytes=990-2000"], "GET", (206, 990, 1000, "bytes 990-999/1000"), "9110-14.1.1-clip"),
    (["Range: bytes=1000-"], "GET", (416, 0, 0, "bytes */1000"), "9110-15.5.17-past-end"),
    (["Range: bytes=-0"], "GET", (416, 0, 0, "bytes */1000"), "9110-14.1.2-empty-suffix"),
    (["Range: bytes=0-9,20-29"], "GET", None, "9110-14.2-several-ranges-served-whole"),
    (["Range: items=0-9"], "GET", None, "9110-14.2-other-unit-served-whole"),
    (["Range: bytes=9-0"], "GET", None, "9110-14.1.1-invalid-ignored"),
    (["Range: bytes=a-b"], "GET", None, "9110-14.1.1-garbage-ignored"),
    (["Range: bytes=0-9"], "HEAD", None, "9110-14.2-only-GET"),
    (
        ["Range: bytes=0-9", 'If-Range: "v1"'],
        "GET",
        (206, 0, 10, "bytes 0-9/1000"),
        "9110-13.1.5-etag-matches",
    ),
    (["Range: bytes=0-9", 'If-Range: "v0"'], "GET", None, "9110-13.1.5-etag-differs"),
    (["Range: bytes=0-9", 'If-Range: W/"v1"'], "GET", None, "9110-13.1.5-weak-never-matches"),
    (
        ["Range: bytes=0-9", f"If-Range: {http_date(3600)}"],
        "GET",
        (206, 0, 10, "bytes 0-9/1000"),
        "9110-13.1.5-date-matches",
    ),
    (
        ["Range: bytes=0-9", f"If-Range: {http_date(10)}"],
        "GET",
        None,
        "9110-13.1.5-date-differs",
    ),
    ([], "GET", None, "9110-14.2-no-range"),
]


@pytest.mark.parametrize(
    ("lines", "method", "expected"), [pytest.param(*row[:3], id=row[3]) for row in ROWS]
)
def test_answer_range(
    lines: list[str], method: str, expected: tuple[int, int, int, str] | None
) -> None:
    stored = response(STORED)
    answer = answer_range(request(lines, method=method), stored, stored.headers)
    if expected is None:
        assert answer is None
        return
    assert answer is not None
    status, start, stop, content_range = expected
    assert (answer.status, answer.start, answer.stop) == (status, start, stop)
    served = dict(answer.headers)
    assert served["content-range"] == content_range
    assert served["content-length"] == str(stop - start)
    assert [name for name, _ in answer.headers].count("content-length") == 1


def test_no_range_without_a_known_length() -> None:
    stored = response(['ETag: "v1"'])
    assert answer_range(request(["Range: bytes=0-9"]), stored, stored.headers) is None


def test_no_range_from_a_stored_non_200() -> None:
    stored = response(STORED, status=203)
    assert answer_range(request(["Range: bytes=0-9"]), stored, stored.headers) is None
