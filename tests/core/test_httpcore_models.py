"""httpcore's models <-> the core's messages, for the httpcore pool shell and the 0.1 hooks:
the parts go across unchanged, the ``target`` extension applies as httpcore applies it, and
a body httpcore has read is held in memory."""

from __future__ import annotations

import typing as t

import anyio
import httpcore
import pytest

from hishel._core._messages import URL, BytesBody, Request, Response
from hishel._hosts._httpcore import (
    core_request,
    core_response,
    httpcore_request,
    httpcore_response,
)
from hishel._storage._documents import response_body

HTTPCORE_URL = httpcore.URL(scheme=b"https", host=b"a.test", port=8443, target=b"/p?q=1")
HEADERS = [
    [],
    [(b"Host", b"a.test"), (b"ACCEPT", b"*/*"), (b"x-Mixed-Case", b"V"), (b"x-mixed-case", b"2")],
]
EXTENSIONS: list[dict[str, t.Any]] = [
    {},
    {"target": b"/on/the/wire?x=%20"},
    {"timeout": {"connect": 1.0, "read": None}, "trace": print, "sni_hostname": "b.test"},
]


def sync_stream() -> t.Iterator[bytes]:
    yield b"a"
    yield b"b"


async def async_stream() -> t.AsyncIterator[bytes]:
    yield b"a"
    yield b"b"


def read(stream: t.Any) -> bytes:
    if hasattr(stream, "__iter__"):
        return b"".join(stream)

    async def collect() -> bytes:
        return b"".join([chunk async for chunk in stream])

    return anyio.run(collect)


@pytest.mark.parametrize("headers", HEADERS)
@pytest.mark.parametrize("extensions", EXTENSIONS)
@pytest.mark.parametrize("method", [b"GET", b"QUERY"])
def test_a_request_crosses_both_ways_with_its_parts(
    method: bytes, extensions: dict[str, t.Any], headers: list[tuple[bytes, bytes]]
) -> None:
    body = BytesBody(b"ab")
    core = Request(method, URL(b"https", b"a.test", 8443, b"/p?q=1"), headers, body, extensions)
    model = httpcore_request(core)
    assert (model.method, model.headers, model.stream) == (method, headers, body)
    assert model.extensions is extensions
    target = extensions.get("target", b"/p?q=1")  # what httpcore sends
    assert (model.url.scheme, model.url.host, model.url.port) == (b"https", b"a.test", 8443)
    assert model.url.target == target
    back = core_request(model)
    assert back.url == URL(b"https", b"a.test", 8443, target)
    assert (back.method, list(back.headers), back.stream) == (method, headers, body)


@pytest.mark.parametrize("stream", [sync_stream, async_stream])
def test_a_response_not_read_streams_and_goes_back_as_itself(
    stream: t.Callable[[], t.Any],
) -> None:
    model = httpcore.Response(200, headers=[(b"A", b"1")], content=stream())
    core = core_response(model)
    assert core.content() is None and core.origin is model
    core.headers = [(b"B", b"2")]
    assert httpcore_response(core) is model and model.headers == [(b"B", b"2")]
    assert read(model.stream) == b"ab"


def test_a_response_httpcore_read_or_built_over_bytes_is_held_in_memory() -> None:
    model = httpcore.Response(200, content=sync_stream())
    model.read()
    assert core_response(model).content() == b"ab"
    assert core_response(httpcore.Response(200, content=b"bytes")).content() == b"bytes"
    ours = httpcore_response(Response(200, (), BytesBody(b"ours")))
    assert core_response(ours).content() == b"ours"


def test_a_served_response_changing_its_headers_changes_no_later_hit() -> None:
    # Served responses share one normalised httpx.Headers per distinct header list: each
    # response must still get its own copy.
    import httpx

    import hishel

    def origin(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Cache-Control": "max-age=600"}, content=b"a")

    with hishel.CacheClient(
        transport=httpx.MockTransport(origin), storage=hishel.InMemoryStorage()
    ) as client:
        client.get("http://origin.test/a")
        first = client.get("http://origin.test/a")
        assert first.extensions["from_cache"]
        first.headers["X-Changed"] = "yes"
        del first.headers["Cache-Control"]
        second = client.get("http://origin.test/a")
        assert second.extensions["from_cache"]
        assert "X-Changed" not in second.headers
        assert second.headers["Cache-Control"] == "max-age=600"


@pytest.mark.parametrize("content", [b"ab", BytesBody(b"ab")])
def test_a_response_the_core_built_becomes_httpcore_s(content: t.Any) -> None:
    stream = BytesBody(content) if isinstance(content, bytes) else content
    model = httpcore_response(Response(304, [(b"ETag", b'"v"')], stream, {"x": 1}))
    assert (model.status, model.headers, model.extensions) == (304, [(b"ETag", b'"v"')], {"x": 1})
    assert read(model.stream) == b"ab" and anyio.run(model.aread) == b"ab"


def test_the_storage_reads_a_body_in_memory_and_refuses_one_not_read() -> None:
    assert response_body(httpcore.Response(200, content=b"bytes")) == b"bytes"
    read_one = httpcore.Response(200, content=sync_stream())
    read_one.read()
    assert response_body(read_one) == b"ab"
    with pytest.raises(RuntimeError):
        response_body(httpcore.Response(200, content=sync_stream()))
    with pytest.raises(RuntimeError):
        response_body(httpcore.Response(200, content=async_stream()))
