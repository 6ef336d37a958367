"""The flow and storage contract, run through every host by parametrising over the drivers.

Each scenario is written once against the driver protocol (tests/hosts/drivers) and runs for
every driver the package collects (httpx, httpcore, and any host that adds a driver module)
over real storages (tests/hosts/storage_specs.py) and a real loopback origin that counts what
reaches it, so "served from cache" is checked as "the origin was not contacted". The whole
scenario set runs over memory and file; the scenarios that exercise the storage itself (a
hit, a revalidation, a streamed body, a Vary variant) also run over SQLite, Redis and S3.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable

import pytest

import hishel
from tests.clock import FakeClock
from tests.hosts.drivers import DRIVERS, RAW_BODY_LIBRARIES, Driver, StorageSpec
from tests.hosts.storage_specs import ALL_STORAGES
from tests.origin import Origin

FULL = ["memory", "file"]  # every scenario
MakeSpec = Callable[[str], StorageSpec]

every_driver = pytest.mark.parametrize("driver", DRIVERS, ids=lambda d: d.name)
full_storages = pytest.mark.parametrize("storage", FULL)
all_storages = pytest.mark.parametrize("storage", ALL_STORAGES)


@every_driver
@all_storages
def test_fresh_entry_is_served_without_contacting_the_origin(
    driver: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    origin.route("/fresh", body=b"fresh body", headers={"Cache-Control": "max-age=60"})
    with driver.open(make_spec(storage), hishel.Controller(clock=clock)) as client:
        first = client.request("GET", origin.url("/fresh"))
        clock.advance(10)
        second = client.request("GET", origin.url("/fresh"))
    assert (first.status, first.body, first.from_cache) == (200, b"fresh body", False)
    # RFC 9111 §4.2: a fresh stored response is reused without forwarding the request.
    assert (second.status, second.body, second.from_cache) == (200, b"fresh body", True)
    assert second.revalidated is False
    assert origin.count("/fresh") == 1
    # RFC 9111 §5.1: the reused response carries its Age; RFC 9211 §2: hishel reports a hit.
    assert int(second.headers["age"]) >= 10
    assert second.cache_status is not None and second.cache_status.startswith("hishel; hit")
    assert first.cache_status is not None and "fwd=" in first.cache_status


@every_driver
@all_storages
def test_stale_entry_is_revalidated_and_the_stored_body_served(
    driver: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    origin.route("/tag", body=b"validated", etag="v1", headers={"Cache-Control": "max-age=5"})
    with driver.open(make_spec(storage), hishel.Controller(clock=clock)) as client:
        client.request("GET", origin.url("/tag"))
        clock.advance(6)
        # the 304 carries the new Cache-Control, which replaces the stored one (§4.3.4)
        origin.route("/tag", body=b"validated", etag="v1", headers={"Cache-Control": "max-age=600"})
        answer = client.request("GET", origin.url("/tag"))
        clock.advance(1)
        again = client.request("GET", origin.url("/tag"))
    # RFC 9111 §4.3.1: the stale entry's validator goes out as If-None-Match; §4.3.4: the 304
    # selects the stored response, which is served with its stored body.
    assert origin.last_request("/tag").headers["If-None-Match"] == '"v1"'
    assert origin.answered(304) == 1
    assert (answer.status, answer.body) == (200, b"validated")
    assert answer.from_cache and answer.revalidated
    # RFC 9111 §4.3.4: the 304's headers freshen the entry.
    assert again.from_cache and not again.revalidated
    assert origin.count("/tag") == 2


@every_driver
@all_storages
def test_streamed_body_is_stored_and_served_whole(
    driver: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    body = bytes(range(256)) * 1024
    origin.route("/stream", body=body, headers={"Cache-Control": "max-age=600"})
    with driver.open(make_spec(storage), hishel.Controller(clock=clock)) as client:
        streamed = client.request("GET", origin.url("/stream"), stream=True)
        cached = client.request("GET", origin.url("/stream"))
        cached_streamed = client.request("GET", origin.url("/stream"), stream=True)
    # RFC 9111 §3.1: a response read to its end is complete and may be stored.
    assert (streamed.body, streamed.from_cache) == (body, False)
    assert (cached.body, cached.from_cache) == (body, True)
    assert (cached_streamed.body, cached_streamed.from_cache) == (body, True)
    assert origin.count("/stream") == 1


@every_driver
@all_storages
def test_vary_other_request_header_is_a_miss(
    driver: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    origin.handler(
        "/vary",
        lambda request: (
            200,
            {"Cache-Control": "max-age=600", "Vary": "Accept-Language"},
            ("lang:" + request.headers.get("Accept-Language", "-")).encode(),
        ),
    )
    with driver.open(make_spec(storage), hishel.Controller(clock=clock)) as client:
        client.request("GET", origin.url("/vary"), headers={"Accept-Language": "en"})
        french = client.request("GET", origin.url("/vary"), headers={"Accept-Language": "fr"})
        english = client.request("GET", origin.url("/vary"), headers={"Accept-Language": "en"})
    # RFC 9111 §4.1: a stored response is reused only for a request whose nominated fields
    # match the ones that produced it.
    assert (french.body, french.from_cache) == (b"lang:fr", False)
    assert (english.body, english.from_cache) == (b"lang:en", True)
    assert origin.count("/vary") == 2


@every_driver
@full_storages
def test_no_store_response_is_not_stored(
    driver: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    origin.route("/nostore", body=b"secret", headers={"Cache-Control": "no-store, max-age=600"})
    with driver.open(make_spec(storage), hishel.Controller(clock=clock)) as client:
        first = client.request("GET", origin.url("/nostore"))
        second = client.request("GET", origin.url("/nostore"))
    # RFC 9111 §5.2.2.5 and §3: a cache must not store a response carrying no-store.
    assert (first.body, second.body) == (b"secret", b"secret")
    assert not first.from_cache and not second.from_cache
    assert origin.count("/nostore") == 2


@every_driver
@full_storages
def test_authorization_private_cache_stores_shared_cache_only_when_allowed(
    driver: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    origin.route("/auth", body=b"mine", headers={"Cache-Control": "max-age=600"})
    origin.route("/auth-public", body=b"ours", headers={"Cache-Control": "public, max-age=600"})
    origin.route("/auth-shared", body=b"shared", headers={"Cache-Control": "s-maxage=600"})
    auth = {"Authorization": "Bearer token"}
    spec = make_spec(storage)
    with driver.open(spec, hishel.Controller(clock=clock)) as client:
        client.request("GET", origin.url("/auth"), headers=auth)
        private_reuse = client.request("GET", origin.url("/auth"), headers=auth)
    shared = hishel.Controller(clock=clock, cache_private=False)
    with driver.open(make_spec(storage), shared) as client:
        url = origin.url("/auth") + "?shared"
        client.request("GET", url, headers=auth)
        shared_reuse = client.request("GET", url, headers=auth)
        outcomes = {}
        for path in ("/auth-public", "/auth-shared"):
            client.request("GET", origin.url(path), headers=auth)
            outcomes[path] = client.request("GET", origin.url(path), headers=auth).from_cache
    # A private cache (the default) may store a response to an authorized request.
    assert private_reuse.from_cache and private_reuse.body == b"mine"
    # RFC 9111 §3.5: a shared cache stores it only with public, s-maxage or must-revalidate.
    assert not shared_reuse.from_cache
    assert origin.count("/auth?shared") == 2
    assert outcomes == {"/auth-public": True, "/auth-shared": True}


@every_driver
@full_storages
def test_force_cache_serves_no_store_and_stale_entries(
    driver: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    origin.route("/forced", body=b"uncacheable", headers={"Cache-Control": "no-store"})
    origin.route("/short", body=b"short-lived", headers={"Cache-Control": "max-age=1"})
    with driver.open(make_spec(storage), hishel.Controller(clock=clock)) as client:
        client.request("GET", origin.url("/forced"), force_cache=True)
        forced = client.request("GET", origin.url("/forced"), force_cache=True)
        plain = client.request("GET", origin.url("/forced"))
        client.request("GET", origin.url("/short"), force_cache=True)
        clock.advance(100)
        stale_forced = client.request("GET", origin.url("/short"), force_cache=True)
    # hishel's force_cache (docs/controller.md): store and reuse whatever the headers say,
    # with no lifetime of its own unless default_ttl or ttl_rules give one.
    assert (forced.body, forced.from_cache) == (b"uncacheable", True)
    assert plain.from_cache is False  # without the extension the no-store rules apply again
    assert origin.count("/forced") == 2
    assert (stale_forced.body, stale_forced.from_cache) == (b"short-lived", True)
    assert origin.count("/short") == 1


@every_driver
@full_storages
def test_cache_disabled_neither_reads_nor_writes(
    driver: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    origin.route("/off", body=b"x", headers={"Cache-Control": "max-age=600"})
    with driver.open(make_spec(storage), hishel.Controller(clock=clock)) as client:
        first = client.request("GET", origin.url("/off"), cache_disabled=True)
        second = client.request("GET", origin.url("/off"))  # nothing was written
        bypass = client.request("GET", origin.url("/off"), cache_disabled=True)  # not read
        hit = client.request("GET", origin.url("/off"))
    assert [a.from_cache for a in (first, second, bypass, hit)] == [False, False, False, True]
    assert origin.count("/off") == 3


@every_driver
@full_storages
def test_stale_if_error_serves_the_stored_response_when_the_origin_is_down(
    driver: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    origin.route(
        "/sie", body=b"good", etag="e1", headers={"Cache-Control": "max-age=10, stale-if-error=600"}
    )
    controller = hishel.Controller(clock=clock, stale_if_error=True)
    with driver.open(make_spec(storage), controller) as client:
        client.request("GET", origin.url("/sie"))
        clock.advance(60)
        origin.stop()
        try:
            down = client.request("GET", origin.url("/sie"))
        finally:
            origin.start()
        origin.route("/sie", status=503, body=b"broken")
        failing = client.request("GET", origin.url("/sie"))
    # RFC 5861 §4: within the stale-if-error window a stale response may be used when the
    # origin cannot be reached or answers 500, 502, 503 or 504.
    assert (down.status, down.body, down.from_cache) == (200, b"good", True)
    assert (failing.status, failing.body, failing.from_cache) == (200, b"good", True)


@every_driver
@full_storages
def test_post_is_not_served_from_cache_and_invalidates_the_url(
    driver: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    origin.handler(
        "/res",
        lambda request: (200, {"Cache-Control": "max-age=600"}, request.method.encode()),
    )
    with driver.open(make_spec(storage), hishel.Controller(clock=clock)) as client:
        client.request("GET", origin.url("/res"))
        hit = client.request("GET", origin.url("/res"))
        posts = [client.request("POST", origin.url("/res"), body=b"change") for _ in range(2)]
        after = client.request("GET", origin.url("/res"))
    assert hit.from_cache
    # RFC 9110 §9.3.3 / the default cacheable_methods ["GET"]: a POST always goes to the origin.
    assert [(p.body, p.from_cache) for p in posts] == [(b"POST", False), (b"POST", False)]
    # RFC 9111 §4.4: a successful unsafe request invalidates the stored responses of its URL.
    assert (after.body, after.from_cache) == (b"GET", False)
    assert origin.count("/res") == 4  # GET, two POSTs, GET after the invalidation


@every_driver
@full_storages
def test_gzip_response_is_stored_and_served_as_the_library_serves_it(
    driver: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    text = b"compressible " * 200
    packed = gzip.compress(text, mtime=0)
    origin.route(
        "/gz",
        body=packed,
        headers={"Cache-Control": "max-age=600", "Content-Encoding": "gzip"},
    )
    with driver.open(make_spec(storage), hishel.Controller(clock=clock)) as client:
        first = client.request("GET", origin.url("/gz"))
        cached = client.request("GET", origin.url("/gz"))
        cached_streamed = client.request("GET", origin.url("/gz"), stream=True)
    # RFC 9111 §3: the cache stores the response as received (its content coding included);
    # a decoding client decodes it on the way out, as it would from the network.
    expected = packed if driver.library in RAW_BODY_LIBRARIES else text
    assert first.body == expected
    assert (cached.body, cached.from_cache) == (expected, True)
    assert (cached_streamed.body, cached_streamed.from_cache) == (expected, True)
    assert cached.headers["content-encoding"] == "gzip"
    assert origin.count("/gz") == 1


@every_driver
@full_storages
def test_only_if_cached_without_an_entry_is_504_without_traffic(
    driver: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    origin.route("/oic", body=b"x", headers={"Cache-Control": "max-age=600"})
    only = {"Cache-Control": "only-if-cached"}
    with driver.open(make_spec(storage), hishel.Controller(clock=clock)) as client:
        missing = client.request("GET", origin.url("/oic"), headers=only)
        client.request("GET", origin.url("/oic"))
        stored = client.request("GET", origin.url("/oic"), headers=only)
    # RFC 9111 §5.2.1.7: with nothing stored the cache answers 504 and contacts nobody.
    assert missing.status == 504 and not missing.from_cache
    assert (stored.status, stored.body, stored.from_cache) == (200, b"x", True)
    assert origin.count("/oic") == 1


@every_driver
@full_storages
def test_request_no_cache_revalidates_a_fresh_entry(
    driver: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    origin.route("/rnc", body=b"kept", etag="n1", headers={"Cache-Control": "max-age=600"})
    with driver.open(make_spec(storage), hishel.Controller(clock=clock)) as client:
        client.request("GET", origin.url("/rnc"))
        answer = client.request("GET", origin.url("/rnc"), headers={"Cache-Control": "no-cache"})
    # RFC 9111 §5.2.1.4: a request's no-cache forbids reuse without validation.
    assert (answer.body, answer.from_cache, answer.revalidated) == (b"kept", True, True)
    assert origin.count("/rnc") == 2 and origin.answered(304) == 1


@every_driver
@full_storages
def test_truncated_response_is_not_stored(
    driver: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    cache = {"Cache-Control": "max-age=600"}
    origin.route("/cut", body=b"y" * 50_000, headers=cache, truncate=1000)
    with driver.open(make_spec(storage), hishel.Controller(clock=clock)) as client:
        with pytest.raises(Exception) as cut:  # each library names the broken read its own way
            client.request("GET", origin.url("/cut"), stream=True)
        origin.route("/cut", body=b"whole", headers=cache)
        answer = client.request("GET", origin.url("/cut"))
    assert not isinstance(cut.value, AssertionError)
    # RFC 9111 §3.3: an incomplete response (fewer bytes than Content-Length) is not stored
    # as if complete.
    assert (answer.body, answer.from_cache) == (b"whole", False)
    assert origin.count("/cut") == 2
