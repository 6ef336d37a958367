"""Flow behaviour through the sync client over httpx.MockTransport: storage failures, logging,
Controller hooks. The flow driven directly (scripted send) is tests/core/_async/test_flow.py."""

from __future__ import annotations

import logging
import typing as t

import httpcore
import httpx
import pytest

import hishel


class BrokenStorage(hishel.BaseStorage):
    """A storage that is down: every call raises."""

    def store(self, *args: t.Any, **kwargs: t.Any) -> None:
        raise ConnectionError("storage down")

    def retrieve(self, key: str) -> t.Any:
        raise ConnectionError("storage down")

    def remove(self, key: t.Any) -> None:
        raise ConnectionError("storage down")

    def update_metadata(self, *args: t.Any, **kwargs: t.Any) -> None:
        raise ConnectionError("storage down")


def origin(calls: list[httpx.Request], cache_control: str = "max-age=60") -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, headers={"Cache-Control": cache_control}, content=b"body")

    return httpx.MockTransport(handler)


def test_storage_down_is_a_logged_miss(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[httpx.Request] = []
    client = hishel.CacheClient(transport=origin(calls), storage=BrokenStorage())
    with caplog.at_level(logging.WARNING, logger="hishel"):
        first = client.get("http://example.test/a")
        second = client.get("http://example.test/a")
        client.post("http://example.test/a")  # invalidation also touches storage
    assert (first.status_code, first.content, second.content) == (200, b"body", b"body")
    assert second.extensions["from_cache"] is False
    assert len(calls) == 3
    assert any("storage" in r.getMessage() for r in caplog.records)


def test_one_debug_line_per_request_without_credentials(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[httpx.Request] = []
    client = hishel.CacheClient(transport=origin(calls), storage=hishel.InMemoryStorage())
    url = "http://user:secret@example.test/path?token=abc"
    with caplog.at_level(logging.DEBUG, logger="hishel"):
        client.get(url).read()
        first = [r.getMessage() for r in caplog.records if r.name == "hishel"]
        caplog.clear()
        client.get(url)
        second = [r.getMessage() for r in caplog.records if r.name == "hishel"]
    assert len(first) == 1 and len(second) == 1
    assert "Forward" in first[0] and "Store" in first[0]
    assert "UseStored" in second[0]
    for line in first + second:
        assert "secret" not in line and "token" not in line and "user" not in line
        assert "example.test/path" in line


def test_controller_subclass_is_cachable_is_honoured() -> None:
    class NeverStore(hishel.Controller):
        def is_cachable(self, request: httpcore.Request, response: httpcore.Response) -> bool:
            return False

    calls: list[httpx.Request] = []
    client = hishel.CacheClient(
        transport=origin(calls), storage=hishel.InMemoryStorage(), controller=NeverStore()
    )
    client.get("http://example.test/a")
    assert client.get("http://example.test/a").extensions["from_cache"] is False
    assert len(calls) == 2


def test_controller_01_methods_work_on_httpcore_models() -> None:
    controller = hishel.Controller()
    request = httpcore.Request("GET", "https://example.test/")
    fresh = httpcore.Response(
        200, headers=[(b"Cache-Control", b"max-age=60"), (b"ETag", b'"a"')], content=b"x"
    )
    assert controller.is_cachable(request, fresh) is True
    assert controller.is_cachable(request, httpcore.Response(200, content=b"x")) is False
    served = controller.construct_response_from_cache(request, fresh, request)
    assert isinstance(served, httpcore.Response)
    stale = httpcore.Response(
        200, headers=[(b"Cache-Control", b"no-cache"), (b"ETag", b'"a"')], content=b"x"
    )
    conditional = controller.construct_response_from_cache(request, stale, request)
    assert isinstance(conditional, httpcore.Request)
    assert (b"If-None-Match", b'"a"') in [(n.title(), v) for n, v in conditional.headers] or (
        b"if-none-match",
        b'"a"',
    ) in conditional.headers
    merged = controller.handle_validation_response(
        stale, httpcore.Response(304, headers=[(b"Cache-Control", b"max-age=5")])
    )
    assert merged.status == 200
    assert (b"cache-control", b"max-age=5") in [(n.lower(), v) for n, v in merged.headers]


def test_mock_transport_and_pool_answer_in_order() -> None:
    transport = hishel.MockTransport()
    transport.add_responses([httpx.Response(200, content=b"1"), httpx.Response(201, content=b"2")])
    with httpx.Client(transport=transport) as client:
        assert client.get("http://x.test/").content == b"1"
        assert client.get("http://x.test/").status_code == 201
    pool = hishel.MockConnectionPool()
    pool.add_responses([httpcore.Response(202, content=b"3")])
    assert pool.request("GET", "http://x.test/").status == 202


class CountingStorage(hishel.InMemoryStorage):
    """Counts the writes a storage receives."""

    writes = 0

    def store(self, *args: t.Any, **kwargs: t.Any) -> None:
        self.writes += 1
        super().store(*args, **kwargs)

    def update_metadata(self, *args: t.Any, **kwargs: t.Any) -> None:
        self.writes += 1
        super().update_metadata(*args, **kwargs)

    def _open_writer(self, *args: t.Any, **kwargs: t.Any) -> t.Any:
        self.writes += 1
        return super()._open_writer(*args, **kwargs)


def test_hits_write_nothing_and_uses_are_written_back_on_close() -> None:
    calls: list[httpx.Request] = []
    storage = CountingStorage()
    client = hishel.CacheClient(transport=origin(calls), storage=storage)
    client.get("http://example.test/a")
    writes = storage.writes
    for _ in range(5):
        hit = client.get("http://example.test/a")
    assert hit.extensions["cache_metadata"]["number_of_uses"] == 5
    assert storage.writes == writes  # a hit costs storage no write
    client.close()
    key = hit.extensions["cache_metadata"]["cache_key"]
    stored = storage.retrieve(key)
    assert stored is not None and stored[2]["number_of_uses"] == 5
    assert len(calls) == 1
