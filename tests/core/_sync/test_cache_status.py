# GENERATED from the async source by scripts/unasync.py; do not edit.
"""What happened, told: ``extensions["cache_status"]``, the RFC 9211 ``Cache-Status`` field
and the ``.stats`` counters, end to end against a loopback origin."""

from __future__ import annotations

import pytest

import hishel
from tests.origin import Origin
from tests.storage_fixtures import FakeClock


def client(clock: FakeClock, **options: object) -> hishel.CacheClient:
    controller = hishel.Controller(clock=clock, **options)  # type: ignore[arg-type]
    return hishel.CacheClient(storage=hishel.InMemoryStorage(), controller=controller)


def test_9211_miss_hit_and_revalidation(origin: Origin, clock: FakeClock) -> None:
    origin.route("/f", body=b"f", headers={"Cache-Control": "max-age=60"})
    origin.route("/r", body=b"r", etag="v1", headers={"Cache-Control": "no-cache"})
    with client(clock) as c:
        miss = c.get(origin.url("/f"))
        clock.advance(10)
        hit = c.get(origin.url("/f"))
        c.get(origin.url("/r"))
        revalidated = c.get(origin.url("/r"))
        stats = c.stats
    assert miss.extensions["cache_status"] == "hishel; fwd=uri-miss; fwd-status=200; stored"
    assert hit.extensions["cache_status"] == "hishel; hit; ttl=50"  # RFC 9211 §2.4
    assert revalidated.extensions["cache_status"] == "hishel; fwd=stale; fwd-status=304"
    assert "Cache-Status" not in hit.headers  # only with cache_status_header=True
    assert stats == hishel.CacheStats(hits=1, misses=2, revalidated=1, stored=2)


def test_9211_stale_served_when_the_origin_is_down(origin: Origin, clock: FakeClock) -> None:
    origin.route("/s", body=b"s", etag="v1", headers={"Cache-Control": "max-age=10"})
    with client(clock, allow_stale=True) as c:
        c.get(origin.url("/s"))
        clock.advance(30)
        origin.stop()
        stale = c.get(origin.url("/s"))
        stats = c.stats
    assert stale.extensions["cache_status"] == ('hishel; hit; ttl=-20; detail="origin unreachable"')
    assert (stats.hits, stats.stale_served) == (1, 1)


def test_9211_why_a_request_was_forwarded(origin: Origin, clock: FakeClock) -> None:
    origin.route("/v", body=b"v", vary="Accept", headers={"Cache-Control": "max-age=60"})
    origin.route("/p", body=b"p", headers={"Cache-Control": "max-age=60"})
    with client(clock) as c:
        c.get(origin.url("/v"), headers={"Accept": "a"})
        vary_miss = c.get(origin.url("/v"), headers={"Accept": "b"})
        asked = c.get(origin.url("/v"), headers={"Accept": "a", "Cache-Control": "no-cache"})
        post = c.post(origin.url("/p"), content=b"x")
        bypass = c.get(origin.url("/p"), extensions={"cache_disabled": True})
        stats = c.stats
    assert vary_miss.extensions["cache_status"].startswith("hishel; fwd=vary-miss;")
    assert asked.extensions["cache_status"].startswith("hishel; fwd=request;")
    assert post.extensions["cache_status"] == "hishel; fwd=method; fwd-status=200"
    assert bypass.extensions["cache_status"] == "hishel; fwd=bypass; fwd-status=200"
    assert (stats.misses, stats.hits) == (3, 0)  # method and bypass are not misses


def test_9211_a_revalidation_the_request_asked_for(origin: Origin, clock: FakeClock) -> None:
    # RFC 9211 §2.2: fwd=request when the request's own directives sent it to the origin,
    # also when the answer is a 304 that validates the stored response.
    origin.route("/e", body=b"e", etag="v1", headers={"Cache-Control": "max-age=60"})
    with client(clock) as c:
        c.get(origin.url("/e"))
        asked = c.get(origin.url("/e"), headers={"Cache-Control": "no-cache"})
        stats = c.stats
    assert asked.extensions["cache_status"] == "hishel; fwd=request; fwd-status=304; ttl=60"
    assert asked.extensions["revalidated"] and asked.extensions["from_cache"]
    assert (stats.misses, stats.revalidated) == (1, 1)


@pytest.mark.parametrize(
    "options",
    [{"default_ttl": 100}, {"ttl_rules": {"*/d": 100}}],
    ids=["default_ttl", "ttl_rules"],
)
def test_9211_ttl_counts_a_lifetime_the_user_chose(
    origin: Origin, clock: FakeClock, options: dict[str, object]
) -> None:
    # RFC 9211 §2.4: ttl is the freshness left, including what configuration assigns.
    origin.route("/d", body=b"d")  # no caching headers at all
    with client(clock, **options) as c:
        c.get(origin.url("/d"))
        clock.advance(30)
        hit = c.get(origin.url("/d"))
        clock.advance(100)
        stale = c.get(origin.url("/d"))
    assert hit.extensions["cache_status"] == "hishel; hit; ttl=70"
    assert stale.extensions["cache_status"].startswith("hishel; fwd=stale;")


def test_9211_force_cache_without_a_lifetime_has_no_ttl(
    origin: Origin, clock: FakeClock
) -> None:
    origin.route("/n", body=b"n", headers={"Cache-Control": "no-store"})
    with client(clock, force_cache=True) as c:
        c.get(origin.url("/n"))
        hit = c.get(origin.url("/n"))
    assert hit.extensions["cache_status"] == "hishel; hit"  # fresh for ever: no ttl to say


def test_9211_the_header_when_asked_for(origin: Origin, clock: FakeClock) -> None:
    origin.route("/h", body=b"h", headers={"Cache-Control": "max-age=60"})
    with client(clock, cache_status_header=True) as c:
        miss = c.get(origin.url("/h"))
        hit = c.get(origin.url("/h"))
    assert miss.headers["Cache-Status"] == "hishel; fwd=uri-miss; fwd-status=200; stored"
    assert hit.headers["Cache-Status"] == "hishel; hit; ttl=60"
    assert hit.extensions["cache_status"] == hit.headers["Cache-Status"]


def test_the_stats_of_transports_and_pools_are_theirs() -> None:
    import httpx

    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(200, headers={"Cache-Control": "max-age=60"}, content=b"x")

    transport = hishel.CacheTransport(
        httpx.MockTransport(handler), storage=hishel.InMemoryStorage()
    )
    with httpx.Client(transport=transport) as c:
        for _ in range(3):
            c.get("https://a.test/")
    assert transport.stats == hishel.CacheStats(hits=2, misses=1, stored=1)
    assert calls == 1
