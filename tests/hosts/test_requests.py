"""hishel.requests: the cache adapter and session over requests, against a real origin on
127.0.0.1 (hits, revalidation, the per-request options, streamed bodies stored as they are
read, Content-Encoding kept in storage and decoded for the caller, requests' own pool and
retries, closing, and the missing-extra error)."""

from __future__ import annotations

import gzip
import os
import pickle
import subprocess
import sys
import typing as t
from pathlib import Path

import pytest
import requests
from urllib3.util.retry import Retry

import hishel
from hishel.requests import CacheAdapter, CacheResponse, CacheSession
from tests.clock import FakeClock
from tests.origin import Origin, OriginRequest


def stored_bodies(storage: hishel.BaseStorage) -> list[bytes]:
    """The bodies of every entry in ``storage``, as stored (not decoded)."""
    bodies = []
    for info in storage.entries():
        found = storage.retrieve(info.key)
        assert found is not None
        bodies.append(found[0].read())
    return bodies


def test_miss_then_hit_sets_the_cache_attributes(origin: Origin) -> None:
    origin.route("/a", body=b"hello", headers={"Cache-Control": "max-age=60"})
    with CacheSession(storage=hishel.InMemoryStorage()) as session:
        first = session.get(origin.url("/a"))
        second = session.get(origin.url("/a"))
    assert (first.status_code, first.content, first.from_cache) == (200, b"hello", False)
    assert first.revalidated is False and first.cache_metadata is None
    assert first.cache_status == "hishel; fwd=uri-miss; fwd-status=200; stored"
    assert (second.status_code, second.content, second.from_cache) == (200, b"hello", True)
    assert second.revalidated is False
    assert second.cache_status == "hishel; hit; ttl=60"
    assert second.cache_metadata["number_of_uses"] == 1
    assert second.headers["Content-Length"] == "5"
    for answer in (first, second):  # the stored response's version, not urllib3's "HTTP/?"
        assert (answer.raw.version, answer.raw.version_string) == (11, "HTTP/1.1")
    assert second.url == origin.url("/a") and second.request.method == "GET"
    assert isinstance(second, CacheResponse) and isinstance(second, requests.Response)
    kept = pickle.loads(pickle.dumps(second))  # requests pickles the fields it lists
    assert (kept.content, kept.from_cache, kept.cache_status) == (
        b"hello",
        True,
        "hishel; hit; ttl=60",
    )
    assert origin.count("/a") == 1


def test_revalidation_sends_the_validator_and_serves_the_stored_body(
    origin: Origin, clock: FakeClock
) -> None:
    origin.route("/e", body=b"tagged", etag="v1", headers={"Cache-Control": "max-age=5"})
    controller = hishel.Controller(clock=clock)
    with CacheSession(storage=hishel.InMemoryStorage(), controller=controller) as session:
        session.get(origin.url("/e"))
        clock.advance(6)
        answer = session.get(origin.url("/e"))
    assert (answer.status_code, answer.content) == (200, b"tagged")
    assert answer.from_cache and answer.revalidated  # RFC 9111 §4.3.4
    assert answer.cache_status.startswith("hishel; fwd=stale; fwd-status=304")
    assert origin.last_request("/e").headers["If-None-Match"] == '"v1"'
    assert origin.count("/e") == 2


def test_force_cache_on_the_session_methods_stores_what_headers_do_not_allow(
    origin: Origin,
) -> None:
    origin.route("/n", body=b"uncacheable", headers={"Cache-Control": "no-store"})
    with CacheSession(storage=hishel.InMemoryStorage()) as session:
        session.get(origin.url("/n"), force_cache=True)
        forced = session.request("GET", origin.url("/n"), force_cache=True)
        plain = session.get(origin.url("/n"))
        head = session.head(origin.url("/n"), force_cache=True)
    assert forced.from_cache and forced.content == b"uncacheable"
    assert plain.from_cache is False  # without the option the headers decide
    assert head.from_cache and head.content == b""  # RFC 9111 §4.3.5: the stored GET
    assert origin.count("/n") == 2


def test_cache_disabled_goes_to_the_origin_and_says_so(origin: Origin) -> None:
    origin.route("/a", body=b"hello", headers={"Cache-Control": "max-age=60"})
    with CacheSession(storage=hishel.InMemoryStorage()) as session:
        session.get(origin.url("/a"))
        bypassed = session.get(origin.url("/a"), cache_disabled=True)
        posted = session.post(origin.url("/a"), data=b"x", cache_disabled=True)
        hit = session.get(origin.url("/a"))
    assert bypassed.from_cache is False
    assert bypassed.cache_status == "hishel; fwd=bypass; fwd-status=200"
    assert posted.cache_status == "hishel; fwd=bypass; fwd-status=200"
    assert hit.from_cache
    assert origin.count("/a") == 3


def test_controller_force_cache_holds_when_the_request_says_nothing(origin: Origin) -> None:
    origin.route("/n", body=b"kept", headers={"Cache-Control": "no-store"})
    controller = hishel.Controller(force_cache=True)
    with CacheSession(storage=hishel.InMemoryStorage(), controller=controller) as session:
        session.get(origin.url("/n"))
        again = session.get(origin.url("/n"))
        refused = session.get(origin.url("/n"), force_cache=False)
    assert again.from_cache and not refused.from_cache


def test_options_reach_the_adapter_on_redirects_too(origin: Origin) -> None:
    origin.route("/from", status=302, headers={"Location": "/to"})
    origin.route("/to", body=b"target", headers={"Cache-Control": "no-store"})
    with CacheSession(storage=hishel.InMemoryStorage()) as session:
        session.get(origin.url("/from"), force_cache=True)
        answer = session.get(origin.url("/from"), force_cache=True)
    assert answer.content == b"target" and answer.from_cache
    assert [r.from_cache for r in answer.history] == [True]
    assert origin.count("/to") == 1


def pieces(request: OriginRequest) -> tuple[int, list[tuple[str, str]], t.Iterable[bytes]]:
    headers = [("Cache-Control", "max-age=60"), ("Content-Length", "30")]
    return 200, headers, iter([b"0123456789"] * 3)


def test_a_streamed_body_is_stored_as_it_is_read(origin: Origin) -> None:
    origin.handler("/s", pieces)
    storage = hishel.InMemoryStorage()
    with CacheSession(storage=storage) as session:
        response = session.get(origin.url("/s"), stream=True)
        assert list(storage.entries()) == []  # nothing read yet: nothing stored
        chunks = response.iter_content(chunk_size=4)
        read = [next(chunks), next(chunks)]
        assert list(storage.entries()) == []  # half read: still nothing
        read.extend(chunks)
        assert b"".join(read) == b"0123456789" * 3
        assert stored_bodies(storage) == [b"0123456789" * 3]
        hit = session.get(origin.url("/s"), stream=True)
        assert hit.from_cache
        served = list(hit.iter_content(chunk_size=7))
        assert b"".join(served) == b"0123456789" * 3 and len(served) > 1
    assert origin.count("/s") == 1


def test_a_streamed_body_closed_unread_is_not_stored(origin: Origin) -> None:
    origin.handler("/s", pieces)
    storage = hishel.InMemoryStorage()
    with CacheSession(storage=storage) as session:
        with session.get(origin.url("/s"), stream=True) as response:
            assert response.raw.read(5) == b"01234"
        assert list(storage.entries()) == []
        assert session.get(origin.url("/s")).content == b"0123456789" * 3
        assert len(list(storage.entries())) == 1
    assert origin.count("/s") == 2


def test_gzip_is_stored_encoded_and_decoded_on_a_hit(origin: Origin) -> None:
    text = b"compressible " * 200
    encoded = gzip.compress(text)
    headers = {"Cache-Control": "max-age=60", "Content-Encoding": "gzip"}
    origin.route("/z", body=encoded, headers=headers)
    storage = hishel.InMemoryStorage()
    with CacheSession(storage=storage) as session:
        first = session.get(origin.url("/z"))
        hit = session.get(origin.url("/z"))
        raw_hit = session.get(origin.url("/z"), stream=True)
        wire = raw_hit.raw.read(decode_content=False)
    assert first.content == text and hit.content == text and hit.from_cache
    assert hit.headers["Content-Encoding"] == "gzip"
    assert stored_bodies(storage) == [encoded]  # what the wire carried
    assert wire == encoded


def test_an_entry_stored_through_httpx_is_served_to_requests(origin: Origin) -> None:
    text = b"shared " * 100
    headers = {"Cache-Control": "max-age=60", "Content-Encoding": "gzip"}
    origin.route("/z", body=gzip.compress(text), headers=headers)
    storage = hishel.InMemoryStorage()
    with hishel.CacheClient(storage=storage) as client:
        assert client.get(origin.url("/z")).content == text
    with CacheSession(storage=storage) as session:
        answer = session.get(origin.url("/z"))
    assert answer.from_cache and answer.content == text
    assert origin.count("/z") == 1


def test_a_body_cut_mid_read_raises_what_requests_raises_and_is_not_stored(
    origin: Origin,
) -> None:
    origin.route("/t", body=b"x" * 1000, truncate=10, headers={"Cache-Control": "max-age=60"})
    storage = hishel.InMemoryStorage()
    with CacheSession(storage=storage) as session:
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            session.get(origin.url("/t"))
        streamed = session.get(origin.url("/t"), stream=True)
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            streamed.content  # noqa: B018
    assert list(storage.entries()) == []


def test_stale_if_error_answers_a_refused_connection(origin: Origin) -> None:
    origin.route("/s", body=b"stale", headers={"Cache-Control": "max-age=0, stale-if-error=60"})
    controller = hishel.Controller(stale_if_error=True)
    with CacheSession(storage=hishel.InMemoryStorage(), controller=controller) as session:
        session.get(origin.url("/s"))
        origin.stop()  # the port now refuses: requests.ConnectionError (RFC 5861 §4)
        answer = session.get(origin.url("/s"))
    assert answer.content == b"stale" and answer.from_cache
    assert answer.cache_status == 'hishel; hit; ttl=0; detail="origin unreachable"'


def test_an_unreachable_origin_without_a_stored_answer_raises_requests_error(
    origin: Origin,
) -> None:
    url = origin.url("/a")
    origin.stop()
    session = CacheSession(storage=hishel.InMemoryStorage())
    with session, pytest.raises(requests.exceptions.ConnectionError):
        session.get(url)


def test_the_adapter_keeps_requests_retries_on_a_refused_port(origin: Origin) -> None:
    url = origin.url("/a")
    origin.stop()
    tries: list[int] = []

    class CountingRetry(Retry):  # urllib3's own Retry, counting what it is asked
        def increment(self, *args: t.Any, **kwargs: t.Any) -> Retry:
            tries.append(1)
            return super().increment(*args, **kwargs)

    adapter = CacheAdapter(
        storage=hishel.InMemoryStorage(), max_retries=CountingRetry(connect=2, backoff_factor=0)
    )
    with requests.Session() as session:
        session.mount("http://", adapter)
        with pytest.raises(requests.exceptions.ConnectionError):
            session.get(url)
    assert len(tries) == 3  # the first try and two retries, then the error


def test_the_adapter_takes_requests_pool_arguments(origin: Origin) -> None:
    origin.route("/a", body=b"hello", headers={"Cache-Control": "max-age=60"})
    adapter = CacheAdapter(
        storage=hishel.InMemoryStorage(), pool_connections=3, pool_maxsize=7, pool_block=True
    )
    assert adapter.poolmanager.connection_pool_kw["maxsize"] == 7
    assert adapter.poolmanager.connection_pool_kw["block"] is True
    assert adapter.max_retries.total == 0
    with requests.Session() as session:
        session.mount("http://", adapter)
        first = session.get(origin.url("/a"))
        hit = session.get(origin.url("/a"))
        session.get(origin.url("/b"))  # a 404, same connection
    assert (first.from_cache, hit.from_cache) == (False, True)
    assert first.connection is adapter
    assert origin.connections == 1  # requests' pool kept the connection alive


def test_the_adapter_send_takes_the_options_directly(origin: Origin) -> None:
    origin.route("/n", body=b"forced", headers={"Cache-Control": "no-store"})
    adapter = CacheAdapter(storage=hishel.InMemoryStorage())
    prepared = requests.Request("GET", origin.url("/n")).prepare()
    first = adapter.send(prepared, force_cache=True)
    assert first.content == b"forced"
    second = adapter.send(prepared, force_cache=True)
    assert second.content == b"forced" and second.from_cache
    adapter.close()


def test_cookies_of_the_origin_reach_the_session_jar_and_are_not_served_again(
    origin: Origin,
) -> None:
    headers = {"Cache-Control": "max-age=60", "Set-Cookie": "flavour=oat; Path=/"}
    origin.route("/c", body=b"cookie", headers=headers)
    with CacheSession(storage=hishel.InMemoryStorage()) as session:
        first = session.get(origin.url("/c"))
        assert session.cookies.get("flavour") == "oat"
        session.cookies.clear()
        hit = session.get(origin.url("/c"))
        assert session.cookies.get("flavour") is None  # storage keeps no Set-Cookie
    assert first.cookies.get("flavour") == "oat"
    assert hit.from_cache and "Set-Cookie" not in hit.headers


def test_a_cacheable_post_with_a_streamed_body_is_keyed_and_sent(origin: Origin) -> None:
    def echo(request: OriginRequest) -> tuple[int, list[tuple[str, str]], bytes]:
        return 200, [("Cache-Control", "max-age=60")], b"got " + request.body

    origin.handler("/p", echo)
    controller = hishel.Controller(cacheable_methods=["GET", "POST"])
    with CacheSession(storage=hishel.InMemoryStorage(), controller=controller) as session:
        first = session.post(origin.url("/p"), data=iter([b"one", b"two"]))
        again = session.post(origin.url("/p"), data=b"onetwo")
        other = session.post(origin.url("/p"), data=b"three")
    assert first.content == b"got onetwo" and not first.from_cache
    assert again.content == b"got onetwo" and again.from_cache
    assert other.content == b"got three" and not other.from_cache
    assert origin.count("/p") == 2


def test_close_writes_back_and_closes_the_storage(origin: Origin, tmp_path: Path) -> None:
    origin.route("/a", body=b"hello", headers={"Cache-Control": "max-age=60"})
    session = CacheSession(storage=hishel.FileStorage(base_path=tmp_path))
    session.get(origin.url("/a"))
    session.get(origin.url("/a"))
    session.close()
    session.close()  # again: harmless
    [info] = hishel.FileStorage(base_path=tmp_path).entries()
    assert info.uses == 1  # the counted use was written back when the storage closed


def test_the_default_storage_is_a_file_storage(
    origin: Origin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with CacheSession() as session:
        assert isinstance(session.storage, hishel.FileStorage)
        assert isinstance(session.controller, hishel.Controller)
        assert repr(session).startswith("CacheSession(storage=FileStorage(")
    with pytest.raises(TypeError, match="BaseStorage"):
        CacheAdapter(storage=hishel.AsyncInMemoryStorage())  # type: ignore[arg-type]


def run(code: str) -> subprocess.CompletedProcess[str]:
    source = str(Path(hishel.__file__).parent.parent)  # this checkout's hishel
    env = {**os.environ, "PYTHONPATH": source}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )


def test_importing_hishel_does_not_import_requests() -> None:
    done = run("import sys, hishel; print('requests' in sys.modules)")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_without_requests_the_import_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['requests'] = None\n"
        "try:\n    import hishel.requests\n"
        "except ImportError as exc:\n    print(exc)\n"
    )
    done = run(code)
    assert done.returncode == 0, done.stderr
    assert 'pip install "hishel[requests]"' in done.stdout


def test_requests_and_httpx_key_a_url_alike(origin: Origin) -> None:
    origin.route("/k", body=b"keyed", headers={"Cache-Control": "max-age=60"})
    storage = hishel.InMemoryStorage()
    url = f"HTTP://127.0.0.1:{origin.port}/k?b=2&a=1"
    with hishel.CacheClient(storage=storage) as client:
        client.get(url)
    with CacheSession(storage=storage) as session:
        answer = session.get(url + "#part")  # the fragment is not sent: the same resource
    assert answer.from_cache and answer.content == b"keyed"
    assert origin.count("/k") == 1


def test_a_stored_body_lost_mid_read_is_requests_error_then_a_miss(
    origin: Origin, tmp_path: Path
) -> None:
    body = os.urandom(3 * 1024 * 1024)
    origin.route("/big", body=body, headers={"Cache-Control": "max-age=600"})
    with CacheSession(storage=hishel.FileStorage(base_path=tmp_path)) as session:
        assert session.get(origin.url("/big")).content == body
        response = session.get(origin.url("/big"), stream=True)
        assert response.from_cache
        chunks = response.iter_content(chunk_size=64 * 1024)
        assert next(chunks)
        files = list(tmp_path.rglob("*.body"))
        assert files
        for path in files:  # the body's bytes are lost behind the storage's back
            os.truncate(path, 0)
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            for _ in chunks:
                pass
        again = session.get(origin.url("/big"))  # the broken entry is gone: a miss
    assert (again.content == body, again.from_cache) == (True, False)
    assert origin.count("/big") == 2


def test_a_hit_keeps_repeated_fields_apart_in_raw_and_joined_in_headers(origin: Origin) -> None:
    headers = [("Cache-Control", "max-age=60"), ("X-Part", "one"), ("x-part", "two")]
    origin.route("/r", body=b"repeated", headers=headers)
    with CacheSession(storage=hishel.InMemoryStorage()) as session:
        first = session.get(origin.url("/r"))
        hit = session.get(origin.url("/r"))
    for answer in (first, hit):  # requests' headers join them as urllib3's do
        assert answer.headers["x-part"] == "one, two"
        assert answer.raw.headers.getlist("X-Part") == ["one", "two"]
        assert list(answer.headers) == list(answer.raw.headers)  # one name each, as urllib3's
        assert answer.encoding is None and answer.reason == "OK"
    assert hit.from_cache


def test_a_hit_read_from_raw_in_pieces_ends_and_closes(origin: Origin) -> None:
    origin.route("/p", body=b"0123456789", headers={"Cache-Control": "max-age=60"})
    with CacheSession(storage=hishel.InMemoryStorage()) as session:
        session.get(origin.url("/p"))
        hit = session.get(origin.url("/p"), stream=True)
        assert hit.from_cache and not hit.raw.closed
        pieces = [hit.raw.read(4), hit.raw.read(4), hit.raw.read(4), hit.raw.read(4)]
        assert pieces == [b"0123", b"4567", b"89", b""]
        assert hit.raw.closed  # read to its end, as a socket's response is
        whole = session.get(origin.url("/p"), stream=True)
        assert whole.raw.read() == b"0123456789" and whole.raw.read() == b""
        empty = session.head(origin.url("/p"))  # RFC 9111 §4.3.5: the stored GET, no body
        assert empty.from_cache and empty.content == b""


def test_a_revalidation_sends_the_callers_fields_and_cookies_with_the_validator(
    origin: Origin, clock: FakeClock
) -> None:
    origin.route("/v", body=b"tagged", etag="v1", headers={"Cache-Control": "max-age=5"})
    controller = hishel.Controller(clock=clock)
    with CacheSession(storage=hishel.InMemoryStorage(), controller=controller) as session:
        session.cookies.set("flavour", "oat")
        session.get(origin.url("/v"), headers={"X-Trace": "abc"})
        clock.advance(6)
        again = session.get(origin.url("/v"), headers={"X-Trace": "abc"})
    sent = origin.last_request("/v").headers
    assert (sent["If-None-Match"], sent["X-Trace"], sent["Cookie"]) == (
        '"v1"',
        "abc",
        "flavour=oat",
    )
    assert "X-Trace" in [name for name, _ in sent.raw]  # the caller's casing
    assert again.revalidated and again.content == b"tagged"
    assert again.request.headers["X-Trace"] == "abc"
    assert "If-None-Match" not in again.request.headers  # the caller's request, unchanged
    assert again.url == origin.url("/v")


def test_a_subclass_build_response_builds_the_hits_too(origin: Origin) -> None:
    origin.route("/a", body=b"hello", headers={"Cache-Control": "max-age=60"})
    built: list[int] = []

    class Marking(CacheAdapter):
        def build_response(self, req: requests.PreparedRequest, resp: t.Any) -> CacheResponse:
            built.append(resp.status)
            return super().build_response(req, resp)

    with requests.Session() as session:
        session.mount("http://", Marking(storage=hishel.InMemoryStorage()))
        first = session.get(origin.url("/a"))
        hit = session.get(origin.url("/a"))
    assert (first.from_cache, hit.from_cache, hit.content) == (False, True, b"hello")
    assert built == [200, 200, 200]  # the origin's, the miss served, the hit


def test_a_request_made_inside_a_hook_does_not_take_the_outer_options(origin: Origin) -> None:
    origin.route("/n", body=b"uncacheable", headers={"Cache-Control": "no-store"})
    origin.route("/inner", body=b"inner", headers={"Cache-Control": "no-store"})
    with CacheSession(storage=hishel.InMemoryStorage()) as session:
        inner: list[CacheResponse] = []

        def hook(response: requests.Response, **kwargs: t.Any) -> None:
            inner.append(session.get(origin.url("/inner")))

        session.get(origin.url("/n"), force_cache=True, hooks={"response": hook})
        session.get(origin.url("/n"), force_cache=True, hooks={"response": hook})
        moved = session.get(origin.url("/n"), allow_redirects=False)
    assert [r.from_cache for r in inner] == [False, False]  # no force_cache inside
    assert origin.count("/inner") == 2 and origin.count("/n") == 2
    assert moved.status_code == 200 and not moved.from_cache


def test_the_prepared_url_parts_are_those_of_the_general_parser() -> None:
    from hishel._core._messages import URL
    from hishel._hosts._requests import _url

    for url in [
        "http://example.com/",
        "HTTP://Example.COM:8080/a/b?x=1&y=2",
        "https://example.com/path#fragment",
        "http://example.com/a?q#f",
        "http://user:pw@example.com/a",
        "http://[::1]:8000/a",
        "http://example.com:/a",
        "http://example.com?q=1",
        "http://example.com/a@b",
    ]:
        assert _url(url) == URL.parse(url.partition("#")[0]), url


@pytest.mark.parametrize("status_header", [False, True])
def test_a_response_passed_through_is_the_origins_with_the_callers_request(
    origin: Origin, status_header: bool
) -> None:
    headers = [("Cache-Control", "max-age=60"), ("Set-Cookie", "a=1; Path=/")]
    origin.route("/m", body=b"miss", headers=[*headers, ("Content-Type", "text/plain")])
    origin.route("/n", body=b"never", headers={"Cache-Control": "no-store"})
    controller = hishel.Controller(cache_status_header=status_header)
    with CacheSession(storage=hishel.InMemoryStorage(), controller=controller) as session:
        miss = session.get(origin.url("/m"), headers={"X-Trace": "abc"})
        posted = session.post(origin.url("/n"), data=b"body")
        hit = session.get(origin.url("/m"))
    assert (miss.status_code, miss.reason, miss.content, miss.encoding) == (
        200,
        "OK",
        b"miss",
        "ISO-8859-1",  # requests' default for text/*
    )
    assert miss.url == origin.url("/m") and miss.request.headers["X-Trace"] == "abc"
    assert miss.cookies.get("a") == "1" and session.cookies.get("a") == "1"
    assert miss.raw.headers["Content-Type"] == "text/plain" == miss.headers["content-type"]
    assert ("Cache-Status" in miss.headers) is status_header
    assert miss.cache_status == "hishel; fwd=uri-miss; fwd-status=200; stored"
    assert isinstance(miss.connection, CacheAdapter) and not miss.from_cache
    assert (posted.content, posted.from_cache, posted.request.body) == (b"never", False, b"body")
    assert hit.from_cache and hit.content == b"miss" and "Set-Cookie" not in hit.headers
