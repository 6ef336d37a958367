"""The core's own message types: plain values over the host's parts, bodies read once."""

from __future__ import annotations

import typing as t

import anyio
import pytest

from hishel._core._messages import (
    URL,
    AsyncByteStream,
    BytesBody,
    Request,
    Response,
    SyncByteStream,
)


class Chunks:
    """A body of several chunks that remembers whether it was closed."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = chunks
        self.closed = False

    def __iter__(self) -> t.Iterator[bytes]:
        yield from self.chunks

    async def __aiter__(self) -> t.AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


def test_a_url_is_its_parts_and_writes_itself_absolute() -> None:
    url = URL(b"https", b"a.test", 8443, b"/p?q=1")
    assert bytes(url) == b"https://a.test:8443/p?q=1"
    assert bytes(URL(b"http", b"a.test", None, b"/")) == b"http://a.test/"
    assert url == URL(b"https", b"a.test", 8443, b"/p?q=1")
    assert hash(url) == hash(URL(b"https", b"a.test", 8443, b"/p?q=1"))
    assert url != URL(b"https", b"a.test", 443, b"/p?q=1")


def test_a_request_keeps_the_parts_it_is_given_without_copying_them() -> None:
    headers = [(b"Host", b"a.test"), (b"ACCEPT", b"*/*")]
    extensions: dict[str, t.Any] = {"timeout": {"read": 1.0}}
    request = Request(b"GET", URL(b"http", b"a.test", None, b"/"), headers, extensions=extensions)
    assert request.headers is headers
    assert request.extensions is extensions
    assert isinstance(request.stream, BytesBody) and request.stream.content == b""
    assert Request(b"GET", request.url).extensions == {}


def test_a_response_reads_its_body_once_closes_it_and_keeps_it() -> None:
    body = Chunks(b"ab", b"cd")
    response = Response(200, [(b"Content-Length", b"4")], body)
    assert response.content() is None
    assert response.read() == b"abcd"
    assert body.closed
    assert response.content() == b"abcd"
    assert response.read() == b"abcd"
    assert response.origin is None


@pytest.mark.anyio
async def test_a_response_reads_an_async_body_once_closes_it_and_keeps_it() -> None:
    body = Chunks(b"ab", b"cd")
    response = Response(200, (), body)
    assert await response.aread() == b"abcd"
    assert body.closed
    assert await response.aread() == b"abcd"
    await anyio.lowlevel.checkpoint()


def test_a_response_keeps_the_hosts_own_response_it_was_converted_from() -> None:
    own = object()
    assert Response(304, origin=own).origin is own


def test_bytes_in_memory_are_a_body_for_sync_and_async_code() -> None:
    body = BytesBody(b"x")
    assert isinstance(body, SyncByteStream)
    assert isinstance(body, AsyncByteStream)
    assert list(body) == [b"x"] == list(body)
    assert Response(200, (), body).content() == b"x"
