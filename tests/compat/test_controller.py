"""hishel 0.1's Controller methods: ``is_cachable``'s answers and DEBUG lines on
``hishel.controller``, and the 304 merge (construct_response_from_cache:
test_controller_reuse.py; 0.1's strict errors: test_strict_errors.py)."""

from __future__ import annotations

import logging
import typing as t

import httpcore
import httpx
import pytest

import hishel
from tests.clock import FakeClock
from tests.controller_helpers import NOW, SAFE, considering, date, logged_by, req, resp

# -- is_cachable ---------------------------------------------------------------------------

CACHABLE_ROWS = [
    pytest.param(
        {},
        req(),
        resp(),
        False,
        ["not cachable", "it does not contain any of the required cache directives"],
        id="nothing-makes-it-reusable",
    ),
    pytest.param(
        {},
        req(method="POST"),
        resp(("Cache-Control", "max-age=60")),
        False,
        ["not cachable", "the request method (POST) is not in the list of cacheable methods"],
        id="method-not-listed",
    ),
    pytest.param(
        {"cacheable_status_codes": [301]},
        req(),
        resp(("Cache-Control", "max-age=60")),
        False,
        ["not cachable", "its status code (200) is not in the list of cacheable status codes"],
        id="status-not-listed",
    ),
    pytest.param(
        {"cacheable_status_codes": [102]},
        req(),
        resp(("Cache-Control", "max-age=60"), status=102),
        False,
        ["not cachable", "its status code is informational"],
        id="informational",
    ),
    pytest.param(
        {},
        req(("Cache-Control", "no-store")),
        resp(("Cache-Control", "max-age=60")),
        False,
        ["not cachable", "the request contains the no-store directive"],
        id="request-no-store",
    ),
    pytest.param(
        {},
        req(),
        resp(("Cache-Control", "max-age=60, no-store")),
        False,
        ["not cachable", "the response contains the no-store directive"],
        id="response-no-store",
    ),
    pytest.param(
        {"cache_private": False},
        req(),
        resp(("Cache-Control", "private, max-age=60")),
        False,
        ["not cachable", "the response contains the private directive"],
        id="private-in-shared-cache",
    ),
    pytest.param(
        {},
        req(),
        resp(("Cache-Control", "max-age=60"), ("Vary", "*")),
        False,
        ["not cachable", "Vary: * never matches"],  # no 0.1 text: the policy's reason
        id="vary-star",
    ),
    pytest.param(
        {},
        req(),
        resp(("Cache-Control", "private")),
        True,
        ["cachable", "it meets the criteria for being stored in the cache"],
        id="private-in-private-cache",
    ),
    pytest.param(
        {},
        req(),
        resp(status=308),
        True,
        ["cachable", "its status code is a permanent redirect"],
        id="permanent-redirect",
    ),
    pytest.param(
        {"allow_heuristics": True},
        req(),
        resp(("Date", date(0)), ("Last-Modified", date(3600))),
        True,
        ["cachable", "its status code is heuristically cacheable"],
        id="heuristic",
    ),
    pytest.param(
        {},
        req(force_cache=True),
        resp(("Cache-Control", "no-store")),
        True,
        ["cachable", "the request is forced to use the cache"],
        id="force-cache-extension",
    ),
]


@pytest.mark.parametrize(("kwargs", "request_", "response", "expected", "line"), CACHABLE_ROWS)
def test_is_cachable_logs_the_01_line_for_its_answer(
    kwargs: dict[str, t.Any],
    request_: httpcore.Request,
    response: httpcore.Response,
    expected: bool,
    line: list[str],
) -> None:
    controller = hishel.Controller(clock=FakeClock(NOW), **kwargs)
    answers: list[bool] = []
    logged = logged_by(lambda: answers.append(controller.is_cachable(request_, response)))
    assert answers == [expected]
    assert logged == [considering(*line)]


def test_must_understand_skipping_no_store_is_logged_before_the_verdict() -> None:
    controller = hishel.Controller()
    response = resp(("Cache-Control", "no-store, must-understand, max-age=60"))
    assert logged_by(lambda: controller.is_cachable(req(), response)) == [
        f"Skipping the no-store directive for the resource located at {SAFE} since the "
        "response contains the must-understand directive.",
        considering("cachable", "it meets the criteria for being stored in the cache"),
    ]


def test_is_cachable_uses_the_ttl_rules_the_cache_uses() -> None:
    controller = hishel.Controller(
        ttl_rules={"https://example.test/nocache/*": hishel.DO_NOT_CACHE, "*": 60}
    )
    never = httpcore.Request("GET", "https://example.test/nocache/a")
    assert controller.is_cachable(never, resp(("Cache-Control", "max-age=60"))) is False
    # a rule's lifetime makes a response without caching headers storable, as in the cache
    assert controller.is_cachable(req(), resp()) is True


def test_is_cachable_honours_the_force_cache_extension_both_ways() -> None:
    forced = hishel.Controller(force_cache=True)
    assert forced.is_cachable(req(), resp()) is True
    assert forced.is_cachable(req(force_cache=False), resp()) is False
    assert hishel.Controller().is_cachable(req(force_cache=True), resp()) is True


# -- handle_validation_response -----------------------------------------------------------


def test_a_304_updates_the_stored_fields_in_place_in_their_order() -> None:
    controller = hishel.Controller()
    old = resp(
        (b"Content-Type", b"text/plain"),
        (b"Cache-Control", b"max-age=1"),
        (b"X-Old", b"kept"),
        (b"Content-Length", b"6"),
    )
    new = httpcore.Response(
        304,
        headers=[(b"x-new", b"1"), (b"cache-control", b"max-age=60"), (b"Content-Length", b"0")],
    )
    merged = controller.handle_validation_response(old, new)
    assert merged is old
    assert merged.headers == [
        (b"Content-Type", b"text/plain"),
        (b"Cache-Control", b"max-age=60"),  # the 304's value, in the stored place and spelling
        (b"X-Old", b"kept"),
        (b"Content-Length", b"6"),  # RFC 9111 §3.2: framing stays the stored body's
        (b"x-new", b"1"),
    ]
    assert merged.read() == b"stored"


def test_a_non_304_or_a_304_for_another_response_is_returned_as_it_is() -> None:
    controller = hishel.Controller()
    old = resp((b"ETag", b'"v1"'))
    fresh = httpcore.Response(200, headers=[(b"ETag", b'"v2"')], content=b"new")
    assert controller.handle_validation_response(old, fresh) is fresh
    other = httpcore.Response(304, headers=[(b"ETag", b'"v2"')])
    assert controller.handle_validation_response(old, other) is other  # RFC 9111 §4.3.4
    assert old.headers == [(b"ETag", b'"v1"')]


# -- the flow keeps its own line -----------------------------------------------------------


def test_the_cache_logs_no_0_1_controller_lines(caplog: pytest.LogCaptureFixture) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Cache-Control": "max-age=60"}, content=b"x")

    with (
        hishel.CacheClient(
            transport=httpx.MockTransport(handler), storage=hishel.InMemoryStorage()
        ) as client,
        caplog.at_level(logging.DEBUG, logger="hishel.controller"),
    ):
        client.get("https://example.test/a")
        client.get("https://example.test/a")
    names = [r.name for r in caplog.records if r.levelno == logging.DEBUG]
    assert names == ["hishel", "hishel"]  # one decision line per request, nothing else
