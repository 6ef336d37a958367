"""RFC 9110 §9.3.3: a POST response with explicit freshness and Content-Location equal to
its target URI is also stored as that URI's GET response."""

from __future__ import annotations

from typing import Any

import pytest

from hishel._policy import DontStore, Store, stored_for_get
from tests.policy.helpers import URL, date, expires, options, request, response

POST_GET = {"cacheable_methods": {"GET", "POST"}}
MAX_AGE = "Cache-Control: max-age=60"


def row(
    id: str,
    expect: type,
    resp: list[str],
    *,
    opts: dict[str, Any] | None = None,
    method: str = "POST",
    url: str = URL,
    status: int = 200,
    reason: str = "",
) -> Any:
    return pytest.param(
        resp, POST_GET if opts is None else opts, method, url, status, expect, reason, id=id
    )


ROWS = [
    row("9110-9.3.3-absolute-content-location", Store, [MAX_AGE, f"Content-Location: {URL}"]),
    row("9110-8.7-relative-content-location", Store, [MAX_AGE, "Content-Location: /resource"]),
    row(
        "9110-8.7-host-case-and-default-port",
        Store,
        [MAX_AGE, "Content-Location: https://EXAMPLE.com:443/resource"],
    ),
    row("9110-8.7-fragment-dropped", Store, [MAX_AGE, "Content-Location: /resource#top"]),
    row(
        "9110-9.3.3-other-uri",
        DontStore,
        [MAX_AGE, "Content-Location: /other"],
        reason="not the target",
    ),
    row(
        "9110-9.3.3-other-origin",
        DontStore,
        [MAX_AGE, "Content-Location: https://evil.example/resource"],
    ),
    row("9110-9.3.3-query-differs", DontStore, [MAX_AGE, "Content-Location: /resource?x=1"]),
    row("9110-9.3.3-no-content-location", DontStore, [MAX_AGE], reason="Content-Location"),
    row(
        "9110-9.3.3-two-content-locations",
        DontStore,
        [MAX_AGE, "Content-Location: /resource", "Content-Location: /resource"],
    ),
    row(
        "9111-4.2.1-expires-is-explicit",
        Store,
        [date(0), expires(-60), "Content-Location: /resource"],
    ),
    row(
        "9110-9.3.3-public-is-not-explicit-freshness",
        DontStore,
        ["Cache-Control: public", "Content-Location: /resource"],
        reason="explicit freshness",
    ),
    row(
        "9110-9.3.3-heuristic-is-not-explicit-freshness",
        DontStore,
        [date(0), "Last-Modified: Mon, 02 Jan 2023 10:00:00 GMT", "Content-Location: /resource"],
        opts={**POST_GET, "allow_heuristics": True},
    ),
    row(
        "9111-4.2.1-s-maxage-shared",
        Store,
        ["Cache-Control: s-maxage=60", "Content-Location: /resource"],
        opts={**POST_GET, "shared": True},
    ),
    row(
        "9110-9.3.3-post-not-cacheable",
        DontStore,
        [MAX_AGE, "Content-Location: /resource"],
        opts={},
        reason="POST",
    ),
    row(
        "9111-3-get-not-cacheable",
        DontStore,
        [MAX_AGE, "Content-Location: /resource"],
        opts={"cacheable_methods": {"POST"}},
        reason="GET",
    ),
    row(
        "9110-9.3.3-not-a-post",
        DontStore,
        [MAX_AGE, "Content-Location: /resource"],
        method="PUT",
    ),
    row(
        "9111-5.2.2.5-no-store",
        DontStore,
        ["Cache-Control: max-age=60, no-store", "Content-Location: /resource"],
        reason="no-store",
    ),
    row(
        "9111-3-status-as-for-get",
        Store,
        [MAX_AGE, "Content-Location: /resource"],
        status=201,
    ),
]


@pytest.mark.parametrize(("resp", "opts", "method", "url", "status", "expect", "reason"), ROWS)
def test_stored_for_get(
    resp: list[str],
    opts: dict[str, Any],
    method: str,
    url: str,
    status: int,
    expect: type,
    reason: str,
) -> None:
    decision = stored_for_get(request((), method, url), response(resp, status), options(**opts))
    assert isinstance(decision, expect), decision
    assert reason in decision.reason, decision
