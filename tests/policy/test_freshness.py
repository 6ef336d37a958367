"""RFC 9111 §4.2: freshness_lifetime, heuristic_lifetime and current_age as numbers."""

from __future__ import annotations

import pytest

from hishel._policy import current_age, freshness_lifetime, heuristic_lifetime
from hishel._policy._tables import MAX_DELTA
from tests.policy.helpers import NOW, date, expires, last_modified, response, stored

DAY = 86400.0


@pytest.mark.parametrize(
    ("lines", "status", "shared", "heuristics", "expected"),
    [
        pytest.param(["Cache-Control: max-age=60"], 200, False, False, 60, id="9111-4.2.1-max-age"),
        pytest.param(
            ["Cache-Control: max-age=60, s-maxage=5"], 200, True, False, 5, id="9111-4.2.1-s-maxage"
        ),
        pytest.param(
            ["Cache-Control: max-age=60, s-maxage=5"],
            200,
            False,
            False,
            60,
            id="9111-4.2.1-s-maxage-private-cache",
        ),
        pytest.param(
            [date(0), expires(-120)], 200, False, False, 120, id="9111-4.2.1-expires-minus-date"
        ),
        pytest.param(
            [expires(-120)], 200, False, False, 120, id="9111-4.2.1-expires-minus-response-time"
        ),
        pytest.param(
            [date(0), expires(120)], 200, False, False, 0, id="9111-4.2.1-expires-in-past"
        ),
        pytest.param([date(0), "Expires: 0"], 200, False, False, 0, id="9111-5.3-expires-zero"),
        pytest.param(
            ["Date: garbage", expires(-120)],
            200,
            False,
            False,
            120,
            id="9110-6.6.1-invalid-date-uses-response-time",
        ),
        pytest.param([date(0)], 200, False, False, None, id="9111-4.2.1-none"),
        pytest.param(
            [date(0), last_modified(1000)], 200, False, True, 100, id="9111-4.2.2-ten-percent"
        ),
        pytest.param(
            [date(0), last_modified(100 * DAY)], 200, False, True, DAY, id="9111-4.2.2-capped"
        ),
        pytest.param(
            [date(0), last_modified(1000)], 200, False, False, None, id="9111-4.2.2-disabled"
        ),
        pytest.param(
            [date(0), last_modified(1000)], 302, False, True, None, id="9111-4.2.2-status-302"
        ),
        pytest.param(
            ["Cache-Control: public", date(0), last_modified(1000)],
            302,
            False,
            True,
            100,
            id="9111-4.2.2-public-302",
        ),
        pytest.param(
            ["Cache-Control: private", date(0), last_modified(1000)],
            302,
            False,
            True,
            100,
            id="9111-4.2.2-private-302-private-cache",
        ),
        pytest.param(
            ["Cache-Control: private", date(0), last_modified(1000)],
            302,
            True,
            True,
            None,
            id="9111-4.2.2-private-302-shared-cache",
        ),
        pytest.param(
            ["Cache-Control: public", date(0), last_modified(1000)],
            299,
            False,
            True,
            100,
            id="9111-4.2.2-public-unknown-299",
        ),
        pytest.param(
            [date(0), last_modified(1000)],
            299,
            False,
            True,
            None,
            id="9111-4.2.2-unknown-299-not-heuristic",
        ),
        pytest.param(
            [date(0), last_modified(1000)],
            500,
            False,
            True,
            None,
            id="9111-4.2.2-500-not-heuristic",
        ),
        pytest.param(
            [date(0), expires(-30), last_modified(1000)],
            200,
            False,
            True,
            30,
            id="9111-4.2.2-explicit-beats-heuristic",
        ),
        pytest.param(
            [last_modified(1000)], 200, False, True, 100, id="9111-4.2.2-no-date-uses-response-time"
        ),
    ],
)
def test_freshness_lifetime(
    lines: list[str], status: int, shared: bool, heuristics: bool, expected: float | None
) -> None:
    head = response(lines, status)
    assert freshness_lifetime(head, NOW, shared=shared, heuristics=heuristics) == expected


@pytest.mark.parametrize(
    ("lines", "received", "default", "expected"),
    [
        pytest.param(
            [expires(-120)], 0.4, None, 120, id="9111-4.2.1-expires-minus-fractional-time"
        ),
        pytest.param([date(0), last_modified(1005)], 0, None, 100, id="9111-4.2.2-heuristic-floor"),
        pytest.param([date(0)], 0, 1.5, 1, id="9111-4.2.2-chosen-lifetime-whole-seconds"),
        pytest.param([date(0)], 0, 0.5, 0, id="9111-4.2.2-chosen-lifetime-under-a-second"),
    ],
)
def test_lifetime_whole_seconds(
    lines: list[str], received: float, default: float | None, expected: int
) -> None:
    """RFC 9111 §1.3: lifetimes computed from times count their whole seconds."""
    head = response(lines)
    got = freshness_lifetime(head, NOW - received, heuristics=True, default=default)
    assert got == expected
    assert type(got) is int


def test_heuristic_lifetime_ignores_explicit_freshness() -> None:
    head = response(["Cache-Control: max-age=5", date(0), last_modified(1000)])
    assert heuristic_lifetime(head, NOW) == 100


@pytest.mark.parametrize(
    ("lines", "received", "delay", "expected"),
    [
        pytest.param([date(0)], 0, 0, 0, id="9111-4.2.3-just-received"),
        pytest.param([date(10)], 10, 0, 10, id="9111-4.2.3-resident-time"),
        pytest.param([date(30)], 10, 0, 30, id="9111-4.2.3-apparent-age"),
        pytest.param([date(-30)], 10, 0, 10, id="9111-4.2.3-apparent-age-not-negative"),
        pytest.param(["Age: 20", date(10)], 10, 0, 30, id="9111-4.2.3-age-value"),
        pytest.param(["Age: 20", date(10)], 10, 3, 33, id="9111-4.2.3-age-plus-response-delay"),
        pytest.param([date(50)], 10, 3, 50, id="9111-4.2.3-apparent-beats-corrected"),
        pytest.param([date(10)], 10, 3, 13, id="9111-4.2.3-response-delay-alone"),
        pytest.param(["Age: x", date(10)], 10, 0, MAX_DELTA, id="9111-5.1-invalid-age-stale"),
        pytest.param(["Age: 7200, 0"], 10, 0, MAX_DELTA, id="9111-5.1-age-list-stale"),
        pytest.param(["Age: 20", "Age: 7200"], 10, 0, 30, id="9111-5.1-first-age-line"),
        pytest.param(["Age: 99999999999999999999"], 10, 0, MAX_DELTA, id="9111-1.3-age-saturates"),
        pytest.param([date(0)], -10, 0, 10, id="9111-4.2.3-resident-time-never-negative"),
        pytest.param([date(1)], 0.4, 0.3, 0, id="9111-4.2.3-fractions-of-a-second-count-0"),
        pytest.param([date(3)], 2.5, 0, 2, id="9111-4.2.3-whole-seconds-resident"),
        pytest.param([date(2)], 1.2, 0, 1, id="9111-4.2.3-each-difference-floored"),
        pytest.param(["Age: 5", date(1)], 0.5, 0.9, 5, id="9111-4.2.3-response-delay-floored"),
        pytest.param([date(2)], 1.5, 1.2, 2, id="9111-4.2.3-response-delay-whole-seconds"),
        pytest.param([date(10)], 10 - 2e-7, 0, 10, id="9111-4.2.3-microsecond-clock-readings"),
    ],
)
def test_current_age(lines: list[str], received: float, delay: float, expected: float) -> None:
    assert current_age(stored(lines, received=received, delay=delay), NOW) == expected


@pytest.mark.parametrize(
    ("status", "lines", "lifetime"),
    [
        pytest.param(301, [], MAX_DELTA, id="9111-4.2.2-301-kept-as-long-as-stored"),
        pytest.param(308, [], MAX_DELTA, id="9111-4.2.2-308-kept-as-long-as-stored"),
        pytest.param(301, ["Cache-Control: max-age=5"], 5, id="9111-4.2.2-301-max-age-honoured"),
        pytest.param(301, ["Cache-Control: no-cache"], None, id="9111-4.2.2-301-cc-honoured"),
        pytest.param(302, [], None, id="9111-4.2.2-302-no-lifetime"),
    ],
)
def test_permanent_redirect_lifetime(status: int, lines: list[str], lifetime: float | None) -> None:
    got = freshness_lifetime(response(lines, status=status), NOW, heuristics=False)
    assert got == lifetime
