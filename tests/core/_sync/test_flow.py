# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The flow driven directly: ``CacheFlow(storage, config).handle(request, send)`` with a
scripted ``send`` (no sockets) and the fake clock. Only the public shape of the flow is used."""

from __future__ import annotations

import pytest

import hishel
from hishel._core._sync._flow import CacheFlow
from hishel._core._messages import Request, Response
from hishel._hosts._controller import flow_config
from tests.clock import FakeClock
from tests.core._sync.scripted import ScriptedSend, get, ok, request


def exchange(
    flow: CacheFlow, req: Request, send: ScriptedSend
) -> tuple[Response, bytes]:
    response = flow.handle(req, send)
    body = response.read()
    response.close()
    return response, body


def make_flow(clock: FakeClock, **options: object) -> CacheFlow:
    controller = hishel.Controller(clock=clock, **options)  # type: ignore[arg-type]
    return CacheFlow(hishel.InMemoryStorage(clock=clock), flow_config(controller))


def test_a_fresh_response_is_stored_then_served_without_sending(clock: FakeClock) -> None:
    flow = make_flow(clock)
    send = ScriptedSend(ok(b"hello", "max-age=60"))
    first, first_body = exchange(flow, get("/a"), send)
    clock.advance(30)
    second, second_body = exchange(flow, get("/a"), send)
    assert (first_body, second_body) == (b"hello", b"hello")
    assert (first.extensions["from_cache"], second.extensions["from_cache"]) == (False, True)
    assert len(send.requests) == 1
    flow.close()


def test_past_its_lifetime_the_entry_is_revalidated_with_its_etag(clock: FakeClock) -> None:
    flow = make_flow(clock)
    send = ScriptedSend(
        ok(b"v1 body", "max-age=60", etag='"v1"'), ok(b"", "max-age=60", status=304, etag='"v1"')
    )
    exchange(flow, get("/a"), send)
    clock.advance(61)
    response, body = exchange(flow, get("/a"), send)
    assert send.header(1, "If-None-Match") == '"v1"'  # RFC 9111 §4.3.1
    assert (response.status, body, response.extensions["revalidated"]) == (200, b"v1 body", True)
    flow.close()


def test_only_if_cached_with_nothing_stored_is_504_without_sending(clock: FakeClock) -> None:
    flow = make_flow(clock)
    send = ScriptedSend()
    response, _ = exchange(flow, get("/x", {"Cache-Control": "only-if-cached"}), send)
    assert response.status == 504  # RFC 9111 §5.2.1.7
    assert send.requests == []
    flow.close()


def test_an_unsafe_method_invalidates_the_stored_response(clock: FakeClock) -> None:
    flow = make_flow(clock)
    send = ScriptedSend(
        ok(b"old", "max-age=600"), ok(b"", status=204), ok(b"new", "max-age=600")
    )
    exchange(flow, get("/a"), send)
    exchange(flow, request("POST", "/a"), send)
    response, body = exchange(flow, get("/a"), send)
    assert (body, response.extensions["from_cache"]) == (b"new", False)  # RFC 9111 §4.4
    assert [r.method for r in send.requests] == [b"GET", b"POST", b"GET"]
    flow.close()


@pytest.mark.parametrize(
    ("status", "served_stale"),
    [(500, True), (502, True), (503, True), (504, True), (501, False), (505, False)],
    ids=lambda value: f"5861-4-{value}",
)
def test_stale_if_error_counts_only_rfc5861_errors(status: int, served_stale: bool) -> None:
    clock = FakeClock(start=1_700_000_000.0)
    flow = make_flow(clock, stale_if_error=True)
    send = ScriptedSend(
        ok(b"good", "max-age=10, stale-if-error=600", etag='"e"'), ok(b"bad", status=status)
    )
    exchange(flow, get("/e"), send)
    clock.advance(60)
    response, _ = exchange(flow, get("/e"), send)
    assert (response.status == 200) is served_stale
    assert response.extensions["from_cache"] is served_stale
    flow.close()
