"""An async cache client reads an in-memory hit as it builds it, only when nobody can want it
streamed (``hishel._hosts._reading``), for httpx and httpx2, against a real origin.

Whichever way a hit is read, the caller sees what a response read by the client shows: its
content, ``elapsed``, a closed stream; and a caller who streams (``stream=True``, a response
hook) still gets ``aiter_raw``.
"""

from __future__ import annotations

import datetime
import gzip
import types
import typing as t

import httpx
import pytest

import hishel
import hishel.httpx2
from hishel._hosts._reading import read_at_once
from tests.clock import FakeClock
from tests.origin import Origin

httpx2 = pytest.importorskip("httpx2")

pytestmark = pytest.mark.anyio

LIBRARIES = {
    "httpx": (httpx, hishel.AsyncCacheClient),
    "httpx2": (httpx2, hishel.httpx2.AsyncCacheClient),
}


@pytest.fixture(params=sorted(LIBRARIES))
def library(request: pytest.FixtureRequest) -> tuple[types.ModuleType, t.Any]:
    return LIBRARIES[request.param]


def make_client(
    library: tuple[types.ModuleType, t.Any], clock: FakeClock, **options: t.Any
) -> t.Any:
    """The library's async cache client over its own network transport, in memory."""
    return library[1](
        storage=hishel.AsyncInMemoryStorage(), controller=hishel.Controller(clock=clock), **options
    )


async def test_a_hit_read_by_the_client_shows_what_a_read_response_shows(
    library: tuple[types.ModuleType, t.Any], origin: Origin, clock: FakeClock
) -> None:
    origin.route("/a", body=b"hello", headers={"Cache-Control": "max-age=60"})
    client = make_client(library, clock)
    async with client:
        await client.get(origin.url("/a"))
        hit = await client.get(origin.url("/a"))
        assert hit.extensions["from_cache"] is True
        assert (hit.content, hit.text, hit.is_closed, hit.is_stream_consumed) == (
            b"hello",
            "hello",
            True,
            True,
        )
        assert isinstance(hit.elapsed, datetime.timedelta)
        assert datetime.timedelta(0) <= hit.elapsed < datetime.timedelta(seconds=60)
        assert [chunk async for chunk in hit.aiter_bytes()] == [b"hello"]
        module = library[0]
        with pytest.raises(module.StreamConsumed):  # as after any client read
            [chunk async for chunk in hit.aiter_raw()]
    assert origin.count("/a") == 1


async def test_a_hit_sent_with_stream_true_still_streams(
    library: tuple[types.ModuleType, t.Any], origin: Origin, clock: FakeClock
) -> None:
    origin.route("/a", body=b"hello", headers={"Cache-Control": "max-age=60"})
    client = make_client(library, clock)
    async with client:
        await client.get(origin.url("/a"))
        async with client.stream("GET", origin.url("/a")) as hit:
            assert hit.extensions["from_cache"] is True
            assert (hit.is_stream_consumed, hit.is_closed) == (False, False)
            assert [chunk async for chunk in hit.aiter_raw()] == [b"hello"]
        assert hit.elapsed >= datetime.timedelta(0)  # set by the client when it closed
    assert origin.count("/a") == 1


async def test_a_response_hook_sees_a_hit_streamed(
    library: tuple[types.ModuleType, t.Any], origin: Origin, clock: FakeClock
) -> None:
    # A hook may wrap the body stream (instrumentation counting what is read): the client's
    # read then goes through it, on a hit as on a miss.
    origin.route("/a", body=b"hello", headers={"Cache-Control": "max-age=60"})
    module = library[0]
    raw: list[bytes] = []

    async def hook(response: t.Any) -> None:
        inner = response.stream

        class Counting(module.AsyncByteStream):  # type: ignore[name-defined,misc]
            async def __aiter__(self) -> t.AsyncIterator[bytes]:
                async for chunk in inner:
                    raw.append(chunk)
                    yield chunk

            async def aclose(self) -> None:
                await inner.aclose()

        response.stream = Counting()

    client = make_client(library, clock, event_hooks={"response": [hook]})
    async with client:
        await client.get(origin.url("/a"))
        hit = await client.get(origin.url("/a"))
    assert (hit.extensions["from_cache"], hit.content) == (True, b"hello")
    assert raw == [b"hello", b"hello"]  # the miss, then the hit, each read through the hook


async def test_the_hint_is_set_only_while_a_send_reads_whole(
    library: tuple[types.ModuleType, t.Any], origin: Origin, clock: FakeClock
) -> None:
    origin.route("/a", body=b"hello", headers={"Cache-Control": "max-age=60"})
    client = make_client(library, clock)
    seen: list[bool] = []

    async def record(request: t.Any) -> None:  # a request hook runs inside ``send``
        seen.append(read_at_once.get())

    client.event_hooks = {"request": [record], "response": []}
    async with client:
        await client.get(origin.url("/a"))
        async with client.stream("GET", origin.url("/a")):
            pass
        client.event_hooks = {"request": [record], "response": [lambda _: _noop()]}
        await client.get(origin.url("/a"))
    assert seen == [True, False, False]
    assert read_at_once.get() is False  # reset after each send


async def _noop() -> None:
    return None


async def test_a_stored_body_that_cannot_be_decoded_fails_as_the_client_would(
    library: tuple[types.ModuleType, t.Any], origin: Origin, clock: FakeClock
) -> None:
    # Content-Encoding: gzip over bytes that are not gzip: stored (streamed raw), then a hit
    # read at once raises the library's DecodingError naming the request, as a read would.
    origin.route(
        "/z",
        body=b"not gzip",
        headers={"Cache-Control": "max-age=60", "Content-Encoding": "gzip"},
    )
    module = library[0]
    client = make_client(library, clock)
    async with client:
        async with client.stream("GET", origin.url("/z")) as first:
            assert [chunk async for chunk in first.aiter_raw()] == [b"not gzip"]
        with pytest.raises(module.DecodingError) as raised:
            await client.get(origin.url("/z"))
        assert str(raised.value.request.url) == origin.url("/z")
        # and a good gzip body is decoded on a hit read at once
        origin.route(
            "/g",
            body=gzip.compress(b"hello"),
            headers={"Cache-Control": "max-age=60", "Content-Encoding": "gzip"},
        )
        await client.get(origin.url("/g"))
        hit = await client.get(origin.url("/g"))
        assert (hit.extensions["from_cache"], hit.content) == (True, b"hello")
    assert origin.count("/z") == 1


async def test_redirects_followed_through_hits_are_each_read(
    library: tuple[types.ModuleType, t.Any], origin: Origin, clock: FakeClock
) -> None:
    # ``send``'s own arguments still reach the client: follow_redirects per request, auth
    origin.route("/old", status=301, headers={"Location": "/new", "Cache-Control": "max-age=60"})
    origin.route("/new", body=b"moved", headers={"Cache-Control": "max-age=60"})
    client = make_client(library, clock)
    async with client:
        await client.get(origin.url("/old"), follow_redirects=True)
        final = await client.get(origin.url("/old"), follow_redirects=True)
        unfollowed = await client.get(origin.url("/old"), auth=("user", "secret"))
    assert (final.content, final.extensions["from_cache"]) == (b"moved", True)
    assert [r.status_code for r in final.history] == [301]
    assert final.history[0].extensions["from_cache"] is True
    assert final.history[0].is_closed
    assert (unfollowed.status_code, unfollowed.extensions["from_cache"]) == (301, True)
    assert unfollowed.request.headers["authorization"].startswith("Basic ")
    assert (origin.count("/old"), origin.count("/new")) == (1, 1)
