"""``_models`` builds exactly what httpcore's constructors build, for every shape we use.

The builders skip ``httpcore.Request.__init__`` / ``Response.__init__`` for speed; this is the
check that they leave no attribute out and apply the ``target`` extension as httpcore does.
A new httpcore version that changes its models fails here (``pyproject.toml`` bounds it).
"""

from __future__ import annotations

import typing as t

import anyio
import httpcore
import pytest
from httpcore._models import ByteStream

from hishel._core._models import BytesBody, in_memory_body, make_request, make_response
from hishel._storage._documents import response_body

URL = httpcore.URL(scheme=b"https", host=b"a.test", port=8443, target=b"/p?q=1")
HEADERS = [
    [],
    [(b"Host", b"a.test"), (b"ACCEPT", b"*/*"), (b"x-Mixed-Case", b"V"), (b"x-mixed-case", b"2")],
]
EXTENSIONS: list[dict[str, t.Any]] = [
    {},
    {"target": b"/on/the/wire?x=%20"},
    {"timeout": {"connect": 1.0, "read": None}, "trace": print, "sni_hostname": "b.test"},
    {"target": b"*", "timeout": {}},
]


def sync_stream() -> t.Iterator[bytes]:
    yield b"a"
    yield b"b"


async def async_stream() -> t.AsyncIterator[bytes]:
    yield b"a"
    yield b"b"


STREAMS: list[t.Callable[[], t.Any]] = [
    lambda: BytesBody(b"ab"),
    lambda: ByteStream(b"ab"),
    sync_stream,
    async_stream,
]


def read(stream: t.Any) -> bytes:
    if hasattr(stream, "__iter__"):
        return b"".join(stream)

    async def collect() -> bytes:
        return b"".join([chunk async for chunk in stream])

    return anyio.run(collect)


def url_parts(url: httpcore.URL) -> tuple[bytes, bytes, int | None, bytes]:
    return url.scheme, url.host, url.port, url.target


@pytest.mark.parametrize("headers", HEADERS)
@pytest.mark.parametrize("extensions", EXTENSIONS)
@pytest.mark.parametrize("stream", STREAMS)
@pytest.mark.parametrize("method", [b"GET", b"QUERY"])
def test_make_request_builds_what_the_constructor_builds(
    method: bytes,
    stream: t.Callable[[], t.Any],
    extensions: dict[str, t.Any],
    headers: list[tuple[bytes, bytes]],
) -> None:
    body = stream()
    fast = make_request(method, URL, list(headers), body, dict(extensions))
    real = httpcore.Request(method, URL, headers=headers, content=body, extensions=dict(extensions))
    assert vars(fast).keys() == vars(real).keys()
    assert fast.method == real.method
    assert url_parts(fast.url) == url_parts(real.url)
    assert fast.headers == real.headers  # names and casing as given
    assert fast.stream is real.stream is body
    assert fast.extensions == real.extensions
    if "target" in extensions:
        assert fast.url.target == extensions["target"]


@pytest.mark.parametrize("headers", HEADERS)
@pytest.mark.parametrize(
    "extensions", [{}, {"http_version": b"HTTP/1.1", "reason_phrase": b"OK"}, {"x": object()}]
)
@pytest.mark.parametrize("status", [200, 304, 404, 599])
@pytest.mark.parametrize("content", ["bytes", *range(len(STREAMS))])
def test_make_response_builds_what_the_constructor_builds(
    content: str | int,
    status: int,
    extensions: dict[str, t.Any],
    headers: list[tuple[bytes, bytes]],
) -> None:
    fast_body = b"ab" if content == "bytes" else STREAMS[t.cast(int, content)]()
    real_body = b"ab" if content == "bytes" else STREAMS[t.cast(int, content)]()
    fast = make_response(status, list(headers), fast_body, dict(extensions))
    real = httpcore.Response(status, headers=headers, content=real_body, extensions=extensions)
    assert vars(fast).keys() == vars(real).keys()
    assert (fast.status, fast.headers, fast.extensions) == (real.status, real.headers, extensions)
    assert fast._stream_consumed is real._stream_consumed is False
    assert read(fast.stream) == read(real.stream) == b"ab"
    if content == "bytes":  # held in memory: readable by sync and async code alike
        assert isinstance(fast.stream, BytesBody)
        assert read(fast.stream) == b"ab"


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


def test_in_memory_body_reads_a_read_response_and_one_built_from_bytes() -> None:
    read = httpcore.Response(200, content=sync_stream())
    read.read()
    assert in_memory_body(read) == b"ab"
    assert in_memory_body(httpcore.Response(200, content=b"bytes")) == b"bytes"  # ByteStream
    assert in_memory_body(make_response(200, [], BytesBody(b"ours"), {})) == b"ours"


def test_in_memory_body_is_none_for_a_body_not_yet_read() -> None:
    assert in_memory_body(httpcore.Response(200, content=sync_stream())) is None
    assert in_memory_body(httpcore.Response(200, content=async_stream())) is None


def test_the_storage_reads_a_body_in_memory_and_refuses_one_not_read() -> None:
    assert response_body(httpcore.Response(200, content=b"bytes")) == b"bytes"
    with pytest.raises(RuntimeError):
        response_body(httpcore.Response(200, content=sync_stream()))
