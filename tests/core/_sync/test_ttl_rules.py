# GENERATED from the async source by scripts/unasync.py; do not edit.
"""Lifetimes the user chooses: default_ttl, ttl_rules and DO_NOT_CACHE (RFC 9111 §4.2.2: a
heuristic for responses without explicit freshness; explicit freshness wins)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

import hishel
from tests.origin import Origin
from tests.storage_fixtures import FakeClock


def client(clock: FakeClock, **options: object) -> hishel.CacheClient:
    controller = hishel.Controller(clock=clock, **options)  # type: ignore[arg-type]
    return hishel.CacheClient(storage=hishel.InMemoryStorage(), controller=controller)


def test_default_ttl_for_responses_without_freshness(
    origin: Origin, clock: FakeClock
) -> None:
    origin.route("/plain", body=b"p")
    origin.route("/explicit", body=b"e", headers={"Cache-Control": "max-age=5"})
    origin.route("/never", body=b"n", headers={"Cache-Control": "no-store"})
    with client(clock, default_ttl=timedelta(seconds=30)) as c:
        for path in ("/plain", "/explicit", "/never"):
            c.get(origin.url(path))
        clock.advance(20)
        plain = c.get(origin.url("/plain"))  # within the chosen 30 s
        explicit = c.get(origin.url("/explicit"))  # the origin's 5 s win
        never = c.get(origin.url("/never"))
        clock.advance(15)
        expired = c.get(origin.url("/plain"))
    assert plain.extensions["from_cache"]
    assert not explicit.extensions["from_cache"]
    assert not never.extensions["from_cache"]
    assert not expired.extensions["from_cache"]
    assert origin.count("/plain") == 2


def test_ttl_rules_first_match_wins_and_do_not_cache(
    origin: Origin, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    for path in ("/api/a", "/api/live/b", "/other"):
        origin.route(path, body=b"x", headers={"Cache-Control": "max-age=600"})
    rules = {
        f"{origin.base_url}/api/live/*": hishel.DO_NOT_CACHE,
        f"{origin.base_url}/api/*": 10,
    }
    caplog.set_level(logging.DEBUG, logger="hishel")
    with client(clock, ttl_rules=rules) as c:
        for path in ("/api/a", "/api/live/b", "/other"):
            c.get(origin.url(path))
            again = c.get(origin.url(path))
            assert again.extensions["from_cache"] is (path != "/api/live/b"), path
    assert origin.count("/api/live/b") == 2
    assert any("DO_NOT_CACHE" in record.getMessage() for record in caplog.records)


def test_under_force_cache_the_chosen_lifetime_is_the_lifetime(
    origin: Origin, clock: FakeClock
) -> None:
    origin.route("/f", body=b"f", headers={"Cache-Control": "no-cache, max-age=0"})
    with client(clock, force_cache=True, default_ttl=10) as c:
        c.get(origin.url("/f"))
        clock.advance(5)
        inside = c.get(origin.url("/f"))
        clock.advance(10)
        outside = c.get(origin.url("/f"))
    assert inside.extensions["from_cache"] and not outside.extensions["from_cache"]


def test_bad_lifetimes_fail_at_construction() -> None:
    with pytest.raises(ValueError, match="default_ttl"):
        hishel.Controller(default_ttl=-1)
    with pytest.raises(ValueError, match="ttl_rules"):
        hishel.Controller(ttl_rules={"https://a/*": "soon"})  # type: ignore[dict-item]
    with pytest.raises(TypeError, match="mapping"):
        hishel.Controller(ttl_rules=[("https://a/*", 1)])  # type: ignore[arg-type]
