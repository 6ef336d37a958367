"""The rules the flow asks the policy for: keyed method, content, reuse
after a 304 that validated the stored response."""

from __future__ import annotations

import pytest

from hishel._policy import (
    Freshen,
    ResponseHead,
    StoredHead,
    UseStored,
    carries_body,
    freshen,
    keyed_method,
    validated_reuse,
)
from tests.policy.helpers import NOW, date, options, request, response, stored, value_of


@pytest.mark.parametrize(
    ("method", "cacheable", "expected"),
    [
        pytest.param("GET", ["GET"], "GET", id="9111-4-get-cacheable"),
        pytest.param("HEAD", ["GET"], "GET", id="9111-4.3.5-head-answered-by-stored-get"),
        pytest.param("HEAD", ["GET", "HEAD"], "HEAD", id="9111-4-head-cacheable-itself"),
        pytest.param("HEAD", ["POST"], None, id="9111-4-head-without-get"),
        pytest.param("POST", ["GET"], None, id="9111-4-post-not-cacheable"),
        pytest.param("POST", ["GET", "POST"], "POST", id="9111-4-post-cacheable"),
        pytest.param("DELETE", ["GET"], None, id="9111-4-unsafe-not-answered"),
        pytest.param("GET", ["POST"], None, id="9111-4-get-not-cacheable"),
    ],
)
def test_keyed_method(method: str, cacheable: list[str], expected: str | None) -> None:
    assert keyed_method(method, options(cacheable_methods=cacheable)) == expected


@pytest.mark.parametrize(
    ("method", "status", "expected"),
    [
        pytest.param("GET", 200, True, id="9110-6.4.1-get-200"),
        pytest.param("GET", 404, True, id="9110-6.4.1-get-404"),
        pytest.param("GET", 206, True, id="9110-6.4.1-get-206"),
        pytest.param("HEAD", 200, False, id="9110-6.4.1-head-never"),
        pytest.param("GET", 100, False, id="9110-6.4.1-1xx"),
        pytest.param("GET", 204, False, id="9110-6.4.1-204"),
        pytest.param("GET", 304, False, id="9110-6.4.1-304"),
        pytest.param("GET", 416, False, id="9110-15.5.17-416-cut-from-stored"),
        pytest.param("POST", 200, True, id="9110-6.4.1-post-200"),
    ],
)
def test_carries_body(method: str, status: int, expected: bool) -> None:
    assert carries_body(method, status) is expected


def _freshened(resp: list[str], not_modified: list[str], received: float = 100) -> StoredHead:
    """A stored response, received ``received`` s ago, freshened at NOW by a 304."""
    entry = stored(resp, received=received)
    decision = freshen(entry, response(not_modified, 304), options())
    assert isinstance(decision, Freshen), decision
    return StoredHead(entry.request, ResponseHead(200, decision.headers), NOW, NOW)


def test_9111_4_validated_reuse_fresh_after_304_is_reuse() -> None:
    fresh = _freshened(["Cache-Control: max-age=60", 'ETag: "v1"'], [date(0)])
    decision = validated_reuse(request(), fresh, options(), NOW)
    assert isinstance(decision, UseStored) and decision.reason == "fresh"
    assert (decision.status, decision.age, decision.stale) == (200, 0, False)


def test_9111_4_validated_reuse_no_cache_is_usable_once() -> None:
    fresh = _freshened(["Cache-Control: no-cache", 'ETag: "v1"'], [date(0)])
    decision = validated_reuse(request(), fresh, options(), NOW)
    assert isinstance(decision, UseStored)
    assert "validated" in decision.reason
    assert decision.status == 200
    assert value_of(decision.headers, "age") == ["0"]
    assert value_of(decision.headers, "etag") == ['"v1"']


def test_9111_4_validated_reuse_stale_again_at_once_serves_dated() -> None:
    fresh = _freshened(["Cache-Control: max-age=0", 'ETag: "v1"'], [])
    decision = validated_reuse(request(), fresh, options(), NOW)
    assert isinstance(decision, UseStored) and "validated" in decision.reason
    assert len(value_of(decision.headers, "date")) == 1  # RFC 9110 §6.6.1


def test_9111_4_3_2_validated_reuse_answers_client_conditional_with_304() -> None:
    fresh = _freshened(["Cache-Control: max-age=60", 'ETag: "v1"'], [date(0)])
    head = request(['If-None-Match: "v1"'])
    decision = validated_reuse(head, fresh, options(), NOW)
    assert decision.status == 304
