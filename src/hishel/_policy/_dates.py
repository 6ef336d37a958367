"""HTTP-date (RFC 9110 §5.6.7) to epoch seconds, without locales or the clock.

Three forms are accepted, and nothing else: IMF-fixdate ``Sun, 06 Nov 1994 08:49:37 GMT``,
the obsolete RFC 850 form ``Sunday, 06-Nov-94 08:49:37 GMT`` and asctime
``Sun Nov  6 08:49:37 1994``. Each is fixed-width once its day name is known, so parsing is
slicing plus a few digit checks. Names and ``GMT`` match case-insensitively (RFC 9111 §4.2);
any other zone, a missing comma, extra or missing spaces, a one-digit hour, an impossible
day, ... is invalid and yields ``None``. The caller decides what invalid means (an invalid
Expires is "already expired", an invalid Date is ignored). RFC 850's two-digit year is read
with a fixed pivot (70-99 are 19xx, 00-69 are 20xx) because the policy reads no clock; this
approximates §5.6.7's "more than 50 years in the future" rule.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import formatdate

__all__ = ["parse_http_date"]

_DAY_NAMES = frozenset({"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
_LONG_DAY_NAMES = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip


def _number(text: str) -> int:
    """A run of ASCII digits as int, or -1 when it is anything else."""
    return int(text) if text.isascii() and text.isdigit() else -1


def _epoch(year: int, month: int | None, day: int, clock: str) -> int | None:
    # time-of-day = hour ":" minute ":" second, all 2DIGIT (RFC 9110 §5.6.7)
    if month is None or year < 1 or len(clock) != 8 or clock[2] != ":" or clock[5] != ":":
        return None
    hour, minute, second = _number(clock[0:2]), _number(clock[3:5]), _number(clock[6:8])
    return _civil(year, month, day, hour, minute, second)


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _civil(year: int, month: int, day: int, hour: int, minute: int, second: int) -> int | None:
    if not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 60):
        return None
    try:  # (the proleptic Gregorian calendar; an impossible day is a ValueError)
        days = date(year, month, day).toordinal() - _EPOCH_ORDINAL
    except ValueError:
        return None
    return days * 86400 + hour * 3600 + minute * 60 + second


_IMF_FIXDATE = re.compile(
    r"(?:mon|tue|wed|thu|fri|sat|sun), ([0-9]{2}) ([a-z]{3}) ([0-9]{4}) "
    r"([0-9]{2}):([0-9]{2}):([0-9]{2}) gmt"
)
"""IMF-fixdate (RFC 9110 §5.6.7), lower-cased: what nearly every Date is; read in one match."""

_CANONICAL_MONTHS = {name.capitalize(): month for name, month in _MONTHS.items()}
_CANONICAL_FIXDATE = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{2}) "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([0-9]{4}) "
    r"([0-9]{2}):([0-9]{2}):([0-9]{2}) GMT"
)
"""IMF-fixdate exactly as RFC 9110 §5.6.7 writes it (no case folding, no surrounding
whitespace to strip): read first; anything else goes the general way below."""


def parse_http_date(value: str) -> int | None:
    """Epoch seconds of an HTTP-date, or ``None`` when ``value`` is not a valid one."""
    canonical = _CANONICAL_FIXDATE.fullmatch(value)
    if canonical is not None:  # RFC 9110 §5.6.7: IMF-fixdate, as senders generate it
        day, name, year, hour, minute, second = canonical.groups()
        if year == "0000":
            return None
        return _civil(
            int(year), _CANONICAL_MONTHS[name], int(day), int(hour), int(minute), int(second)
        )
    v = value.strip().lower()
    fixdate = _IMF_FIXDATE.fullmatch(v)
    if fixdate is not None:  # RFC 9110 §5.6.7: IMF-fixdate
        day, name, year, hour, minute, second = fixdate.groups()
        month = _MONTHS.get(name)
        if month is None or year == "0000":
            return None
        return _civil(int(year), month, int(day), int(hour), int(minute), int(second))
    if len(v) == 29 and v[3:5] == ", ":
        # IMF-fixdate: "sun, 06 nov 1994 08:49:37 gmt"
        if (
            v[:3] not in _DAY_NAMES
            or v[7] != " "
            or v[11] != " "
            or v[16] != " "
            or v[25:] != " gmt"
        ):
            return None
        return _epoch(_number(v[12:16]), _MONTHS.get(v[8:11]), _number(v[5:7]), v[17:25])
    if len(v) == 24 and v[3] == " ":
        # asctime-date: "sun nov  6 08:49:37 1994"
        if v[:3] not in _DAY_NAMES or v[7] != " " or v[10] != " " or v[19] != " ":
            return None
        day = _number(v[9]) if v[8] == " " else _number(v[8:10])
        return _epoch(_number(v[20:24]), _MONTHS.get(v[4:7]), day, v[11:19])
    comma = v.find(", ")
    rest = v[comma + 2 :]
    if comma < 0 or v[:comma] not in _LONG_DAY_NAMES or len(rest) != 22:
        return None
    # rfc850-date rest: "06-nov-94 08:49:37 gmt"
    if rest[2] != "-" or rest[6] != "-" or rest[9] != " " or rest[18:] != " gmt":
        return None
    yy = _number(rest[7:9])
    if yy < 0:
        return None
    year = 1900 + yy if yy >= 70 else 2000 + yy  # RFC 9110 §5.6.7 (fixed pivot, no clock)
    return _epoch(year, _MONTHS.get(rest[3:6]), _number(rest[0:2]), rest[10:18])


def format_http_date(seconds: float) -> str:
    """An IMF-fixdate (RFC 9110 §5.6.7) for epoch ``seconds``."""
    return formatdate(int(seconds), usegmt=True)
