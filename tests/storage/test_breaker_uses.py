"""The storage breaker and the use-count batching, driven by a fake clock."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest

from hishel._core._messages import URL, Request
from hishel._storage._breaker import STORAGE_COOLDOWN, Breaker
from hishel._storage._codec import EntryHead
from hishel._storage._serializers import Metadata
from hishel._storage._uses import FLUSH_INTERVAL, MAX_PENDING, UseCounter
from tests.storage_fixtures import FakeClock


def test_breaker_opens_for_the_cooldown_after_a_failure(
    clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    breaker = Breaker(clock)
    assert breaker.available()
    with caplog.at_level(logging.DEBUG, logger="hishel"):
        breaker.failed("read", ConnectionError("down"))
    assert not breaker.available()
    clock.advance(STORAGE_COOLDOWN - 0.1)
    assert not breaker.available()
    clock.advance(0.1)
    assert breaker.available()  # probes again
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "read failed (ConnectionError)" in warnings[0].getMessage()
    assert warnings[0].exc_info is None  # no traceback at WARNING; it is at DEBUG
    assert any(r.exc_info for r in caplog.records if r.levelno == logging.DEBUG)


def _head(uses: int = 0) -> EntryHead:
    created = datetime(2024, 1, 1, tzinfo=timezone.utc)
    return EntryHead(
        200,
        [],
        {},
        Request(b"GET", URL.parse("https://example.com/")),
        Metadata(cache_key="k", number_of_uses=uses, created_at=created),
        0.0,
        0.0,
    )


def test_uses_are_counted_in_memory_and_due_by_time(clock: FakeClock) -> None:
    counter = UseCounter(clock)
    head = _head(uses=3)
    counts = [counter.count("k", head, "v", clock.now())["number_of_uses"] for _ in range(3)]
    assert counts == [4, 5, 6]
    assert not counter.due(clock.now())
    clock.advance(FLUSH_INTERVAL)
    assert counter.due(clock.now())
    pending = counter.take()
    assert pending["k"].metadata("k")["number_of_uses"] == 6
    assert pending["k"].last_used == clock.now() - FLUSH_INTERVAL  # the reading it was given
    assert pending["k"].version == "v"
    assert not counter.due(clock.now()) and counter.take() == {}


def test_uses_are_due_when_many_entries_are_pending(clock: FakeClock) -> None:
    counter = UseCounter(clock)
    for i in range(MAX_PENDING - 1):
        counter.count(f"k{i}", _head(), "v", clock.now())
    assert not counter.due(clock.now())
    counter.count("last", _head(), "v", clock.now())
    assert counter.due(clock.now())


def test_a_replaced_entry_starts_its_count_again(clock: FakeClock) -> None:
    counter = UseCounter(clock)
    counter.count("k", _head(uses=5), "v1", clock.now())
    assert counter.count("k", _head(uses=0), "v2", clock.now())["number_of_uses"] == 1
