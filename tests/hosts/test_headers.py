"""A hit's header fields read as the origin's did: the shells tell httpx (and httpx2) a hit's
fields are ASCII when they are, instead of letting it find out, and leave any other fields to
its own detection (UTF-8, else ISO-8859-1). Against a real origin, sync and async."""

from __future__ import annotations

import types
import typing as t

import httpx
import pytest

import hishel
import hishel.httpx2
from tests.clock import FakeClock
from tests.origin import Origin

httpx2 = pytest.importorskip("httpx2")

LIBRARIES = {
    "httpx": (httpx, hishel.CacheClient, hishel.AsyncCacheClient),
    "httpx2": (httpx2, hishel.httpx2.CacheClient, hishel.httpx2.AsyncCacheClient),
}

VALUES = {  # the value as sent (the origin writes it as ISO-8859-1) -> httpx's encoding
    "plain": ("hello", "ascii"),
    "utf-8": ("caf\u00e9".encode().decode("latin-1"), "utf-8"),
    "latin-1": ("caf\u00e9", "iso-8859-1"),
}


@pytest.fixture(params=sorted(LIBRARIES))
def library(request: pytest.FixtureRequest) -> tuple[types.ModuleType, t.Any, t.Any]:
    return LIBRARIES[request.param]


def _route(origin: Origin, value: str) -> str:
    origin.route("/a", body=b"x", headers={"Cache-Control": "max-age=60", "X-Name": value})
    return origin.url("/a")


def _same_fields(miss: t.Any, hit: t.Any, encoding: str) -> None:
    assert hit.extensions["from_cache"] is True and miss.extensions["from_cache"] is False
    assert miss.headers.encoding == hit.headers.encoding == encoding
    assert hit.headers["x-name"] == miss.headers["x-name"]
    assert dict(hit.headers) == {**dict(miss.headers), "age": hit.headers["age"]}


@pytest.mark.parametrize("value", sorted(VALUES))
def test_a_hit_decodes_its_fields_as_the_origin_response_did(
    library: tuple[types.ModuleType, t.Any, t.Any], origin: Origin, clock: FakeClock, value: str
) -> None:
    sent, encoding = VALUES[value]
    url = _route(origin, sent)
    controller = hishel.Controller(clock=clock)
    with library[1](storage=hishel.InMemoryStorage(), controller=controller) as client:
        miss = client.get(url)
        _same_fields(miss, client.get(url), encoding)


@pytest.mark.anyio
@pytest.mark.parametrize("value", sorted(VALUES))
async def test_an_async_hit_decodes_its_fields_as_the_origin_response_did(
    library: tuple[types.ModuleType, t.Any, t.Any], origin: Origin, clock: FakeClock, value: str
) -> None:
    sent, encoding = VALUES[value]
    url = _route(origin, sent)
    controller = hishel.Controller(clock=clock)
    async with library[2](storage=hishel.AsyncInMemoryStorage(), controller=controller) as client:
        miss = await client.get(url)
        _same_fields(miss, await client.get(url), encoding)
