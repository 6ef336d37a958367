"""RFC 9111 §4.3.4 / §4.3.5 / §3.2: which stored response a 304 or HEAD selects, and the merge."""

from __future__ import annotations

from typing import Any

import pytest

from hishel._policy import DontStore, Freshen, freshen
from tests.policy.helpers import (
    check,
    date,
    headers,
    http_date,
    last_modified,
    options,
    response,
    stored,
)

BASE = [
    "Cache-Control: max-age=60",
    date(100),
    'ETag: "v1"',
    "Content-Type: text/plain",
    "Content-Length: 5",
]


def row(
    id: str,
    expect: type,
    *,
    old: list[str] | tuple[str, ...] = tuple(BASE),
    new: list[str] | tuple[str, ...] = (),
    status: int = 304,
    opts: dict[str, Any] | None = None,
    **checks: Any,
) -> Any:
    return pytest.param(old, new, status, opts or {}, expect, checks, id=id)


SELECTION_ROWS = [
    row("9111-4.3.4-strong-etag-match", Freshen, new=['ETag: "v1"', date(0)]),
    row("9111-4.3.4-strong-etag-mismatch", DontStore, new=['ETag: "v2"'], reason="mismatch"),
    row(
        "9111-4.3.4-strong-etag-vs-stored-weak",
        DontStore,
        old=['ETag: W/"v1"'],
        new=['ETag: "v1"'],
    ),
    row("9111-4.3.4-weak-etag-vs-stored-strong", Freshen, new=['ETag: W/"v1"']),
    row("9111-4.3.4-weak-etag-vs-stored-weak", Freshen, old=['ETag: W/"v1"'], new=['ETag: W/"v1"']),
    row("9111-4.3.4-weak-etag-mismatch", DontStore, new=['ETag: W/"v2"']),
    row(
        "9111-4.3.4-etag-but-stored-has-none",
        DontStore,
        old=["Cache-Control: max-age=60", last_modified(500)],
        new=['ETag: "v1"'],
    ),
    row(
        "9111-4.3.4-last-modified-match",
        Freshen,
        old=["Cache-Control: max-age=60", last_modified(500)],
        new=[last_modified(500)],
    ),
    row(
        "9111-4.3.4-last-modified-mismatch",
        DontStore,
        old=["Cache-Control: max-age=60", last_modified(500)],
        new=[last_modified(400)],
        reason="Last-Modified",
    ),
    row(
        "9111-4.3.4-etag-decides-over-last-modified",
        Freshen,
        old=[*BASE, last_modified(500)],
        new=['ETag: "v1"', last_modified(400)],
    ),
    row("9111-4.3.4-no-validators-in-either", Freshen, old=["Cache-Control: max-age=60"], new=[]),
    row("9111-4.3.4-no-validator-in-304-selects-what-we-hold", Freshen, new=[date(0)]),
    row("9111-4.3.3-not-a-304", DontStore, status=500, new=['ETag: "v1"']),
    row("9111-4.3.3-full-response-not-a-freshen", DontStore, status=201, new=['ETag: "v1"']),
]

HEAD_ROWS = [
    row("9111-4.3.5-head-matching", Freshen, status=200, new=['ETag: "v1"', "Content-Length: 5"]),
    row(
        "9111-4.3.5-head-different-length",
        DontStore,
        status=200,
        new=['ETag: "v1"', "Content-Length: 6"],
        reason="stale",
    ),
    row("9111-4.3.5-head-different-etag", DontStore, status=200, new=['ETag: "v2"']),
    row(
        "9111-4.3.5-head-different-last-modified",
        DontStore,
        status=200,
        old=[*BASE, last_modified(500)],
        new=[last_modified(10)],
    ),
    row(
        "9111-4.3.5-head-without-validators",
        Freshen,
        status=200,
        new=["Cache-Control: max-age=600"],
        sends={"cache-control": ["max-age=600"], "content-length": ["5"]},
    ),
]

MERGE_ROWS = [
    row(
        "9111-3.2-replaces-same-named-fields",
        Freshen,
        new=['ETag: "v1"', "Cache-Control: max-age=600", date(0)],
        sends={
            "cache-control": ["max-age=600"],
            "date": [http_date(0)],
            "etag": ['"v1"'],
            "content-type": ["text/plain"],
        },
    ),
    row(
        "9111-3.2-never-takes-content-length",
        Freshen,
        new=['ETag: "v1"', "Content-Length: 0"],
        sends={"content-length": ["5"]},
    ),
    row(
        "9111-3.2-never-takes-content-encoding",
        Freshen,
        new=['ETag: "v1"', "Content-Encoding: gzip"],
        sends={"content-encoding": []},
    ),
    row(
        "9111-3.2-never-takes-content-range",
        Freshen,
        new=["Content-Range: bytes 0-1/5"],
        sends={"content-range": []},
    ),
    row(
        "9111-3.2-never-takes-hop-by-hop",
        Freshen,
        new=["Connection: close, X-Hop", "X-Hop: 1", "Keep-Alive: 1", "Transfer-Encoding: chunked"],
        sends={"connection": [], "x-hop": [], "keep-alive": [], "transfer-encoding": []},
    ),
    row(
        "9111-3.2-takes-content-type",
        Freshen,
        new=["Content-Type: text/html"],
        sends={"content-type": ["text/html"]},
    ),
    row(
        "9111-3.2-adds-new-fields",
        Freshen,
        new=["X-New: 1", "Expires: 0"],
        names=["cache-control", "etag", "content-type", "content-length", "x-new", "expires"],
    ),
    row(
        "9111-3.2-replaces-every-line-of-a-field",
        Freshen,
        old=[*BASE, "Set-Cookie: a=1", "Set-Cookie: b=2"],
        new=["Set-Cookie: c=3"],
        sends={"set-cookie": ["c=3"]},
    ),
    row(
        "9111-3.2-keeps-several-new-lines",
        Freshen,
        old=[*BASE, "Set-Cookie: a=1"],
        new=["Set-Cookie: c=3", "Set-Cookie: d=4"],
        sends={"set-cookie": ["c=3", "d=4"]},
    ),
    row(
        "9111-4.2.3-old-age-dropped",
        Freshen,
        old=[*BASE, "Age: 500"],
        new=[date(0)],
        sends={"age": []},
    ),
    row(
        "9111-4.2.3-new-age-taken",
        Freshen,
        old=[*BASE, "Age: 500"],
        new=["Age: 3"],
        sends={"age": ["3"]},
    ),
    row(
        "9110-6.6.1-old-date-dropped-when-304-has-none",
        Freshen,
        new=['ETag: "v1"'],
        sends={"date": []},
    ),
    row(
        "9111-5.2.2.7-shared-does-not-take-private-fields",
        Freshen,
        new=['Cache-Control: private="X-User", max-age=60', "X-User: u"],
        opts={"shared": True},
        sends={"x-user": []},
    ),
    row(
        "9111-5.2.2.7-private-cache-takes-private-fields",
        Freshen,
        new=['Cache-Control: private="X-User", max-age=60', "X-User: u"],
        sends={"x-user": ["u"]},
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "status", "opts", "expect", "checks"),
    [*SELECTION_ROWS, *HEAD_ROWS, *MERGE_ROWS],
)
def test_freshen(
    old: list[str],
    new: list[str],
    status: int,
    opts: dict[str, Any],
    expect: type,
    checks: dict[str, Any],
) -> None:
    decision = freshen(stored(old, received=100), response(new, status), options(**opts))
    assert isinstance(decision, expect), decision
    check(decision, checks)


def test_freshen_full_tuple() -> None:
    old = stored(
        ["Cache-Control: max-age=60", "Age: 9", date(100), 'ETag: "v1"', "Content-Length: 5"]
    )
    new = response(["Cache-Control: max-age=600", date(0), 'ETag: "v1"', "Content-Length: 0"], 304)
    decision = freshen(old, new, options())
    assert decision == Freshen(
        "304 selects the stored response",
        headers(
            ["Content-Length: 5", "Cache-Control: max-age=600", date(0), 'ETag: "v1"'],
        ),
    )
