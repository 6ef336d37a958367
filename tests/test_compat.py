"""0.1 behaviour a drop-in keeps (API.md, "0.1 behaviour a drop-in keeps"): sync-only parts."""

from __future__ import annotations

import httpx
import pytest

import hishel


@pytest.mark.parametrize("error", [ValueError, RuntimeError])
def test_unknown_cacheable_method_is_value_and_runtime_error(error: type[Exception]) -> None:
    with pytest.raises(error, match="FOO"):
        hishel.Controller(cacheable_methods=["FOO"])


def test_cacheable_methods_and_statuses_take_any_iterable() -> None:
    controller = hishel.Controller(
        cacheable_methods=(m for m in ("get", "post")), cacheable_status_codes={200, 404}
    )
    assert controller._cacheable_methods == {"GET", "POST"}
    assert controller._cacheable_status_codes == {200, 404}


def test_query_is_a_known_method_keyed_by_its_body() -> None:
    transport = hishel.MockTransport()
    transport.add_responses(
        [
            httpx.Response(200, headers={"Cache-Control": "max-age=60"}, content=b"one"),
            httpx.Response(200, headers={"Cache-Control": "max-age=60"}, content=b"two"),
        ]
    )
    controller = hishel.Controller(cacheable_methods=["QUERY"])
    storage = hishel.InMemoryStorage()
    with hishel.CacheClient(transport=transport, storage=storage, controller=controller) as c:
        first = c.request("QUERY", "https://a.test/search", content=b"q=1")
        again = c.request("QUERY", "https://a.test/search", content=b"q=1")
        other = c.request("QUERY", "https://a.test/search", content=b"q=2")
    assert (first.content, first.extensions["from_cache"]) == (b"one", False)
    assert (again.content, again.extensions["from_cache"]) == (b"one", True)
    assert (other.content, other.extensions["from_cache"]) == (b"two", False)
