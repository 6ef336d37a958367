"""0.1's private helpers (API.md list): importable where 0.1 had them, in 0.1's shapes."""

from __future__ import annotations

import time

import anyio
import httpcore
import pytest

import hishel
from hishel._controller import (
    allowed_stale,
    get_age,
    get_freshness_lifetime,
    get_heuristic_freshness,
    get_updated_headers,
)
from hishel._headers import CacheControl, parse_cache_control
from hishel._utils import (
    BaseClock,
    Clock,
    asleep,
    extract_header_values,
    extract_header_values_decoded,
    float_seconds_to_int_milliseconds,
    generate_key,
    get_safe_url,
    header_presents,
    normalized_url,
    parse_date,
    sleep,
)

NOW = 1_700_000_000
DATE = "Tue, 14 Nov 2023 22:13:20 GMT"  # NOW as an HTTP-date


class FixedClock(BaseClock):
    def now(self) -> int:
        return NOW


def http_date(seconds: float) -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(seconds))


def response(*headers: tuple[str, str], status: int = 200) -> httpcore.Response:
    return httpcore.Response(status, headers=[(n.encode(), v.encode()) for n, v in headers])


def test_keys_and_urls() -> None:
    request = httpcore.Request("GET", "https://a.test:8443/p?q=1")
    assert normalized_url(request.url) == "https://a.test:8443/p?q=1"
    assert generate_key(request) == generate_key(request, b"")
    assert len(generate_key(request)) == 32  # blake2b, 16-byte digest, hex
    assert generate_key(request, b"body") != generate_key(request)
    url = httpcore.URL("https://user:secret@a.test:8443/p?token=1")
    assert get_safe_url(url) == "https://a.test/p"


def test_clocks() -> None:
    with pytest.raises(NotImplementedError):
        BaseClock().now()
    now = Clock().now()
    assert isinstance(now, int) and abs(now - time.time()) < 5
    hishel.Controller(clock=FixedClock())  # a 0.1 clock subclass is a valid clock


def test_header_helpers() -> None:
    headers = [(b"X-A", b"1"), (b"x-b", b"2"), (b"x-a", b"caf\xe9")]
    assert extract_header_values(headers, b"x-a") == [b"1", b"caf\xe9"]
    assert extract_header_values(headers, "X-A", single=True) == [b"1"]
    assert extract_header_values(headers, b"x-c") == []
    assert extract_header_values_decoded(headers, b"X-a") == ["1", "café"]
    assert header_presents(headers, b"X-B") and not header_presents(headers, b"x-c")


def test_small_helpers() -> None:
    assert parse_date(DATE) == NOW
    assert parse_date("Tuesday, 14-Nov-23 22:13:20 GMT") == NOW
    assert parse_date("yesterday") is None  # not an HTTP-date: None, as 0.1 answered
    assert parse_date("0") is None
    assert float_seconds_to_int_milliseconds(1.2345) == 1234
    sleep(0)
    anyio.run(asleep, 0)


def test_get_updated_headers_merges_a_304() -> None:
    stored = [
        (b"Content-Type", b"text/plain"),
        (b"Cache-Control", b"max-age=1"),
        (b"ETag", b'"v1"'),
        (b"Content-Length", b"5"),
    ]
    new = [(b"Cache-Control", b"max-age=60"), (b"ETag", b'"v1"'), (b"X-New", b"1")]
    updated = get_updated_headers(stored, new)
    assert all(isinstance(n, bytes) and isinstance(v, bytes) for n, v in updated)
    assert sorted(updated) == sorted(
        [
            (b"Content-Type", b"text/plain"),
            (b"Cache-Control", b"max-age=60"),
            (b"ETag", b'"v1"'),
            (b"Content-Length", b"5"),  # RFC 9111 §3.2: framing is the stored body's
            (b"X-New", b"1"),
        ]
    )
    other = [(b"ETag", b'"v2"'), (b"Cache-Control", b"max-age=60")]
    assert get_updated_headers(stored, other) == stored  # §4.3.4: selects nothing we hold


def test_freshness_helpers() -> None:
    assert get_freshness_lifetime(response(("Cache-Control", "max-age=60"))) == 60
    expires = response(("Date", DATE), ("Expires", http_date(NOW + 3600)))
    assert get_freshness_lifetime(expires) == 3600
    assert get_freshness_lifetime(response(("Date", DATE))) is None
    clock = FixedClock()
    modified = response(("Date", DATE), ("Last-Modified", http_date(NOW - 1000)))
    assert get_heuristic_freshness(modified, clock) == 100  # RFC 9111 §4.2.2: 10%
    old = response(("Date", DATE), ("Last-Modified", http_date(NOW - 100 * 86400)))
    assert get_heuristic_freshness(old, clock) == 86400  # capped at one day
    assert get_heuristic_freshness(response(("Date", DATE)), clock) == 0
    aged = response(("Date", http_date(NOW - 100)), ("Age", "10"))
    assert get_age(aged, clock) == 110  # RFC 9111 §4.2.3
    assert isinstance(get_age(aged, clock), int)


@pytest.mark.parametrize(
    ("cache_control", "allowed"),
    [("max-age=1", True), ("max-age=1, must-revalidate", False), ("no-cache", False)],
)
def test_allowed_stale(cache_control: str, allowed: bool) -> None:
    assert allowed_stale(response(("Cache-Control", cache_control))) is allowed


def test_make_request_conditional_adds_the_validators_in_place() -> None:
    stored = response(("ETag", '"v1"'), ("Last-Modified", DATE))
    request = httpcore.Request(
        "GET", "https://a.test/", headers=[("Accept", "text/html"), ("If-None-Match", '"old"')]
    )
    assert hishel.Controller()._make_request_conditional(request, stored) is None
    assert request.headers[0] == (b"Accept", b"text/html")
    assert sorted(request.headers[1:]) == [
        (b"If-Modified-Since", DATE.encode()),
        (b"If-None-Match", b'"v1"'),
    ]
    plain = httpcore.Request("GET", "https://a.test/", headers=[("Accept", "text/html")])
    hishel.Controller()._make_request_conditional(plain, response())
    assert plain.headers == [(b"Accept", b"text/html")]


def test_validate_vary() -> None:
    controller = hishel.Controller()
    stored = response(("Vary", "Accept"))
    original = httpcore.Request("GET", "https://a.test/", headers=[("Accept", "text/html")])
    same = httpcore.Request("GET", "https://a.test/", headers=[("accept", "text/html")])
    other = httpcore.Request("GET", "https://a.test/", headers=[("Accept", "image/png")])
    assert controller._validate_vary(same, stored, original) is True
    assert controller._validate_vary(other, stored, original) is False
    assert controller._validate_vary(same, response(("Vary", "*")), original) is False
    assert controller._validate_vary(other, response(), original) is True


def test_parse_cache_control_path() -> None:
    parsed = parse_cache_control(["max-age=60, public", "no-cache"])
    assert parsed == CacheControl(max_age=60, public=True, no_cache=True)
