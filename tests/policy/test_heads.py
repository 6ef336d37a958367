"""A head parsed against a previous head of the same response (a 304 freshening the stored
one) has the parsed views a full parse gives, and reuses those whose field lines did not
change."""

from __future__ import annotations

import pytest

from hishel._policy import _messages as messages
from hishel._policy._heads import ResponseHead

DATE = "Sun, 06 Nov 1994 08:49:37 GMT"
LATER = "Sun, 06 Nov 1994 09:49:37 GMT"
STORED = (
    ("content-type", "text/plain"),
    ("cache-control", "public, max-age=60"),
    ("date", DATE),
    ("expires", LATER),
    ("age", "5"),
    ("etag", '"v1"'),
    ("last-modified", DATE),
    ("vary", "Accept"),
    ("connection", "x-hop"),
    ("content-language", "en"),
)


def _views(head: messages.ResponseHead) -> dict[str, object]:
    return dict(zip(messages.ResponseHead._fields, head, strict=True))


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(STORED, id="unchanged"),
        pytest.param((("date", LATER), ("etag", '"v1"')), id="9111-4.3.4-a-typical-304"),
        pytest.param(
            (*STORED[:2], ("date", LATER), *STORED[3:6], ("last-modified", LATER), *STORED[7:]),
            id="date-and-last-modified-changed",
        ),
        pytest.param(
            (("cache-control", "no-cache"), ("cache-control", "max-age=5"), ("expires", "0")),
            id="repeated-and-invalid-lines",
        ),
        pytest.param(
            (("vary", "*"), ("etag", 'W/"v2"'), ("age", "x"), ("connection", "close")),
            id="every-view-changed",
        ),
        pytest.param((), id="no-field"),
    ],
)
def test_previous_head_gives_the_views_of_a_full_parse(headers: messages.Headers) -> None:
    previous = ResponseHead(200, STORED)
    assert _views(ResponseHead(200, headers, previous)) == _views(ResponseHead(200, headers))
    # the freshened head: its fields from the stored head or the 304 (here: the other way)
    validator = ResponseHead(304, headers, previous)
    merged = (*STORED[:1], *headers, *STORED[5:])
    expected = _views(ResponseHead(200, merged))
    assert _views(ResponseHead(200, merged, previous, validator)) == expected
    assert _views(ResponseHead(200, merged, validator, previous)) == expected


def test_unchanged_lines_are_not_parsed_again() -> None:
    previous = ResponseHead(200, STORED)
    new = ResponseHead(200, (*STORED[:2], ("date", LATER), *STORED[3:]), previous)
    assert new.cache_control is previous.cache_control
    assert new.etag is previous.etag
    assert new.date != previous.date


def test_a_freshened_head_takes_the_304s_views() -> None:
    previous = ResponseHead(200, STORED)
    validator = ResponseHead(304, (("date", LATER), ("cache-control", "max-age=9")), previous)
    merged = (*STORED[:1], ("cache-control", "max-age=9"), ("date", LATER), *STORED[3:])
    fresh = ResponseHead(200, merged, previous, validator)
    assert fresh.cache_control is validator.cache_control and fresh.date is validator.date
    assert fresh.etag is previous.etag and fresh.vary is previous.vary
    assert fresh.cache_control.max_age == 9
