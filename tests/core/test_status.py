"""The Cache-Status member (RFC 9211 §2) and the counters behind ``.stats``, one outcome per row."""

from __future__ import annotations

import pytest

from hishel._core._status import CacheStats, Outcome, StatsCounter

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
    (Outcome(detail='say "no"'), 'hishel; detail="say no"'),  # no quote inside the sf-string
]


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
