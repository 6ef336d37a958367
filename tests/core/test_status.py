"""The Cache-Status member (RFC 9211 §2) and the counters behind ``.stats``, one outcome per row."""

from __future__ import annotations

import typing as t

import pytest

from hishel._core._messages import Response
from hishel._core._status import CacheStats, Marker, Outcome, StatsCounter
from hishel._policy._structured import parse_dictionary

FIELD_VALUES = [
    (Outcome(hit=True), "hishel; hit"),  # RFC 9211 §2.1
    (Outcome(hit=True, ttl=50), "hishel; hit; ttl=50"),  # RFC 9211 §2.4
    (Outcome(hit=True, ttl=-20, stale=True), "hishel; hit; ttl=-20"),
    (Outcome(hit=True, ttl=3, collapsed=True), "hishel; hit; ttl=3; collapsed"),  # §2.6
    (
        Outcome(hit=True, ttl=0, detail="origin unreachable"),
        'hishel; hit; ttl=0; detail="origin unreachable"',  # RFC 9211 §2.8
    ),
    (
        Outcome(hit=True, collapsed=True, detail="x"),
        'hishel; hit; collapsed; detail="x"',
    ),
    (Outcome(fwd="bypass", fwd_status=200), "hishel; fwd=bypass; fwd-status=200"),  # §2.2-3
    (
        Outcome(fwd="uri-miss", fwd_status=200, stored=True),
        "hishel; fwd=uri-miss; fwd-status=200; stored",  # RFC 9211 §2.5
    ),
    (
        Outcome(fwd="uri-miss", fwd_status=200, stored=True, collapsed=True),
        "hishel; fwd=uri-miss; fwd-status=200; stored; collapsed",
    ),
    (
        Outcome(fwd="stale", fwd_status=304, ttl=60, revalidated=True),
        "hishel; fwd=stale; fwd-status=304; ttl=60",
    ),
    (Outcome(detail="only-if-cached"), 'hishel; detail="only-if-cached"'),
    # RFC 9651 §4.1.6: backslash and quote escaped; what is not printable ASCII cannot be said
    (Outcome(detail='say "no"'), 'hishel; detail="say \\"no\\""'),
    (Outcome(detail="a\\b"), 'hishel; detail="a\\\\b"'),
    (Outcome(detail="caf\u00e9\n"), 'hishel; detail="caf??"'),
]

DETAILS = ['say "no"', "a\\b", "a\\\\", '\\"', "caf\u00e9", "tab\there", "~ ok !"]


@pytest.mark.parametrize("detail", DETAILS)
def test_a_detail_is_a_valid_sf_string_that_reads_back(detail: str) -> None:
    """Whatever the detail, the member parses (RFC 9651 §4.2.5), and reads back as the
    detail where it is printable ASCII."""
    value = Outcome(hit=True, detail=detail).field_value()
    params = value.split("; ", 2)[2]  # after "hishel; hit"
    parsed = parse_dictionary([params])
    assert parsed is not None, value
    said = parsed["detail"][0]
    assert said == "".join(c if " " <= c <= "~" else "?" for c in detail)


@pytest.mark.parametrize(("outcome", "value"), FIELD_VALUES)
def test_field_value(outcome: Outcome, value: str) -> None:
    assert outcome.field_value() == value


COUNTS = [
    (Outcome(hit=True, ttl=5), CacheStats(hits=1)),
    (Outcome(hit=True, ttl=-5, stale=True), CacheStats(hits=1, stale_served=1)),
    (Outcome(fwd="stale", fwd_status=304, revalidated=True), CacheStats(revalidated=1)),
    (Outcome(fwd="uri-miss", fwd_status=200, stored=True), CacheStats(misses=1, stored=1)),
    (Outcome(fwd="vary-miss", fwd_status=200), CacheStats(misses=1)),
    (Outcome(fwd="request", fwd_status=200, stored=True), CacheStats(misses=1, stored=1)),
    (Outcome(fwd="bypass", fwd_status=200), CacheStats()),  # not a cache decision
    (Outcome(fwd="method", fwd_status=201), CacheStats()),
    (Outcome(detail="only-if-cached"), CacheStats()),
]


@pytest.mark.parametrize(("outcome", "stats"), COUNTS)
def test_counts(outcome: Outcome, stats: CacheStats) -> None:
    counter = StatsCounter()
    counter.count(outcome)
    counter.count(outcome)
    assert counter.snapshot() == stats + stats


def test_errors_are_counted_apart() -> None:
    counter = StatsCounter()
    counter.error()
    counter.count(Outcome(hit=True))
    assert counter.snapshot() == CacheStats(hits=1, errors=1)


def _marked(header: bool, mark: t.Callable[[Marker, Response], Response]) -> tuple[object, ...]:
    stats = StatsCounter()
    response = Response(200, [(b"age", b"0")])
    mark(Marker(stats, header), response)
    return response.extensions, response.headers, stats.snapshot()


HITS = [  # (ttl, stale, collapsed, detail): each way a hit is said
    (50, False, False, None),
    (None, False, False, None),
    (-20, True, False, None),
    (3, False, True, None),
    (0, True, False, "origin unreachable"),
    (None, False, True, "x"),
]


@pytest.mark.parametrize("header", [False, True])
@pytest.mark.parametrize(("ttl", "stale", "collapsed", "detail"), HITS)
def test_a_hit_said_the_short_way_is_said_as_its_outcome(
    header: bool, ttl: int | None, stale: bool, collapsed: bool, detail: str | None
) -> None:
    """``Marker.hit`` sets the same extensions (RFC 9211 §2), field and counts as marking
    the hit's ``Outcome``."""
    metadata = {"number_of_uses": 2}
    outcome = Outcome(hit=True, ttl=ttl, stale=stale, collapsed=collapsed, detail=detail)
    short = _marked(header, lambda m, r: m.hit(r, metadata, ttl, stale, collapsed, detail))
    assert short == _marked(header, lambda m, r: m(r, outcome, metadata))
    extensions, headers, stats = short
    assert extensions == {
        "from_cache": True,
        "revalidated": False,
        "cache_metadata": metadata,
        "cache_status": outcome.field_value(),
    }
    said = [(b"Cache-Status", outcome.field_value().encode())] if header else []
    assert headers == [(b"age", b"0"), *said]
    assert stats == CacheStats(hits=1, stale_served=int(stale))
