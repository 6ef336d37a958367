"""``install_cache()`` sends httpx's clients and module-level functions through the cache;
``uninstall_cache()`` puts back exactly what httpx had. Against a real loopback origin."""

from __future__ import annotations

import typing as t
from pathlib import Path

import httpx
import pytest

import hishel
from tests.origin import Origin

PATCHED = (
    "Client",
    "AsyncClient",
    "request",
    "stream",
    "get",
    "options",
    "head",
    "post",
    "put",
    "patch",
    "delete",
)


@pytest.fixture(autouse=True)
def httpx_as_it_was() -> t.Iterator[dict[str, object]]:
    """httpx's attributes before the test; whatever the test does, they are put back."""
    before = {name: getattr(httpx, name) for name in PATCHED}
    try:
        yield before
    finally:
        hishel.uninstall_cache()
        for name, value in before.items():
            setattr(httpx, name, value)


def fresh_route(origin: Origin, path: str = "/a") -> str:
    origin.route(path, headers={"Cache-Control": "max-age=60"}, body=b"hello")
    return origin.url(path)


def test_httpx_get_twice_is_answered_from_cache_the_second_time(
    origin: Origin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = fresh_route(origin)
    hishel.install_cache()
    first = httpx.get(url)
    second = httpx.get(url)
    assert first.extensions["from_cache"] is False
    assert second.extensions["from_cache"] is True
    assert second.text == "hello"
    assert origin.count("/a") == 1
    assert (tmp_path / ".hishel_cache").is_dir()  # the install's default FileStorage


def test_uninstall_puts_back_every_patched_attribute_itself(
    origin: Origin, httpx_as_it_was: dict[str, object]
) -> None:
    hishel.install_cache(storage=hishel.InMemoryStorage())
    for name in PATCHED:
        assert getattr(httpx, name) is not httpx_as_it_was[name], name
    hishel.uninstall_cache()
    for name in PATCHED:
        assert getattr(httpx, name) is httpx_as_it_was[name], name
    url = fresh_route(origin)
    assert "from_cache" not in httpx.get(url).extensions
    hishel.uninstall_cache()  # nothing installed: a no-op


def test_installing_twice_does_not_stack(
    origin: Origin, httpx_as_it_was: dict[str, object]
) -> None:
    first = hishel.InMemoryStorage()
    second = hishel.InMemoryStorage()
    hishel.install_cache(storage=first)
    hishel.install_cache(storage=second)
    assert httpx.get.__wrapped__ is httpx_as_it_was["get"]  # type: ignore[attr-defined]
    url = fresh_route(origin)
    httpx.get(url)
    assert second.stats().entries == 1 and first.stats().entries == 0
    hishel.uninstall_cache()
    assert httpx.get is httpx_as_it_was["get"]
    assert httpx.Client is httpx_as_it_was["Client"]


def test_every_module_function_goes_through_the_given_storage_and_controller(
    origin: Origin,
) -> None:
    origin.route("/plain", body=b"no caching headers")
    storage = hishel.InMemoryStorage()
    controller = hishel.Controller(force_cache=True, cacheable_methods=["GET", "POST"])
    hishel.install_cache(storage=storage, controller=controller)
    url = origin.url("/plain")
    assert httpx.request("GET", url).extensions["from_cache"] is False
    assert httpx.get(url).extensions["from_cache"] is True  # force_cache: stored anyway
    with httpx.stream("GET", url) as response:
        assert response.read() == b"no caching headers"
        assert response.extensions["from_cache"] is True
    assert httpx.post(url, content=b"x").extensions["from_cache"] is False
    assert httpx.post(url, content=b"x").extensions["from_cache"] is True
    for function in (httpx.head, httpx.options, httpx.delete):
        assert function(url).extensions["from_cache"] is False
    for function in (httpx.put, httpx.patch):
        assert function(url, content=b"y").extensions["from_cache"] is False
    assert origin.count("/plain") == 7


def test_module_functions_keep_httpx_arguments_and_errors(origin: Origin) -> None:
    url = fresh_route(origin)
    hishel.install_cache(storage=hishel.InMemoryStorage())
    response = httpx.get(url, params={"q": "1"}, headers={"X-Test": "yes"}, timeout=5.0)
    assert response.status_code == 200
    assert origin.last_request().headers["X-Test"] == "yes"
    assert origin.last_request().target == "/a?q=1"
    with pytest.raises(TypeError):
        httpx.get(url, json={"not": "accepted by httpx.get"})
    with pytest.raises(TypeError):
        httpx.get(url, verfiy=False)


def test_clients_share_a_given_storage_and_leave_it_open(origin: Origin, tmp_path: Path) -> None:
    url = fresh_route(origin)
    storage = hishel.SQLiteStorage(connection=tmp_path / "cache.db")
    hishel.install_cache(storage=storage)
    with httpx.Client() as client:
        assert isinstance(client, hishel.CacheClient)
        assert client.storage is storage
        client.get(url)
    with httpx.Client() as client:  # the first client's close left the storage open
        assert client.get(url).extensions["from_cache"] is True
    assert httpx.get(url).extensions["from_cache"] is True
    assert storage.stats().entries == 1
    storage.close()


def test_a_storage_passed_to_a_client_is_still_the_clients_own(origin: Origin) -> None:
    hishel.install_cache(controller=hishel.Controller(allow_stale=True))
    own = hishel.InMemoryStorage()
    with httpx.Client(storage=own) as client:  # type: ignore[call-arg]
        assert client.storage is own
        assert client.controller._allow_stale is True
    assert repr(httpx.Client(storage=own)).startswith("CacheClient(")  # type: ignore[call-arg]


@pytest.mark.anyio
async def test_async_clients_use_an_async_storage_given(origin: Origin) -> None:
    url = fresh_route(origin)
    storage = hishel.AsyncInMemoryStorage()
    hishel.install_cache(storage=storage)
    async with httpx.AsyncClient() as client:
        assert client.storage is storage  # type: ignore[attr-defined]
        await client.get(url)
    async with httpx.AsyncClient() as client:
        assert (await client.get(url)).extensions["from_cache"] is True
    assert origin.count("/a") == 1
    await storage.aclose()


def test_a_wrong_storage_or_controller_fails_at_the_call(
    httpx_as_it_was: dict[str, object],
) -> None:
    with pytest.raises(TypeError, match="storage must be a hishel storage"):
        hishel.install_cache(storage="memory")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="controller"):
        hishel.install_cache(controller={"force_cache": True})  # type: ignore[arg-type]
    assert httpx.get is httpx_as_it_was["get"]  # nothing was patched
