"""The flow driven directly: ``AsyncCacheFlow(storage, config).handle(request, send)`` with a
scripted ``send`` (no sockets) and the fake clock. Only the public shape of the flow is used."""

from __future__ import annotations

import pytest

import hishel
from hishel._core._async._flow import AsyncCacheFlow
from hishel._core._messages import Request, Response
from hishel._hosts._controller import flow_config
from tests.clock import FakeClock
from tests.core._async.scripted import AsyncScriptedSend, get, ok, request


async def exchange(
    flow: AsyncCacheFlow, req: Request, send: AsyncScriptedSend
) -> tuple[Response, bytes]:
    response = await flow.handle(req, send)
    body = await response.aread()
    await response.aclose()
    return response, body


def make_flow(clock: FakeClock, **options: object) -> AsyncCacheFlow:
    controller = hishel.Controller(clock=clock, **options)  # type: ignore[arg-type]
    return AsyncCacheFlow(hishel.AsyncInMemoryStorage(clock=clock), flow_config(controller))


@pytest.mark.anyio
async def test_a_fresh_response_is_stored_then_served_without_sending(clock: FakeClock) -> None:
    flow = make_flow(clock)
    send = AsyncScriptedSend(ok(b"hello", "max-age=60"))
    first, first_body = await exchange(flow, get("/a"), send)
    clock.advance(30)
    second, second_body = await exchange(flow, get("/a"), send)
    assert (first_body, second_body) == (b"hello", b"hello")
    assert (first.extensions["from_cache"], second.extensions["from_cache"]) == (False, True)
    assert len(send.requests) == 1
    await flow.aclose()


@pytest.mark.anyio
async def test_past_its_lifetime_the_entry_is_revalidated_with_its_etag(clock: FakeClock) -> None:
    flow = make_flow(clock)
    send = AsyncScriptedSend(
        ok(b"v1 body", "max-age=60", etag='"v1"'), ok(b"", "max-age=60", status=304, etag='"v1"')
    )
    await exchange(flow, get("/a"), send)
    clock.advance(61)
    response, body = await exchange(flow, get("/a"), send)
    assert send.header(1, "If-None-Match") == '"v1"'  # RFC 9111 §4.3.1
    assert (response.status, body, response.extensions["revalidated"]) == (200, b"v1 body", True)
    await flow.aclose()


@pytest.mark.anyio
async def test_only_if_cached_with_nothing_stored_is_504_without_sending(clock: FakeClock) -> None:
    flow = make_flow(clock)
    send = AsyncScriptedSend()
    response, _ = await exchange(flow, get("/x", {"Cache-Control": "only-if-cached"}), send)
    assert response.status == 504  # RFC 9111 §5.2.1.7
    assert send.requests == []
    await flow.aclose()


@pytest.mark.anyio
async def test_an_unsafe_method_invalidates_the_stored_response(clock: FakeClock) -> None:
    flow = make_flow(clock)
    send = AsyncScriptedSend(
        ok(b"old", "max-age=600"), ok(b"", status=204), ok(b"new", "max-age=600")
    )
    await exchange(flow, get("/a"), send)
    await exchange(flow, request("POST", "/a"), send)
    response, body = await exchange(flow, get("/a"), send)
    assert (body, response.extensions["from_cache"]) == (b"new", False)  # RFC 9111 §4.4
    assert [r.method for r in send.requests] == [b"GET", b"POST", b"GET"]
    await flow.aclose()


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("status", "served_stale"),
    [(500, True), (502, True), (503, True), (504, True), (501, False), (505, False)],
    ids=lambda value: f"5861-4-{value}",
)
async def test_stale_if_error_counts_only_rfc5861_errors(status: int, served_stale: bool) -> None:
    clock = FakeClock(start=1_700_000_000.0)
    flow = make_flow(clock, stale_if_error=True)
    send = AsyncScriptedSend(
        ok(b"good", "max-age=10, stale-if-error=600", etag='"e"'), ok(b"bad", status=status)
    )
    await exchange(flow, get("/e"), send)
    clock.advance(60)
    response, _ = await exchange(flow, get("/e"), send)
    assert (response.status == 200) is served_stale
    assert response.extensions["from_cache"] is served_stale
    await flow.aclose()
