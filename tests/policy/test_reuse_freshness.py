"""RFC 9111 §4.2: fresh or stale, from max-age, Expires, heuristics and the age."""

from __future__ import annotations

from typing import Any

import pytest

from hishel._policy import Forward, Revalidate, UseStored
from tests.policy.helpers import (
    ETAG,
    FRESH,
    STALE_ETAG,
    date,
    expires,
    http_date,
    last_modified,
    reuse_row,
    run_reuse,
)

FRESHNESS_ROWS = [
    reuse_row(
        "9111-4.2.1-max-age-fresh",
        UseStored,
        resp=FRESH,
        received=10,
        status=200,
        age=10,
        stale=False,
    ),
    reuse_row("9111-4.2.1-max-age-stale-revalidates", Revalidate, resp=STALE_ETAG, received=100),
    reuse_row(
        "9111-4.2.1-max-age-stale-no-validator-revalidates-with-date",
        Revalidate,
        resp=["Cache-Control: max-age=60", date(100)],
        received=100,
        sends={"if-modified-since": [http_date(100)]},  # RFC 9110 §13.1.3
    ),
    reuse_row(
        "9111-4.2.1-max-age-stale-no-validator-no-date-forwards",
        Forward,
        resp=["Cache-Control: max-age=60"],
        received=100,
        reason="no validator",
    ),
    reuse_row(
        "9111-4.2.1-expires-fresh",
        UseStored,
        resp=[date(30), expires(-30), ETAG],
        received=30,
    ),
    reuse_row(
        "9111-4.2.1-expires-stale",
        Revalidate,
        resp=[date(90), expires(30), ETAG],
        received=90,
    ),
    reuse_row(
        "9111-4.2.1-expires-without-date-uses-response-time",
        UseStored,
        resp=[expires(-30), ETAG],
        received=20,
    ),
    reuse_row(
        "9111-4.2.1-expires-minus-date-lifetime",
        Revalidate,
        # apparent age uses Date too: a Date an hour old makes the response an hour old
        resp=[date(3600 + 10), expires(3600 - 50), ETAG],
        received=10,
    ),
    reuse_row(
        "9111-5.3-max-age-overrides-expires",
        Revalidate,
        resp=["Cache-Control: max-age=0", date(5), expires(-3600), ETAG],
        received=5,
    ),
    reuse_row(
        "9111-5.3-max-age-overrides-past-expires",
        UseStored,
        resp=["Cache-Control: max-age=600", date(5), expires(3600), ETAG],
        received=5,
    ),
    reuse_row(
        "9111-4.2.1-s-maxage-shared-overrides-max-age",
        Revalidate,
        resp=["Cache-Control: max-age=600, s-maxage=10", date(20), ETAG],
        received=20,
        opts={"shared": True},
    ),
    reuse_row(
        "9111-4.2.1-s-maxage-ignored-by-private-cache",
        UseStored,
        resp=["Cache-Control: max-age=600, s-maxage=10", date(20), ETAG],
        received=20,
    ),
    reuse_row(
        "9111-5.3-s-maxage-overrides-expires-in-shared-cache",
        Revalidate,
        resp=["Cache-Control: s-maxage=10", date(20), expires(-3600), ETAG],
        received=20,
        opts={"shared": True},
    ),
    reuse_row(
        "9111-5.3-expires-zero-already-expired",
        Revalidate,
        resp=[date(1), "Expires: 0", ETAG],
        received=1,
    ),
    reuse_row(
        "9111-5.3-expires-wrong-zone-already-expired",
        Revalidate,
        resp=[date(1), "Expires: Sun, 06 Nov 2050 08:49:37 UTC", ETAG],
        received=1,
    ),
    reuse_row(
        "9111-5.3-expires-numeric-offset-already-expired",
        Revalidate,
        resp=[date(1), "Expires: Sun, 06 Nov 2050 08:49:37 +0000", ETAG],
        received=1,
    ),
    reuse_row(
        "9111-5.3-expires-garbage-already-expired",
        Revalidate,
        resp=[date(1), "Expires: tomorrow", ETAG],
        received=1,
    ),
    reuse_row(
        "9111-4.2.1-several-expires-lines-stale",
        Revalidate,
        resp=[date(1), expires(-3600), expires(-7200), ETAG],
        received=1,
    ),
    reuse_row(
        "9111-4.2.1-duplicate-max-age-first-wins-fresh",
        UseStored,
        resp=["Cache-Control: max-age=60, max-age=0", date(30), ETAG],
        received=30,
    ),
    reuse_row(
        "9111-4.2.1-duplicate-max-age-first-wins-stale",
        Revalidate,
        resp=["Cache-Control: max-age=0", "Cache-Control: max-age=60", date(30), ETAG],
        received=30,
    ),
    reuse_row(
        "9111-5.2.2.1-quoted-max-age-is-malformed-stale",
        Revalidate,
        resp=['Cache-Control: max-age="60"', date(30), ETAG],
        received=30,
    ),
    reuse_row(
        "9111-5.2.2.1-single-quoted-max-age-is-malformed-stale",
        Revalidate,
        resp=["Cache-Control: max-age='60'", date(30), ETAG],
        received=30,
    ),
    reuse_row(
        "9111-5.2-space-before-equals-is-malformed-stale",
        Revalidate,
        resp=["Cache-Control: max-age =60", date(30), ETAG],
        received=30,
    ),
    reuse_row(
        "9111-1.3-fraction-max-age-is-malformed-stale",
        Revalidate,
        resp=["Cache-Control: max-age=60.0", date(30), ETAG],
        received=30,
    ),
    reuse_row(
        "9111-4.2.1-garbage-max-age-stale",
        Revalidate,
        resp=["Cache-Control: max-age=abc", date(1), ETAG],
        received=1,
    ),
    reuse_row(
        "9111-4.2.1-negative-max-age-stale",
        Revalidate,
        resp=["Cache-Control: max-age=-1", date(1), ETAG],
        received=1,
    ),
    reuse_row(
        "9111-4.2.1-fractional-max-age-stale",
        Revalidate,
        resp=["Cache-Control: max-age=1.5", date(1), ETAG],
        received=1,
    ),
    reuse_row(
        "9111-4.2.1-empty-max-age-stale",
        Revalidate,
        resp=["Cache-Control: max-age=", date(1), ETAG],
        received=1,
    ),
    reuse_row(
        "9111-4.2.1-garbage-max-age-ignores-expires",
        Revalidate,
        resp=["Cache-Control: max-age=soon", date(1), expires(-3600), ETAG],
        received=1,
    ),
    reuse_row(
        "9111-1.3-huge-max-age-saturates",
        UseStored,
        resp=["Cache-Control: max-age=99999999999999999999999", date(10**8), ETAG],
        received=10**8,
    ),
    reuse_row(
        "9111-5.2-directive-names-case-insensitive",
        UseStored,
        resp=["Cache-Control: MAX-AGE=60", date(30), ETAG],
        received=30,
    ),
    reuse_row(
        "9111-5.2-directives-across-lines",
        Revalidate,
        resp=["Cache-Control: max-age=60", "Cache-Control: no-cache", date(1), ETAG],
        received=1,
    ),
    reuse_row(
        "9111-4.2.1-no-explicit-freshness-stale",
        Revalidate,
        resp=[date(1), ETAG],
        received=1,
    ),
]


HEURISTIC = {"allow_heuristics": True}

HEURISTIC_ROWS = [
    reuse_row(
        "9111-4.2.2-heuristic-ten-percent-fresh",
        UseStored,
        resp=[date(300), last_modified(300 + 6000)],
        received=300,
        opts=HEURISTIC,
    ),
    reuse_row(
        "9111-4.2.2-heuristic-ten-percent-stale",
        Revalidate,
        resp=[date(900), last_modified(900 + 6000)],
        received=900,
        opts=HEURISTIC,
        sends={"if-modified-since": [http_date(900 + 6000)], "if-none-match": []},
    ),
    reuse_row(
        "9111-4.2.2-heuristic-capped-at-one-day",
        Revalidate,
        resp=[date(2 * 86400), last_modified(400 * 86400)],
        received=2 * 86400,
        opts=HEURISTIC,
    ),
    reuse_row(
        "9111-4.2.2-heuristic-long-lived-under-cap",
        UseStored,
        resp=[date(3600), last_modified(400 * 86400)],
        received=3600,
        opts=HEURISTIC,
    ),
    reuse_row(
        "9111-4.2.2-heuristic-off-by-default",
        Revalidate,
        resp=[date(300), last_modified(300 + 6000)],
        received=300,
    ),
    reuse_row(
        "9111-4.2.2-no-heuristic-without-last-modified",
        Revalidate,
        resp=[date(10), ETAG],
        received=10,
        opts=HEURISTIC,
    ),
    reuse_row(
        "9111-4.2.2-no-heuristic-for-302",
        Revalidate,
        resp=[date(300), last_modified(300 + 6000)],
        received=300,
        sstatus=302,
        opts=HEURISTIC,
    ),
    reuse_row(
        "9111-4.2.2-heuristic-for-public-302",
        UseStored,
        resp=["Cache-Control: public", date(300), last_modified(300 + 6000)],
        received=300,
        sstatus=302,
        opts=HEURISTIC,
    ),
    # unknown statuses get a heuristic only when marked public
    reuse_row(
        "9111-4.2.2-heuristic-for-public-unknown-299",
        UseStored,
        resp=["Cache-Control: public", date(300), last_modified(300 + 6000)],
        received=300,
        sstatus=299,
        opts=HEURISTIC,
    ),
    reuse_row(
        "9111-4.2.2-no-heuristic-for-unknown-299",
        Revalidate,
        resp=[date(300), last_modified(300 + 6000)],
        received=300,
        sstatus=299,
        opts=HEURISTIC,
    ),
    reuse_row(
        "9111-4.2.1-unknown-599-fresh-by-max-age",
        UseStored,
        resp=["Cache-Control: max-age=60", date(10)],
        received=10,
        sstatus=599,
    ),
    reuse_row(
        "9111-4.2.1-unknown-499-stale-by-max-age",
        Revalidate,
        resp=["Cache-Control: max-age=60", date(100)],
        received=100,
        sstatus=499,
    ),
    reuse_row(
        "9111-4.2.2-heuristic-for-404",
        UseStored,
        resp=[date(300), last_modified(300 + 6000)],
        received=300,
        sstatus=404,
        opts=HEURISTIC,
    ),
    reuse_row(
        "9111-4.2.2-no-heuristic-when-expires-present",
        Revalidate,
        resp=[date(300), expires(300), last_modified(300 + 60000)],
        received=300,
        opts=HEURISTIC,
    ),
    reuse_row(
        "9111-4.2.2-last-modified-after-date-gives-zero",
        Revalidate,
        resp=[date(300), last_modified(0)],
        received=300,
        opts=HEURISTIC,
    ),
]


AGE_ROWS = [
    reuse_row(
        "9111-4.2.3-age-header-adds",
        UseStored,
        resp=["Cache-Control: max-age=60", "Age: 50", date(5), ETAG],
        received=5,
        age=55,
        sends={"age": ["55"]},
    ),
    reuse_row(
        "9111-4.2.3-age-header-makes-stale",
        Revalidate,
        resp=["Cache-Control: max-age=60", "Age: 50", date(15), ETAG],
        received=15,
    ),
    reuse_row(
        "9111-4.2.3-age-header-plus-delay",
        UseStored,
        resp=["Cache-Control: max-age=60", "Age: 50", date(4), ETAG],
        received=4,
        delay=5,
        age=59,
    ),
    reuse_row(
        "9111-4.2.3-age-header-plus-delay-stale",
        Revalidate,
        resp=["Cache-Control: max-age=60", "Age: 50", date(6), ETAG],
        received=6,
        delay=5,
    ),
    reuse_row(
        "9111-4.2.3-apparent-age-from-date",
        Revalidate,
        resp=["Cache-Control: max-age=60", date(100), ETAG],
        received=0,
    ),
    reuse_row(
        "9111-4.2.3-apparent-age-beats-smaller-age",
        UseStored,
        resp=["Cache-Control: max-age=60", "Age: 1", date(40), ETAG],
        received=10,
        age=40,
    ),
    reuse_row(
        "9111-4.2.3-date-in-future-apparent-age-zero",
        UseStored,
        resp=["Cache-Control: max-age=60", date(-3600), ETAG],
        received=10,
        age=10,
    ),
    reuse_row(
        "9111-4.2.3-no-date-resident-time-only",
        UseStored,
        resp=["Cache-Control: max-age=60", ETAG],
        received=10,
        age=10,
    ),
    reuse_row(
        "9110-6.6.1-invalid-date-ignored",
        UseStored,
        resp=["Cache-Control: max-age=60", "Date: yesterday", ETAG],
        received=10,
        age=10,
    ),
    reuse_row(
        "9111-5.1-negative-age-means-stale",
        Revalidate,
        resp=["Cache-Control: max-age=60", "Age: -500", date(10), ETAG],
        received=10,
    ),
    reuse_row(
        "9111-5.1-non-numeric-age-means-stale",
        Revalidate,
        resp=["Cache-Control: max-age=60", "Age: old", date(10), ETAG],
        received=10,
    ),
    reuse_row(
        "9111-5.1-list-age-means-stale",
        Revalidate,
        resp=["Cache-Control: max-age=60", "Age: 5, 6", date(10), ETAG],
        received=10,
    ),
    reuse_row(
        "9111-5.1-list-age-7200-0-means-stale",
        Revalidate,
        resp=["Cache-Control: max-age=60", "Age: 7200, 0", date(10), ETAG],
        received=10,
    ),
    reuse_row(
        "9111-5.1-list-age-0-7200-means-stale",
        Revalidate,
        resp=["Cache-Control: max-age=60", "Age: 0, 7200", date(10), ETAG],
        received=10,
    ),
    reuse_row(
        "9111-5.1-invalid-first-line-valid-second-means-stale",
        Revalidate,
        resp=["Cache-Control: max-age=60", "Age: x", "Age: 5", date(10), ETAG],
        received=10,
    ),
    reuse_row(
        "9111-5.1-valid-first-line-invalid-second-ignored",
        UseStored,
        resp=["Cache-Control: max-age=60", "Age: 5", "Age: x", date(10), ETAG],
        received=10,
        age=15,
    ),
    reuse_row(
        "9111-5.1-age-with-whitespace-valid",
        UseStored,
        resp=["Cache-Control: max-age=60", "Age:  5 ", date(10), ETAG],
        received=10,
        age=15,
    ),
    reuse_row(
        "9111-5.1-first-age-line-wins",
        UseStored,
        resp=["Cache-Control: max-age=60", "Age: 20", "Age: 500", date(10), ETAG],
        received=10,
        age=30,
        sends={"age": ["30"]},
    ),
    reuse_row(
        "9111-1.3-huge-age-saturates",
        Revalidate,
        resp=["Cache-Control: max-age=60", "Age: 999999999999999999999", date(10), ETAG],
        received=10,
    ),
    reuse_row(
        "9111-1.3-huge-age-saturates-when-served",
        UseStored,
        resp=["Cache-Control: max-age=60", "Age: 999999999999999999999", date(10), ETAG],
        received=10,
        opts={"force_cache": True},
        age=2**31,
        sends={"age": [str(2**31)]},
    ),
    reuse_row(
        "9111-4-age-replaced-when-served",
        UseStored,
        resp=["Cache-Control: max-age=600", "Age: 7", date(10), ETAG],
        received=10,
        sends={"age": ["17"]},
        names=["cache-control", "date", "etag", "age"],
    ),
    reuse_row(
        "9111-5.1-age-is-integer-seconds",
        UseStored,
        resp=["Cache-Control: max-age=600", date(0), ETAG],
        received=10.9,
        age=10,
        sends={"age": ["10"]},
    ),
]


# RFC 9111 §1.3, §4.2.3, §5.1: ages and lifetimes are whole seconds; each time difference
# counts the whole seconds in it. Date one second boundary before NOW, received 0.4 s ago.
JUST_STORED = ["Cache-Control: max-age=3", date(1)]
WHOLE_SECOND_ROWS = [
    reuse_row(
        "9111-4.2.3-asked-again-at-once-is-age-0-min-fresh-served",
        UseStored,
        req=["Cache-Control: min-fresh=3"],
        resp=JUST_STORED,
        received=0.4,
        delay=0.05,
        age=0,
        ttl=3,
        sends={"age": ["0"]},
    ),
    reuse_row(
        "9111-4.2.3-a-second-later-min-fresh-revalidates",
        Revalidate,
        req=["Cache-Control: min-fresh=3"],
        resp=JUST_STORED,
        received=1.4,
        reason="request min-fresh",
        sends={"if-modified-since": [http_date(1)]},  # RFC 9110 §13.1.3
    ),
    reuse_row(
        "9111-5.2.1.1-request-max-age-zero-within-the-second-served",
        UseStored,
        req=["Cache-Control: max-age=0"],
        resp=JUST_STORED,
        received=0.9,
        age=0,
    ),
    reuse_row(
        "9111-4.2-max-age-1-fresh-for-a-whole-second",
        UseStored,
        resp=["Cache-Control: max-age=1", date(1), ETAG],
        received=0.99,
        age=0,
    ),
    reuse_row(
        "9111-4.2-max-age-1-stale-after-a-whole-second",
        Revalidate,
        resp=["Cache-Control: max-age=1", date(1), ETAG],
        received=1.0,
    ),
    reuse_row(
        "9111-4.2.3-each-difference-floored-not-their-sum",
        UseStored,
        # apparent age 0.8 s counts 0, resident time 1.2 s counts 1
        resp=["Cache-Control: max-age=60", date(2), ETAG],
        received=1.2,
        age=1,
        sends={"age": ["1"]},
    ),
    reuse_row(
        "9111-4.2.1-default-lifetime-whole-seconds",
        Revalidate,
        resp=[date(1), ETAG],
        received=1.2,
        opts={"default_lifetime": 1.5},
    ),
    reuse_row(
        "9111-4.2.1-force-cache-lifetime-whole-seconds",
        UseStored,
        resp=[date(1), ETAG],
        received=0.6,
        opts={"force_cache": True, "default_lifetime": 1.5},
        age=0,
        ttl=1,
    ),
]


@pytest.mark.parametrize("case", [*FRESHNESS_ROWS, *HEURISTIC_ROWS, *AGE_ROWS, *WHOLE_SECOND_ROWS])
def test_reuse(case: dict[str, Any]) -> None:
    run_reuse(case)
