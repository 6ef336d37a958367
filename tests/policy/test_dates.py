"""RFC 9110 §5.6.7: the three HTTP-date forms, and nothing else."""

from __future__ import annotations

import calendar

import pytest

from hishel._policy._dates import parse_http_date
from tests.policy.helpers import NOW, http_date

SUNDAY = calendar.timegm((1994, 11, 6, 8, 49, 37, 0, 0, 0))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("Sun, 06 Nov 1994 08:49:37 GMT", SUNDAY, id="9110-5.6.7-imf-fixdate"),
        pytest.param("Sunday, 06-Nov-94 08:49:37 GMT", SUNDAY, id="9110-5.6.7-rfc850"),
        pytest.param("Sun Nov  6 08:49:37 1994", SUNDAY, id="9110-5.6.7-asctime-space-day"),
        pytest.param("Sun Nov 06 08:49:37 1994", SUNDAY, id="9110-5.6.7-asctime-two-digit-day"),
        pytest.param("sun, 06 nov 1994 08:49:37 gmt", SUNDAY, id="9111-4.2-case-insensitive"),
        pytest.param("SUNDAY, 06-NOV-94 08:49:37 GMT", SUNDAY, id="9111-4.2-rfc850-upper"),
        pytest.param(" Sun, 06 Nov 1994 08:49:37 GMT ", SUNDAY, id="9110-5.5-outer-ows-stripped"),
        pytest.param(http_date(0), int(NOW), id="9110-5.6.7-formatdate-round-trip"),
        pytest.param(
            "Thursday, 01-Jan-05 00:00:00 GMT",
            calendar.timegm((2005, 1, 1, 0, 0, 0, 0, 0, 0)),
            id="9110-5.6.7-rfc850-two-digit-year-2000s",
        ),
        pytest.param(
            "Thursday, 01-Jan-70 00:00:00 GMT", 0, id="9110-5.6.7-rfc850-two-digit-year-1970"
        ),
        pytest.param(
            "Sat, 31 Dec 2022 23:59:60 GMT",
            calendar.timegm((2023, 1, 1, 0, 0, 0, 0, 0, 0)),
            id="9110-5.6.7-leap-second",
        ),
        pytest.param(
            "Tue, 29 Feb 2000 12:00:00 GMT",
            calendar.timegm((2000, 2, 29, 12, 0, 0, 0, 0, 0)),
            id="9110-5.6.7-leap-day",
        ),
        pytest.param("Thu, 01 Jan 1970 00:00:00 GMT", 0, id="9110-5.6.7-epoch"),
        pytest.param(
            "Mon, 01 Jan 0001 00:00:00 GMT",
            calendar.timegm((1, 1, 1, 0, 0, 0, 0, 0, 0)),
            id="9110-5.6.7-year-one",
        ),
        pytest.param("Sun, 06 Nov 0000 08:49:37 GMT", None, id="9110-5.6.7-year-zero"),
        pytest.param("Thu, 29 Feb 1900 00:00:00 GMT", None, id="9110-5.6.7-no-leap-day-1900"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 GMT\t", SUNDAY, id="9110-5.5-trailing-tab"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 gmt", SUNDAY, id="9111-4.2-lower-case-zone"),
        pytest.param("Sun, \u06606 Nov 1994 08:49:37 GMT", None, id="9110-5.6.7-non-ascii-digit"),
        pytest.param(
            "Fri, 31 Dec 9999 23:59:59 GMT",
            calendar.timegm((9999, 12, 31, 23, 59, 59, 0, 0, 0)),
            id="9110-5.6.7-far-future",
        ),
        pytest.param(
            "Mon, 01 Jan 1900 00:00:00 GMT",
            calendar.timegm((1900, 1, 1, 0, 0, 0, 0, 0, 0)),
            id="9110-5.6.7-before-epoch",
        ),
        # invalid
        pytest.param("0", None, id="9111-5.3-zero"),
        pytest.param("", None, id="9110-5.6.7-empty"),
        pytest.param("-1", None, id="9110-5.6.7-negative-number"),
        pytest.param("tomorrow", None, id="9110-5.6.7-garbage"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 UTC", None, id="9111-4.2-zone-utc"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 +0000", None, id="9111-4.2-zone-offset"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 EST", None, id="9111-4.2-zone-est"),
        pytest.param("Sun, 06 Nov 1994 08:49:37", None, id="9110-5.6.7-no-zone"),
        pytest.param("Sun 06 Nov 1994 08:49:37 GMT", None, id="9110-5.6.7-missing-comma"),
        pytest.param("Sun,  06 Nov 1994 08:49:37 GMT", None, id="9110-5.6.7-extra-space"),
        pytest.param("Sun, 06 Nov 1994  08:49:37 GMT", None, id="9110-5.6.7-extra-space-time"),
        pytest.param("Sun, 06-Nov-1994 08:49:37 GMT", None, id="9110-5.6.7-dashes-in-imf"),
        pytest.param("Sun, 06.Nov.1994 08:49:37 GMT", None, id="9110-5.6.7-periods"),
        pytest.param("Sun, 06 Nov 1994 8:49:37 GMT", None, id="9110-5.6.7-one-digit-hour"),
        pytest.param("Sun, 6 Nov 1994 08:49:37 GMT", None, id="9110-5.6.7-one-digit-day-imf"),
        pytest.param("Sun, 06 Nov 94 08:49:37 GMT", None, id="9110-5.6.7-two-digit-year-imf"),
        pytest.param("Sunday, 06-Nov-1994 08:49:37 GMT", None, id="9110-5.6.7-rfc850-four-digits"),
        pytest.param("Sun, 06-Nov-94 08:49:37 GMT", None, id="9110-5.6.7-rfc850-short-day"),
        pytest.param("Sunday, 06 Nov 1994 08:49:37 GMT", None, id="9110-5.6.7-imf-long-day"),
        pytest.param("Sun Nov 6 08:49:37 1994", None, id="9110-5.6.7-asctime-single-space"),
        pytest.param("Sun Nov  6 08:49:37 94", None, id="9110-5.6.7-asctime-short-year"),
        pytest.param("Sun Nov  6 08:49:37 1994 GMT", None, id="9110-5.6.7-asctime-with-zone"),
        pytest.param("Foo, 06 Nov 1994 08:49:37 GMT", None, id="9110-5.6.7-bad-day-name"),
        pytest.param("Sun, 06 Noo 1994 08:49:37 GMT", None, id="9110-5.6.7-bad-month"),
        pytest.param("Sun, 31 Nov 1994 08:49:37 GMT", None, id="9110-5.6.7-day-out-of-month"),
        pytest.param("Sun, 29 Feb 1900 08:49:37 GMT", None, id="9110-5.6.7-not-a-leap-year"),
        pytest.param("Sun, 00 Nov 1994 08:49:37 GMT", None, id="9110-5.6.7-day-zero"),
        pytest.param("Sun, 06 Nov 1994 24:00:00 GMT", None, id="9110-5.6.7-hour-24"),
        pytest.param("Sun, 06 Nov 1994 08:60:00 GMT", None, id="9110-5.6.7-minute-60"),
        pytest.param("Sun, 06 Nov 1994 08:49:61 GMT", None, id="9110-5.6.7-second-61"),
        pytest.param("Sun, 06 Nov 1994 08.49.37 GMT", None, id="9110-5.6.7-time-periods"),
        pytest.param("Sun, 06 Nov 0000 08:49:37 GMT", None, id="9110-5.6.7-year-zero"),
        pytest.param("Sun, +6 Nov 1994 08:49:37 GMT", None, id="9110-5.6.7-signed-day"),
        pytest.param("Sun, ٠٦ Nov 1994 08:49:37 GMT", None, id="9110-5.6.7-non-ascii-digits"),
        pytest.param("1994-11-06T08:49:37Z", None, id="9110-5.6.7-iso-8601"),
        pytest.param("Mon, 06 Nov 1994 08:49:37 GMT", SUNDAY, id="9110-5.6.7-wrong-weekday"),
        pytest.param("Sun, 06 nov 1994 08:49:37 GMT", SUNDAY, id="9111-4.2-lower-case-month"),
        pytest.param(
            "Sunday, 06-Nov-69 08:49:37 GMT",
            calendar.timegm((2069, 11, 6, 8, 49, 37, 0, 0, 0)),
            id="9110-5.6.7-rfc850-two-digit-year-69",
        ),
        pytest.param("Sunday, 31-Nov-94 08:49:37 GMT", None, id="9110-5.6.7-rfc850-bad-day"),
        pytest.param("Sunday, 00-Nov-94 08:49:37 GMT", None, id="9110-5.6.7-rfc850-day-zero"),
        pytest.param("Sun Feb 29 08:49:37 1900", None, id="9110-5.6.7-asctime-no-leap-day"),
        pytest.param("Sun Nov  0 08:49:37 1994", None, id="9110-5.6.7-asctime-day-zero"),
        pytest.param("Sun Nov 32 08:49:37 1994", None, id="9110-5.6.7-asctime-day-32"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 GMTx", None, id="9110-5.6.7-trailing-junk"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 GMT, x", None, id="9110-5.6.7-trailing-list"),
        pytest.param("Sun, 06 Nov 1994 08:49:37 GMT GMT", None, id="9110-5.6.7-zone-twice"),
    ],
)
def test_parse_http_date(value: str, expected: int | None) -> None:
    assert parse_http_date(value) == expected


def test_canonical_and_folded_forms_agree_over_the_calendar() -> None:
    """The IMF-fixdate read as written and read case-folded give ``calendar.timegm``."""
    for year in (1, 99, 1899, 1900, 1970, 1999, 2000, 2024, 2100, 2400, 9999):
        for month, name in enumerate(calendar.month_abbr[1:], start=1):
            for day in (1, 28, 29, 30, 31):
                if day > calendar.monthrange(year, month)[1]:
                    continue
                expected = calendar.timegm((year, month, day, 23, 59, 58, 0, 0, 0))
                value = f"Mon, {day:02} {name} {year:04} 23:59:58 GMT"
                assert parse_http_date(value) == expected, value
                assert parse_http_date(value.lower()) == expected, value


@pytest.mark.parametrize("day", range(-1, 33))
@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize("year", [1900, 1999, 2000, 2024, 2069])
def test_every_form_takes_the_days_of_the_calendar_and_no_other(
    year: int, month: int, day: int
) -> None:
    """Each form accepts exactly the days the Gregorian calendar has (leap years too)."""
    valid = 1 <= day <= calendar.monthrange(year, month)[1]
    expected = calendar.timegm((year, month, day, 8, 49, 37, 0, 0, 0)) if valid else None
    name = calendar.month_abbr[month]
    dd = f"{day:02}" if day >= 0 else "-1"
    forms = [f"Sun, {dd} {name} {year:04} 08:49:37 GMT", f"Sun {name} {dd:>2} 08:49:37 {year}"]
    if year >= 1970:  # (the two-digit year of RFC 850 is 1970-2069)
        forms.append(f"Sunday, {dd}-{name}-{year % 100:02} 08:49:37 GMT")
    for value in forms:
        assert parse_http_date(value) == expected, value
        assert parse_http_date(value.lower()) == expected, value
