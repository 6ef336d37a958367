"""Request coalescing (opt-in): concurrent misses for one key make one origin request."""

from __future__ import annotations

import threading

import anyio
import pytest

import hishel
from tests.origin import Origin

N = 6


@pytest.mark.anyio
async def test_concurrent_async_misses_make_one_origin_request(origin: Origin) -> None:
    origin.route("/slow", body=b"shared", headers={"Cache-Control": "max-age=600"}, delay=0.3)
    bodies: list[bytes] = []
    controller = hishel.Controller(coalesce_requests=True)
    async with hishel.AsyncCacheClient(
        storage=hishel.AsyncInMemoryStorage(), controller=controller
    ) as client:

        async def fetch() -> None:
            bodies.append((await client.get(origin.url("/slow"))).content)

        async with anyio.create_task_group() as group:
            for _ in range(N):
                group.start_soon(fetch)
    assert bodies == [b"shared"] * N
    assert origin.count("/slow") == 1


def test_concurrent_threaded_misses_make_one_origin_request(origin: Origin) -> None:
    origin.route("/slow", body=b"shared", headers={"Cache-Control": "max-age=600"}, delay=0.3)
    bodies: list[bytes] = []
    controller = hishel.Controller(coalesce_requests=True)
    with hishel.CacheClient(storage=hishel.InMemoryStorage(), controller=controller) as client:

        def fetch() -> None:
            bodies.append(client.get(origin.url("/slow")).content)

        threads = [threading.Thread(target=fetch) for _ in range(N)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert bodies == [b"shared"] * N
    assert origin.count("/slow") == 1


def test_without_coalescing_each_miss_goes_to_the_origin(origin: Origin) -> None:
    origin.route("/slow", body=b"shared", headers={"Cache-Control": "max-age=600"}, delay=0.3)
    with hishel.CacheClient(storage=hishel.InMemoryStorage()) as client:
        threads = [
            threading.Thread(target=lambda: client.get(origin.url("/slow"))) for _ in range(3)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert origin.count("/slow") == 3


def test_uncacheable_leader_releases_the_followers(origin: Origin) -> None:
    origin.route("/private", body=b"mine", headers={"Cache-Control": "no-store"}, delay=0.2)
    controller = hishel.Controller(coalesce_requests=True)
    bodies: list[bytes] = []
    with hishel.CacheClient(storage=hishel.InMemoryStorage(), controller=controller) as client:

        def fetch() -> None:
            bodies.append(client.get(origin.url("/private")).content)

        threads = [threading.Thread(target=fetch) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
    assert bodies == [b"mine"] * 3
    assert origin.count("/private") == 3
