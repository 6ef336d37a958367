"""0.1 behaviours that live in the flow (``_flow.py``, owned by the flow's author).

Written from API.md's "0.1 behaviour a drop-in keeps".
"""

from __future__ import annotations

import httpcore
import httpx

import hishel
from tests.origin import Origin

CACHEABLE = {"Cache-Control": "max-age=60"}


def test_a_pre_read_httpx_response_is_stored_at_once() -> None:
    mock = hishel.MockTransport()
    mock.add_responses([httpx.Response(200, headers=CACHEABLE, content=b"pre-read")])
    with hishel.CacheTransport(transport=mock, storage=hishel.InMemoryStorage()) as transport:
        first = transport.handle_request(httpx.Request("GET", "https://a.test/"))
        second = transport.handle_request(httpx.Request("GET", "https://a.test/"))
        first_body, second_body = first.read(), second.read()
    assert first_body == b"pre-read"  # the body read by the inner transport is not lost
    assert second.extensions["from_cache"] is True  # stored before the first was read
    assert second_body == b"pre-read"


def test_an_httpcore_response_with_bytes_content_is_stored_at_once() -> None:
    pool = hishel.MockConnectionPool()
    pool.add_responses([httpcore.Response(200, headers=CACHEABLE, content=b"in memory")])
    with hishel.CacheConnectionPool(pool, storage=hishel.InMemoryStorage()) as cached:
        first = cached.handle_request(httpcore.Request("GET", "https://a.test/"))
        second = cached.handle_request(httpcore.Request("GET", "https://a.test/"))
        assert second.extensions["from_cache"] is True
        assert first.read() == second.read() == b"in memory"


def test_a_network_body_is_still_stored_only_when_read_to_the_end(origin: Origin) -> None:
    origin.route("/n", body=b"streamed", headers=CACHEABLE)
    with hishel.CacheClient(storage=hishel.InMemoryStorage()) as client:
        with client.stream("GET", origin.url("/n")) as response:
            assert response.extensions["from_cache"] is False
        unread = client.get(origin.url("/n"))  # the first body was never read: not stored
        again = client.get(origin.url("/n"))
    assert unread.extensions["from_cache"] is False
    assert again.extensions["from_cache"] is True and again.content == b"streamed"


def test_the_conditional_request_keeps_the_callers_header_casing(origin: Origin) -> None:
    origin.route("/c", body=b"x", etag="v1", headers={"Cache-Control": "no-cache"})
    headers = [("X-Custom", "1"), ("Accept", "text/plain"), ("x-lower", "2")]
    with hishel.CacheClient(storage=hishel.InMemoryStorage()) as client:
        client.get(origin.url("/c"), headers=headers)
        revalidated = client.get(origin.url("/c"), headers=headers)
    assert revalidated.extensions["revalidated"] is True
    plain, conditional = (request.headers.raw for request in origin.requests_to("/c"))
    sent = [name for name, _ in conditional]
    assert sent[: len(plain)] == [name for name, _ in plain]  # names, casing and order kept
    assert sent[len(plain) :] == ["If-None-Match"]  # only the validator added
    assert conditional[-1][1] == '"v1"'
