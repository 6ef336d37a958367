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


def test_lfu_cache_keeps_01_attributes_and_iteration() -> None:
    cache: hishel.LFUCache[str, int] = hishel.LFUCache(2)
    assert (cache.capacity, cache.min_freq, cache.cache, dict(cache.freq_count)) == (2, 0, {}, {})
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.min_freq == 1
    assert cache.get("a") == 1
    assert cache.cache == {"a": (1, 2), "b": (2, 1)}
    buckets = {uses: dict(keys) for uses, keys in cache.freq_count.items()}
    assert buckets == {1: {"b": 2}, 2: {"a": 1}}
    assert list(cache) == ["a", "b"]
    cache.remove_key("b")
    assert cache.min_freq == 2 and list(cache) == ["a"]
    cache.put("c", 3)
    cache.put("d", 4)  # full: c (1 use) goes before a (2 uses)
    assert sorted(cache) == ["a", "d"] and cache.min_freq == 1
    with pytest.raises(KeyError, match="Key c not found"):
        cache.get("c")
    with pytest.raises(ValueError, match="Capacity must be positive"):
        hishel.LFUCache(0)


P, V = hishel.ParseError, hishel.ValidationError
CC_ERRORS = [
    ("max-age=", P, "The directive value cannot be left blank."),
    ("=60", P, "The directive should not be left blank."),
    ("max[age=1", P, "The character ''['' is not permitted in the directive name."),
    ("x=a/b", P, "The character ''/'' is not permitted for the unquoted values."),
    ('x="a', P, "Invalid quotes around the value."),
    ('x="a\x7f"', P, "The character ''\\x7f'' is not permitted for the quoted values."),
    ("max-age", V, "The directive 'max_age' necessitates a value."),
    ("max-age=ab", V, "The argument 'max_age' should be an integer, but got ''ab''."),
    ("no-store=1", V, "The directive 'no_store' should have no value, but it does."),
]


@pytest.mark.parametrize(("value", "error", "message"), CC_ERRORS)
def test_cache_control_errors_carry_01_texts(
    value: str, error: type[Exception], message: str
) -> None:
    from hishel._headers import parse_cache_control

    with pytest.raises(error) as raised:
        parse_cache_control([value])
    assert str(raised.value) == message
    assert isinstance(raised.value, hishel.CacheControlError)


def test_version_is_the_01_compatible_line() -> None:
    # 0.2.x: the 0.1-compatible line, clear of PyPI's 1.x/2.x (a different API)
    assert hishel.__version__ == "0.2.0"
