"""hishel 0.1's ``Controller.construct_response_from_cache``: the stored response itself, the
request itself (made conditional) or ``None``, and 0.1's DEBUG lines on ``hishel.controller``."""

from __future__ import annotations

import typing as t

import httpcore
import pytest

import hishel
from tests.clock import FakeClock
from tests.controller_helpers import NOW, SAFE, considering, date, logged_by, req, resp


def construct(
    controller: hishel.Controller, request: httpcore.Request, response: httpcore.Response
) -> tuple[object, list[str]]:
    answer: list[object] = []
    logged = logged_by(
        lambda: answer.append(controller.construct_response_from_cache(request, response, req()))
    )
    return answer[0], logged


def test_a_fresh_response_is_returned_itself_with_its_age() -> None:
    controller = hishel.Controller(clock=FakeClock(NOW))
    stored = resp(("Cache-Control", "max-age=60"), ("Date", date(10)))
    answer, logged = construct(controller, req(), stored)
    assert answer is stored
    assert (b"Age", b"10") in [(n.title(), v) for n, v in stored.headers]  # RFC 9111 §4
    assert stored.headers[:2] == [(b"Cache-Control", b"max-age=60"), (b"Date", date(10).encode())]
    assert logged == [considering("valid for cache use", "it is fresh")]


def test_a_stale_response_returns_the_request_made_conditional() -> None:
    controller = hishel.Controller(clock=FakeClock(NOW))
    stored = resp(("Cache-Control", "max-age=60"), ("Date", date(100)), ("ETag", '"v1"'))
    request = req(("Accept", "text/html"))
    answer, logged = construct(controller, request, stored)
    assert answer is request
    assert request.headers == [(b"Accept", b"text/html"), (b"If-None-Match", b'"v1"')]
    assert logged == [
        considering("needing revalidation", "it is not fresh"),
        f"Adding the 'If-None-Match' header with the value of '\"v1\"' to the request for the "
        f"resource located at {SAFE}.",
    ]


def test_a_stale_response_without_validators_is_revalidated_with_its_date() -> None:
    # RFC 9110 §13.1.3: with no ETag or Last-Modified, the stored Date is the validator, as
    # the cache itself sends it.
    controller = hishel.Controller(clock=FakeClock(NOW))
    stored = resp(("Cache-Control", "max-age=60"), ("Date", date(100)))
    request = req()
    answer, logged = construct(controller, request, stored)
    assert answer is request
    assert request.headers == [(b"If-Modified-Since", date(100).encode())]
    assert logged == [considering("needing revalidation", "it is not fresh")]  # 0.1's lines


def test_no_lifetime_at_all_says_so_and_returns_the_request() -> None:
    controller = hishel.Controller(clock=FakeClock(NOW))
    request = req()
    answer, logged = construct(controller, request, resp(status=404))
    assert answer is request
    assert logged == [
        f"Could not determine the freshness lifetime of the resource located at {SAFE}, "
        "trying to use heuristics to calculate it.",
        f"Could not calculate the freshness lifetime of the resource located at {SAFE}. "
        "Making a conditional request to revalidate the response.",
    ]


def test_a_heuristic_lifetime_is_logged_as_0_1_did() -> None:
    controller = hishel.Controller(clock=FakeClock(NOW), allow_heuristics=True)
    stored = resp(("Date", date(60)), ("Last-Modified", date(60 + 36_000)))  # 1 hour fresh
    answer, logged = construct(controller, req(), stored)
    assert answer is stored
    assert logged == [
        f"Could not determine the freshness lifetime of the resource located at {SAFE}, "
        "trying to use heuristics to calculate it.",
        f"Successfully calculated the freshness lifetime of the resource located at {SAFE} "
        "using heuristics.",
        considering("valid for cache use", "it is fresh"),
    ]


@pytest.mark.parametrize(
    ("kwargs", "request_lines", "response_lines", "why"),
    [
        pytest.param(
            {"always_revalidate": True},
            [],
            [("Cache-Control", "max-age=60")],
            "the cache is set to always revalidate",
            id="always-revalidate",
        ),
        pytest.param(
            {},
            [],
            [("Cache-Control", "no-cache")],
            "the response contains the no-cache directive",
            id="response-no-cache",
        ),
        pytest.param(
            {},
            [("Cache-Control", "no-cache")],
            [("Cache-Control", "max-age=60")],
            "the request contains the no-cache directive",
            id="request-no-cache",
        ),
        pytest.param(
            {},
            [],
            [("Cache-Control", "max-age=5, must-revalidate")],
            "the response contains the must-revalidate directive",
            id="must-revalidate-once-stale",
        ),
    ],
)
def test_revalidation_reasons_carry_0_1_texts(
    kwargs: dict[str, t.Any],
    request_lines: list[tuple[str, str]],
    response_lines: list[tuple[str, str]],
    why: str,
) -> None:
    controller = hishel.Controller(clock=FakeClock(NOW), **kwargs)
    request = req(*request_lines)
    stored = resp(*response_lines, ("Date", date(10)), ("Last-Modified", date(1000)))
    answer, logged = construct(controller, request, stored)
    assert answer is request
    assert logged[0] == considering("needing revalidation", why)
    assert (b"If-Modified-Since", date(1000).encode()) in request.headers
    assert logged[1].startswith("Adding the 'If-Modified-Since' header")


@pytest.mark.parametrize(
    ("directive", "received", "why"),
    [
        pytest.param(
            "max-age=5", 10, "the age of the response exceeds the max-age directive", id="max-age"
        ),
        pytest.param(
            "min-fresh=55",
            10,
            "the time left for freshness is less than the min-fresh directive",
            id="min-fresh",
        ),
        pytest.param(
            "max-stale=10",
            100,
            "the freshness lifetime has been exceeded more than max-stale",
            id="max-stale-exceeded",
        ),
    ],
)
def test_request_directives_that_rule_the_stored_response_out_answer_none(
    directive: str, received: float, why: str
) -> None:
    controller = hishel.Controller(clock=FakeClock(NOW))
    stored = resp(("Cache-Control", "max-age=60"), ("Date", date(received)), ("ETag", '"v1"'))
    answer, logged = construct(controller, req(("Cache-Control", directive)), stored)
    assert answer is None
    assert logged == [considering("invalid for cache use", why)]


def test_a_stale_response_within_max_stale_is_returned() -> None:
    controller = hishel.Controller(clock=FakeClock(NOW))
    stored = resp(("Cache-Control", "max-age=60"), ("Date", date(100)))
    answer, logged = construct(controller, req(("Cache-Control", "max-stale=100")), stored)
    assert answer is stored
    assert logged == [
        considering(
            "valid for cache use", "the freshness lifetime has been exceeded less than max-stale"
        )
    ]


def test_a_vary_mismatch_answers_none() -> None:
    controller = hishel.Controller(clock=FakeClock(NOW))
    stored = resp(("Cache-Control", "max-age=60"), ("Date", date(0)), ("Vary", "Accept"))
    original = req(("Accept", "text/html"))
    answers: list[object] = []
    logged = logged_by(
        lambda: answers.append(
            controller.construct_response_from_cache(req(("Accept", "image/png")), stored, original)
        )
    )
    assert answers == [None]
    assert logged == [considering("invalid for cache use", "the vary headers do not match")]
    same = controller.construct_response_from_cache(req(("Accept", "text/html")), stored, original)
    assert same is stored


def test_force_cache_serves_a_stale_response_and_a_redirect_is_served_as_0_1_did() -> None:
    controller = hishel.Controller(clock=FakeClock(NOW))
    stale = resp(("Cache-Control", "max-age=0"), ("Date", date(10)))
    answer, logged = construct(controller, req(force_cache=True), stale)
    assert answer is stale
    assert logged == [considering("valid for cache use", "the request is forced to use the cache")]
    redirect = resp(("Location", "/elsewhere"), status=301)
    answer, logged = construct(controller, req(), redirect)
    assert answer is redirect
    assert logged == [considering("valid for cache use", "its status code is a permanent redirect")]


def test_the_clients_own_condition_gets_a_new_304() -> None:
    controller = hishel.Controller(clock=FakeClock(NOW))
    stored = resp(("Cache-Control", "max-age=60"), ("Date", date(0)), ("ETag", '"v1"'))
    answer = controller.construct_response_from_cache(req(("If-None-Match", '"v1"')), stored, req())
    assert isinstance(answer, httpcore.Response) and answer is not stored
    assert answer.status == 304 and stored.status == 200  # RFC 9111 §4.3.2


def test_construct_uses_the_ttl_rules_the_cache_uses() -> None:
    controller = hishel.Controller(clock=FakeClock(NOW), ttl_rules={"*": 60})
    stored = resp(("Date", date(10)))
    assert construct(controller, req(), stored)[0] is stored
    request = req()
    assert construct(controller, request, resp(("Date", date(100))))[0] is request
