"""One cache, every host: an entry stored through any host is served through any other.

For each storage and each writing host A, the test stores five entries through A (a plain
read, a streamed read, one that needs revalidation, a gzip body, a Vary variant) and then
opens every other host B that can share that storage and reads them back. File, SQLite,
Redis and S3 keep entries in one place that sync and async storages alike open, so every
pair of hosts shares them; memory is a process-local object, shared among the sync hosts
and among the async hosts only. The origin counts requests, so "served" means the origin
was not contacted (or, for the entry that must be revalidated, answered 304 and the stored
body was served).
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

MakeSpec = Callable[[str], StorageSpec]
GERMAN = {"Accept-Language": "de"}


def readers_of(writer: Driver, storage: str) -> list[Driver]:
    """The other hosts that see what ``writer`` stored in ``storage``."""
    return [
        driver
        for driver in DRIVERS
        if driver.name != writer.name
        and (storage != "memory" or driver.is_async == writer.is_async)
    ]


@pytest.mark.parametrize("writer", DRIVERS, ids=lambda d: d.name)
@pytest.mark.parametrize("storage", ALL_STORAGES)
def test_entry_stored_through_one_host_is_served_through_every_other(
    writer: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    readers = readers_of(writer, storage)
    assert readers, "every host has at least one other host to share a storage with"
    body = bytes(range(256)) * 64
    origin.route(
        "/plain",
        body=b"stored by " + writer.name.encode(),
        headers={"Cache-Control": "max-age=600"},
    )
    origin.route("/streamed", body=body, headers={"Cache-Control": "max-age=600"})
    origin.route("/validated", body=b"check me", etag="c1", headers={"Cache-Control": "no-cache"})
    text = b"coded " * 100
    packed = gzip.compress(text, mtime=0)
    origin.route(
        "/coded", body=packed, headers={"Cache-Control": "max-age=600", "Content-Encoding": "gzip"}
    )
    origin.handler(
        "/varied",
        lambda request: (
            200,
            {"Cache-Control": "max-age=600", "Vary": "Accept-Language"},
            ("lang:" + request.headers.get("Accept-Language", "-")).encode(),
        ),
    )
    spec = make_spec(storage)
    controller = hishel.Controller(clock=clock)
    with writer.open(spec, controller) as client:
        client.request("GET", origin.url("/plain"))
        client.request("GET", origin.url("/streamed"), stream=True)
        client.request("GET", origin.url("/validated"))
        client.request("GET", origin.url("/coded"))
        client.request("GET", origin.url("/varied"), headers=GERMAN)
    with_readers = [(reader.name, read_all(reader, spec, controller, origin)) for reader in readers]

    def expected(reader: str) -> tuple[tuple[bytes, bool, bool], ...]:
        library = next(driver.library for driver in DRIVERS if driver.name == reader)
        return (
            (b"stored by " + writer.name.encode(), True, False),
            (body, True, False),
            (b"check me", True, True),  # RFC 9111 §4.3.4: the 304 selects the stored response
            # RFC 9111 §3: stored as received; each library decodes (or not) as from the network
            (packed if library in RAW_BODY_LIBRARIES else text, True, False),
            # RFC 9111 §4.1: the same nominated request field from another host matches
            (b"lang:de", True, False),
        )

    wrong = [(name, seen) for name, seen in with_readers if seen != expected(name)]
    assert wrong == [], f"hosts that did not serve {writer.name}'s {storage} entries"
    # RFC 9111 §4.2: every reuse of a fresh entry went without contacting the origin.
    assert origin.count("/plain") == 1
    assert origin.count("/streamed") == 1
    assert origin.count("/coded") == 1
    assert origin.count("/varied") == 1
    assert origin.count("/validated") == 1 + len(readers)
    assert origin.answered(304) == len(readers)


def read_all(
    reader: Driver, spec: StorageSpec, controller: hishel.Controller, origin: Origin
) -> tuple[tuple[bytes, bool, bool], ...]:
    """Read the three entries through ``reader`` (the streamed one with its streaming API)."""
    with reader.open(spec, controller) as client:
        answers = (
            client.request("GET", origin.url("/plain")),
            client.request("GET", origin.url("/streamed"), stream=True),
            client.request("GET", origin.url("/validated")),
            client.request("GET", origin.url("/coded")),
            client.request("GET", origin.url("/varied"), headers=GERMAN),
        )
    return tuple((a.body, a.from_cache, a.revalidated) for a in answers)


@pytest.mark.parametrize("writer", DRIVERS, ids=lambda d: d.name)
@pytest.mark.parametrize("storage", ALL_STORAGES)
def test_hosts_open_at_once_share_entries_and_invalidations(
    writer: Driver, storage: str, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    origin.handler(
        "/live/*",
        lambda request: (200, {"Cache-Control": "max-age=600"}, request.method.encode()),
    )
    spec = make_spec(storage)
    controller = hishel.Controller(clock=clock)
    seen: list[tuple[str, bool, bool, bytes, bool]] = []
    with writer.open(spec, controller) as a:
        for reader in readers_of(writer, storage):
            url = origin.url(f"/live/{reader.name}")
            with reader.open(spec, controller) as b:  # both clients open over one storage
                a.request("GET", url)
                shared = b.request("GET", url).from_cache
                # RFC 9111 §4.4: the unsafe request through B invalidates the URL for A too.
                posted = b.request("POST", url, body=b"change")
                after = a.request("GET", url)
            seen.append((reader.name, shared, posted.from_cache, after.body, after.from_cache))
    wrong = [row for row in seen if row[1:] != (True, False, b"GET", False)]
    assert wrong == [], f"hosts out of step with {writer.name} over {storage}"
    assert origin.count() == 3 * len(seen)  # per pair: A GET, B POST, A GET (B GET was a hit)


@pytest.mark.parametrize("writer", DRIVERS, ids=lambda d: d.name)
def test_a_percent_encoded_url_keys_alike_through_every_host(
    writer: Driver, make_spec: MakeSpec, origin: Origin, clock: FakeClock
) -> None:
    """requests sends ``/t%7Eb`` as ``/t~b``, httpx and httpcore as written: the key is the
    URL's normal form (RFC 9110 §4.2.3), so the entry one stored, every other serves."""
    for path in ("/t~b", "/t%7Eb", "/t%7eb"):  # whichever form a host sends
        origin.route(path, body=b"tilde", headers={"Cache-Control": "max-age=600"})
    spec = make_spec("file")
    controller = hishel.Controller(clock=clock)
    with writer.open(spec, controller) as client:
        client.request("GET", origin.url("/t%7Eb"))
    served = []
    for reader in readers_of(writer, "file"):
        with reader.open(spec, controller) as client:
            for written in ("/t%7Eb", "/t%7eb", "/t~b"):
                answer = client.request("GET", origin.url(written))
                served.append((reader.name, written, answer.body, answer.from_cache))
    assert [row for row in served if row[2:] != (b"tilde", True)] == []
    assert sum(origin.count(path) for path in ("/t~b", "/t%7Eb", "/t%7eb")) == 1
