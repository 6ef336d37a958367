"""RFC 9111 §4, §4.1, §3.5: may this stored response be selected at all?"""

from __future__ import annotations

from typing import Any

import pytest

from hishel._policy import Forward, GatewayTimeout, UseStored, reuse, served_headers
from tests.policy.helpers import (
    ETAG,
    FRESH,
    NOW,
    date,
    options,
    request,
    reuse_row,
    run_reuse,
    stored,
)

METHOD_ROWS = [
    reuse_row("9111-4-stored-get-answers-get", UseStored, resp=FRESH, received=10, status=200),
    reuse_row("9111-4-stored-get-answers-head", UseStored, method="HEAD", resp=FRESH, received=10),
    reuse_row(
        "9111-4-stored-head-cannot-answer-get", Forward, smethod="HEAD", resp=FRESH, received=10
    ),
    reuse_row(
        "9111-4-stored-head-cannot-answer-get-only-if-cached",
        GatewayTimeout,
        smethod="HEAD",
        req=["Cache-Control: only-if-cached"],
        resp=FRESH,
        received=10,
    ),
    reuse_row(
        "9111-4-post-answers-post-when-cacheable",
        UseStored,
        method="POST",
        smethod="POST",
        resp=FRESH,
        received=10,
        opts={"cacheable_methods": {"GET", "POST"}},
    ),
    reuse_row(
        "9111-4-unsafe-method-writes-through",
        Forward,
        method="POST",
        smethod="POST",
        resp=FRESH,
        received=10,
        reason="writes through",
    ),
    reuse_row(
        "9111-4-delete-never-answered-by-get", Forward, method="DELETE", resp=FRESH, received=10
    ),
    reuse_row(
        "9111-4-get-never-answered-by-post", Forward, smethod="POST", resp=FRESH, received=10
    ),
]


VARY_ROWS = [
    reuse_row(
        "9111-4.1-vary-same-value",
        UseStored,
        req=["Accept-Encoding: gzip"],
        resp=[*FRESH, "Vary: Accept-Encoding"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-different-value",
        Forward,
        req=["Accept-Encoding: br"],
        sreq=["Accept-Encoding: gzip"],
        resp=[*FRESH, "Vary: Accept-Encoding"],
        received=10,
        reason="Vary",
    ),
    reuse_row(
        "9111-4.1-vary-mismatch-only-if-cached",
        GatewayTimeout,
        req=["Accept-Encoding: br", "Cache-Control: only-if-cached"],
        sreq=["Accept-Encoding: gzip"],
        resp=[*FRESH, "Vary: Accept-Encoding"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-several-lines-all-match",
        UseStored,
        req=["Accept: text/html", "Accept-Language: en"],
        resp=[*FRESH, "Vary: Accept", "Vary: Accept-Language"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-several-lines-second-differs",
        Forward,
        req=["Accept: text/html", "Accept-Language: fr"],
        sreq=["Accept: text/html", "Accept-Language: en"],
        resp=[*FRESH, "Vary: Accept", "Vary: Accept-Language"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-whitespace-around-commas",
        UseStored,
        req=["Accept-Encoding: gzip ,  deflate"],
        sreq=["Accept-Encoding: gzip,deflate"],
        resp=[*FRESH, "Vary: Accept-Encoding"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-combines-request-lines",
        UseStored,
        req=["Accept-Encoding: gzip", "Accept-Encoding: br"],
        sreq=["Accept-Encoding: gzip, br"],
        resp=[*FRESH, "Vary: Accept-Encoding"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-case-insensitive-coding",
        UseStored,
        req=["Accept-Encoding: GZIP"],
        sreq=["Accept-Encoding: gzip"],
        resp=[*FRESH, "Vary: Accept-Encoding"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-case-sensitive-custom-field",
        Forward,
        req=["X-Token: Abc"],
        sreq=["X-Token: abc"],
        resp=[*FRESH, "Vary: X-Token"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-name-case-insensitive",
        UseStored,
        req=["Accept-Encoding: gzip"],
        resp=[*FRESH, "Vary: ACCEPT-ENCODING"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-absent-in-both",
        UseStored,
        req=[],
        resp=[*FRESH, "Vary: Accept-Language"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-absent-in-new-request",
        Forward,
        req=[],
        sreq=["Accept-Language: en"],
        resp=[*FRESH, "Vary: Accept-Language"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-absent-in-stored-request",
        Forward,
        req=["Accept-Language: en"],
        sreq=[],
        resp=[*FRESH, "Vary: Accept-Language"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-empty-value-is-not-absent",
        Forward,
        req=["Accept-Language: "],
        sreq=[],
        resp=[*FRESH, "Vary: Accept-Language"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-accept-encoding-order-ignored",
        UseStored,
        req=["Accept-Encoding: br, gzip"],
        sreq=["Accept-Encoding: gzip, br"],
        resp=[*FRESH, "Vary: Accept-Encoding"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-member-order-kept-for-other-fields",
        Forward,
        req=["Accept: text/html, application/json"],
        sreq=["Accept: application/json, text/html"],
        resp=[*FRESH, "Vary: Accept"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-accept-language-set-matches",
        UseStored,
        req=["Accept-Language: fr, en"],
        sreq=["Accept-Language: en, fr"],
        resp=[*FRESH, "Vary: Accept-Language"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-content-language-best-choice-selected",
        UseStored,
        req=["Accept-Language: en;q=0.5, FR"],
        sreq=["Accept-Language: fr, en"],
        resp=[*FRESH, "Vary: Accept-Language", "Content-Language: fr"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-content-language-not-best-not-selected",
        Forward,
        req=["Accept-Language: en, fr;q=0.5"],
        sreq=["Accept-Language: fr, en"],
        resp=[*FRESH, "Vary: Accept-Language", "Content-Language: fr"],
        received=10,
        reason="Content-Language",
    ),
    reuse_row(
        "9111-4.1-content-language-subtag-matches-range",
        UseStored,
        req=["Accept-Language: en;q=0.9, fr;q=0.2"],
        sreq=["Accept-Language: en;q=0.9, fr;q=0.2"],
        resp=[*FRESH, "Vary: Accept-Language", "Content-Language: en-GB"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-accept-language-different-sets-apart",
        Forward,
        req=["Accept-Language: en, de"],
        sreq=["Accept-Language: en, fr"],
        resp=[*FRESH, "Vary: Accept-Language"],
        received=10,
    ),
    reuse_row("9111-4.1-vary-star-never-matches", Forward, resp=[*FRESH, "Vary: *"], received=10),
    reuse_row(
        "9111-4.1-vary-star-among-names",
        Forward,
        resp=[*FRESH, "Vary: Accept, *"],
        received=10,
    ),
    reuse_row(
        "9111-4.1-vary-mismatch-even-with-force-cache",
        Forward,
        req=["Accept-Encoding: br"],
        sreq=["Accept-Encoding: gzip"],
        resp=[*FRESH, "Vary: Accept-Encoding"],
        received=10,
        opts={"force_cache": True},
    ),
]


AUTH_ROWS = [
    reuse_row(
        "9111-3.5-shared-authorization-max-age-only",
        Forward,
        req=["Authorization: Bearer t"],
        resp=["Cache-Control: max-age=600", date(10), ETAG],
        received=10,
        opts={"shared": True},
    ),
    reuse_row(
        "9111-3.5-shared-authorization-public",
        UseStored,
        req=["Authorization: Bearer t"],
        resp=["Cache-Control: max-age=600, public", date(10), ETAG],
        received=10,
        opts={"shared": True},
    ),
    reuse_row(
        "9111-3.5-shared-authorization-s-maxage",
        UseStored,
        req=["Authorization: Bearer t"],
        resp=["Cache-Control: s-maxage=600", date(10), ETAG],
        received=10,
        opts={"shared": True},
    ),
    reuse_row(
        "9111-3.5-shared-authorization-must-revalidate",
        UseStored,
        req=["Authorization: Bearer t"],
        resp=["Cache-Control: max-age=600, must-revalidate", date(10), ETAG],
        received=10,
        opts={"shared": True},
    ),
    reuse_row(
        "9111-3.5-private-cache-authorization",
        UseStored,
        req=["Authorization: Bearer t"],
        resp=["Cache-Control: max-age=600", date(10), ETAG],
        received=10,
    ),
]


@pytest.mark.parametrize("case", [*METHOD_ROWS, *VARY_ROWS, *AUTH_ROWS])
def test_reuse(case: dict[str, Any]) -> None:
    run_reuse(case)


@pytest.mark.parametrize(
    ("req", "expect"),
    [
        pytest.param([], Forward, id="9111-4-nothing-stored-forwards"),
        pytest.param(
            ["Cache-Control: only-if-cached"], GatewayTimeout, id="9111-5.2.1.7-nothing-stored-504"
        ),
        pytest.param(
            ["Cache-Control: max-stale, only-if-cached"],
            GatewayTimeout,
            id="9111-5.2.1.7-nothing-stored-504-despite-max-stale",
        ),
    ],
)
def test_reuse_nothing_stored(req: list[str], expect: type) -> None:
    assert isinstance(reuse(request(req), None, options(), NOW), expect)


@pytest.mark.parametrize(
    ("resp", "received", "delay", "age"),
    [
        pytest.param(["Cache-Control: max-age=1"], 30, 0, "30", id="9111-4-served-age-resident"),
        pytest.param(["Age: 100", date(0)], 30, 2, "132", id="9111-4.2.3-served-age-corrected"),
        pytest.param(["Age: 1", "Age: 2"], 0, 0, "1", id="9111-5.1-served-age-single-line"),
    ],
)
def test_served_headers(resp: list[str], received: float, delay: float, age: str) -> None:
    served = served_headers(stored(resp, received=received, delay=delay), NOW)
    assert [v for n, v in served if n == "age"] == [age]
    assert served[-1] == ("age", age)
