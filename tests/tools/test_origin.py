"""The ``origin`` fixture itself, exercised with plain httpx (no cache involved)."""

from __future__ import annotations

import asyncio
import time
import typing as t

import httpx
import httpx2
import pytest

from tests.origin import Origin, OriginRequest

LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"


def test_route_answers_and_records(origin: Origin) -> None:
    origin.route("/a", headers={"Cache-Control": "max-age=60", "X-Thing": "1"}, body=b"hello")
    with httpx.Client() as client:
        response = client.get(origin.url("/a"), headers={"X-Test": "yes"})
    assert response.status_code == 200
    assert response.content == b"hello"
    assert response.headers["Content-Length"] == "5"
    assert response.headers["Cache-Control"] == "max-age=60"
    assert "Date" in response.headers
    assert origin.count() == 1
    assert origin.count("/a") == 1
    request = origin.last_request("/a")
    assert (request.method, request.path, request.body) == ("GET", "/a", b"")
    assert request.headers["x-test"] == "yes"
    assert request.headers["X-TEST"] == "yes"
    assert "x-Test" in request.headers


def test_unrouted_path_is_404_and_counted(origin: Origin) -> None:
    response = httpx.get(origin.url("/nowhere"))
    assert response.status_code == 404
    assert origin.count("/nowhere") == 1


def test_connections_are_kept_alive(origin: Origin) -> None:
    origin.route("/a", body=b"x" * 1000)
    origin.route("/b", status=204)
    with httpx.Client() as client:
        for _ in range(3):
            assert client.get(origin.url("/a")).content == b"x" * 1000
            assert client.get(origin.url("/b")).status_code == 204
    assert origin.count() == 6
    assert origin.connections == 1
    assert {r.connection for r in origin.requests} == {1}


def test_etag_revalidation(origin: Origin) -> None:
    origin.route("/e", headers={"Cache-Control": "no-cache"}, body=b"body", etag="v1")
    with httpx.Client() as client:
        first = client.get(origin.url("/e"))
        assert first.headers["ETag"] == '"v1"'
        matching = client.get(origin.url("/e"), headers={"If-None-Match": '"v0", "v1"'})
        weak = client.get(origin.url("/e"), headers={"If-None-Match": 'W/"v1"'})
        star = client.get(origin.url("/e"), headers={"If-None-Match": "*"})
        other = client.get(origin.url("/e"), headers={"If-None-Match": '"v2"'})
    for response in (matching, weak, star):
        assert response.status_code == 304
        assert response.content == b""
        assert response.headers["ETag"] == '"v1"'
        assert response.headers["Cache-Control"] == "no-cache"
        assert "Content-Length" not in response.headers
    assert other.status_code == 200
    assert other.content == b"body"
    assert [r.headers.get("If-None-Match") for r in origin.requests_to("/e")] == [
        None,
        '"v0", "v1"',
        'W/"v1"',
        "*",
        '"v2"',
    ]


def test_last_modified_revalidation(origin: Origin) -> None:
    origin.route("/m", body=b"body", last_modified=LAST_MODIFIED)
    with httpx.Client() as client:
        assert client.get(origin.url("/m")).headers["Last-Modified"] == LAST_MODIFIED
        same = client.get(origin.url("/m"), headers={"If-Modified-Since": LAST_MODIFIED})
        later = client.get(
            origin.url("/m"), headers={"If-Modified-Since": "Thu, 22 Oct 2015 07:28:00 GMT"}
        )
        earlier = client.get(
            origin.url("/m"), headers={"If-Modified-Since": "Tue, 20 Oct 2015 07:28:00 GMT"}
        )
    assert (same.status_code, later.status_code, earlier.status_code) == (304, 304, 200)
    assert earlier.content == b"body"


def test_if_none_match_takes_precedence_over_if_modified_since(origin: Origin) -> None:
    origin.route("/both", body=b"body", etag="v2", last_modified=LAST_MODIFIED)
    response = httpx.get(
        origin.url("/both"),
        headers={"If-None-Match": '"v1"', "If-Modified-Since": LAST_MODIFIED},
    )
    assert response.status_code == 200


def test_last_modified_accepts_epoch_and_vary(origin: Origin) -> None:
    origin.route("/v", body=b"v", last_modified=0.0, vary=["Accept", "Accept-Encoding"])
    response = httpx.get(origin.url("/v"))
    assert response.headers["Last-Modified"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert response.headers["Vary"] == "Accept, Accept-Encoding"


def test_route_can_be_replaced(origin: Origin) -> None:
    origin.route("/r", body=b"one", etag="1")
    with httpx.Client() as client:
        assert client.get(origin.url("/r")).content == b"one"
        origin.route("/r", body=b"two", etag="2")
        response = client.get(origin.url("/r"), headers={"If-None-Match": '"1"'})
    assert response.status_code == 200
    assert response.content == b"two"


def test_query_routes(origin: Origin) -> None:
    origin.route("/q", body=b"any")
    origin.route("/q?x=1", body=b"one")
    with httpx.Client() as client:
        assert client.get(origin.url("/q?x=1")).content == b"one"
        assert client.get(origin.url("/q?x=2")).content == b"any"
    assert origin.count("/q") == 2
    assert origin.count("/q?x=1") == 1
    assert origin.last_request("/q").query == "x=2"


def test_head_has_length_but_no_body(origin: Origin) -> None:
    origin.route("/h", body=b"12345")
    with httpx.Client() as client:
        head = client.head(origin.url("/h"))
        get = client.get(origin.url("/h"))
    assert head.headers["Content-Length"] == "5"
    assert head.content == b""
    assert get.content == b"12345"
    assert origin.connections == 1


def test_handler_callback(origin: Origin) -> None:
    seen: list[OriginRequest] = []

    def echo(request: OriginRequest) -> tuple[int, list[tuple[str, str]], bytes]:
        seen.append(request)
        headers = [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
        return 201, headers, request.method.encode() + b":" + request.body

    origin.handler("/echo", echo)
    with httpx.Client() as client:
        posted = client.post(origin.url("/echo"), content=b"payload")
        streamed = client.put(origin.url("/echo"), content=iter([b"chu", b"nked"]))
    assert (posted.status_code, posted.content) == (201, b"POST:payload")
    assert posted.headers.get_list("Set-Cookie") == ["a=1", "b=2"]
    assert streamed.content == b"PUT:chunked"
    assert [r.body for r in seen] == [b"payload", b"chunked"]
    assert origin.last_request().headers["Transfer-Encoding"] == "chunked"


def test_handler_errors_are_reported() -> None:
    def broken(request: OriginRequest) -> tuple[int, dict[str, str], bytes]:
        raise RuntimeError("boom")

    with Origin() as server:
        server.handler("/x", broken)
        assert httpx.get(server.url("/x")).status_code == 500
    assert "RuntimeError: boom" in server.errors[0]


def test_stop_refuses_and_start_reuses_the_port(origin: Origin) -> None:
    origin.route("/a", body=b"up")
    port = origin.port
    with httpx.Client() as client:
        assert client.get(origin.url("/a")).content == b"up"  # leaves a kept-alive connection
        origin.stop()
        assert not origin.running
        with pytest.raises(httpx.ConnectError):
            client.get(origin.url("/a"))
        origin.start()
        assert origin.port == port
        assert client.get(origin.url("/a")).content == b"up"
    assert origin.count("/a") == 2
    assert origin.connections == 2


def test_truncated_body(origin: Origin) -> None:
    origin.route("/t", body=b"x" * 10_000, truncate=100)
    with httpx.Client() as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.get(origin.url("/t"))
        with client.stream("GET", origin.url("/t")) as response:
            assert response.headers["Content-Length"] == "10000"
            received = b""
            with pytest.raises(httpx.RemoteProtocolError):
                for chunk in response.iter_raw():
                    received += chunk
        assert received == b"x" * 100


def test_delay(origin: Origin) -> None:
    origin.route("/slow", body=b"late", delay=0.2)
    started = time.perf_counter()
    assert httpx.get(origin.url("/slow")).content == b"late"
    assert time.perf_counter() - started >= 0.2


def test_hang_exceeds_client_timeout_and_stop_releases_it(origin: Origin) -> None:
    origin.route("/hang", hang=True)
    origin.route("/fast", body=b"ok")
    with httpx.Client(timeout=0.2) as client:
        with pytest.raises(httpx.ReadTimeout):
            client.get(origin.url("/hang"))
        assert client.get(origin.url("/fast")).content == b"ok"
    started = time.perf_counter()
    origin.stop()
    assert time.perf_counter() - started < 1.0
    assert origin.count("/hang") == 1


def test_reset(origin: Origin) -> None:
    origin.route("/a", body=b"a")
    httpx.get(origin.url("/a"))
    origin.reset()
    assert origin.count() == 0
    assert httpx.get(origin.url("/a")).status_code == 404


@pytest.mark.anyio
async def test_async_client(origin: Origin) -> None:
    origin.route("/a", body=b"async", etag="v1")
    async with httpx.AsyncClient() as client:
        first = await client.get(origin.url("/a"))
        second = await client.get(origin.url("/a"), headers={"If-None-Match": '"v1"'})
    assert (first.content, second.status_code) == (b"async", 304)
    assert origin.connections == 1


def test_prefix_handler_streams_pieces_and_counts_answers(origin: Origin) -> None:
    def stream(request: OriginRequest) -> tuple[int, dict[str, str], t.Iterator[bytes]]:
        size = int(request.path.split("/")[2])
        return 200, {"Content-Length": str(size)}, (b"x" * 1000 for _ in range(size // 1000))

    origin.handler("/stream/*", stream)
    origin.handler("/chunked", lambda request: (200, {}, iter([b"ab", b"cd"])))
    origin.route("/e", body=b"e", etag="v1")
    with httpx.Client() as client:
        assert client.get(origin.url("/stream/5000/any")).content == b"x" * 5000
        chunked = client.get(origin.url("/chunked"))
        assert client.get(origin.url("/e"), headers={"If-None-Match": '"v1"'}).status_code == 304
    assert (chunked.content, chunked.headers["Transfer-Encoding"]) == (b"abcd", "chunked")
    assert (origin.answered(200), origin.answered(304)) == (2, 1)


@pytest.mark.parametrize("asynchronous", [False, True])
def test_in_process_transport_shares_routes_and_counters(asynchronous: bool) -> None:
    origin = Origin()  # never started: no socket
    origin.route("/a", body=b"hello", etag="v1")
    origin.handler("/s", lambda request: (200, {"Content-Length": "4"}, iter([b"ab", b"cd"])))
    transport = origin.transport(asynchronous)

    async def run() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=transport) as client:
            got = [
                await client.get("http://origin.test/a"),
                await client.get("http://origin.test/s"),
            ]
            got.append(await client.get("http://origin.test/a", headers={"If-None-Match": '"v1"'}))
            return got

    if asynchronous:
        responses = asyncio.run(run())
    else:
        with httpx.Client(transport=transport) as client:
            responses = [client.get("http://origin.test/a"), client.get("http://origin.test/s")]
            responses.append(client.get("http://origin.test/a", headers={"If-None-Match": '"v1"'}))
    assert [r.status_code for r in responses] == [200, 200, 304]
    assert (responses[0].content, responses[1].content) == (b"hello", b"abcd")
    assert "Date" in responses[0].headers
    assert (origin.count("/a"), origin.answered(304), origin.connections) == (2, 1, 0)


def test_in_process_transport_of_another_library_with_httpx_api() -> None:
    origin = Origin()  # never started: no socket
    origin.route("/a", body=b"hello", etag="v1")
    with httpx2.Client(transport=origin.transport(library="httpx2")) as client:
        response = client.get("http://origin.test/a")
        again = client.get("http://origin.test/a", headers={"If-None-Match": '"v1"'})
    assert isinstance(response, httpx2.Response)
    assert (response.content, again.status_code, origin.count("/a")) == (b"hello", 304, 2)


def test_counters_only_mode_still_counts() -> None:
    with Origin(keep_requests=False) as origin:
        origin.route("/a", body=b"a")
        with httpx.Client() as client:
            client.get(origin.url("/a?x=1"))
            client.get(origin.url("/a"))
        assert (origin.count(), origin.count("/a"), origin.count("/a?x=1")) == (2, 2, 1)
        assert origin.requests == []
