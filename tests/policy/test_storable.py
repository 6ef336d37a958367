"""RFC 9111 §3: may this response be stored, and with which header fields?"""

from __future__ import annotations

from typing import Any

import pytest

from hishel._policy import DontStore, Store, storable
from tests.policy.helpers import check, date, expires, last_modified, options, request, response

ETAG = 'ETag: "v1"'
MAX_AGE = "Cache-Control: max-age=60"


def row(
    id: str,
    expect: type,
    *,
    req: list[str] | tuple[str, ...] = (),
    resp: list[str] | tuple[str, ...] = (),
    status: int = 200,
    method: str = "GET",
    opts: dict[str, Any] | None = None,
    **checks: Any,
) -> Any:
    return pytest.param(req, resp, status, method, opts or {}, expect, checks, id=id)


ROWS = [
    # §3: something must make the response reusable
    row("9111-3-max-age", Store, resp=[MAX_AGE], reason="max-age"),
    row("9111-3-max-age-zero-still-storable", Store, resp=["Cache-Control: max-age=0", ETAG]),
    row("9111-3-malformed-max-age-storable-but-stale", Store, resp=["Cache-Control: max-age=x"]),
    row("9111-3-expires", Store, resp=[date(0), expires(-60)], reason="Expires"),
    row("9111-3-invalid-expires-still-present", Store, resp=["Expires: 0", ETAG]),
    row("9111-3-public", Store, resp=["Cache-Control: public"], reason="public"),
    row("9111-3-private-in-private-cache", Store, resp=["Cache-Control: private"]),
    row(
        "9111-3-private-in-shared-cache",
        DontStore,
        resp=["Cache-Control: private, max-age=60"],
        opts={"shared": True},
        reason="private",
    ),
    row(
        "9111-3-s-maxage-shared",
        Store,
        resp=["Cache-Control: s-maxage=60"],
        opts={"shared": True},
        reason="s-maxage",
    ),
    row("9111-3-s-maxage-alone-private-cache", DontStore, resp=["Cache-Control: s-maxage=60"]),
    row("9111-3-nothing-reusable", DontStore, resp=[date(0), ETAG]),
    row("9111-3-nothing-at-all", DontStore, resp=[]),
    # §4.2.2 heuristic for permanent redirects, as hishel 0.1 kept them (API.md)
    row("9111-4.2.2-301-no-caching-fields", Store, resp=[date(0)], status=301, reason="redirect"),
    row("9111-4.2.2-308-no-caching-fields", Store, resp=[], status=308, reason="redirect"),
    row("9111-4.2.2-302-is-not-permanent", DontStore, resp=[date(0)], status=302),
    row(
        "9111-4.2.2-301-with-caching-fields-honoured",
        DontStore,
        resp=["Cache-Control: no-store"],
        status=301,
    ),
    row(
        "9111-4.2.2-301-with-no-cache-no-validator",
        DontStore,
        resp=["Cache-Control: no-cache"],
        status=301,
    ),
    row(
        "9111-5.2.2.4-no-cache-with-etag",
        Store,
        resp=["Cache-Control: no-cache", ETAG],
        reason="no-cache",
    ),
    row(
        "9111-5.2.2.4-no-cache-with-last-modified",
        Store,
        resp=["Cache-Control: no-cache", last_modified(60)],
    ),
    row("9111-5.2.2.4-no-cache-without-validator", DontStore, resp=["Cache-Control: no-cache"]),
    row(
        "9111-3-must-revalidate-alone-not-enough",
        DontStore,
        resp=["Cache-Control: must-revalidate", ETAG],
    ),
    row(
        "9111-4.2.2-heuristic-200",
        Store,
        resp=[date(0), last_modified(3600)],
        opts={"allow_heuristics": True},
        reason="heuristic",
    ),
    row(
        "9111-4.2.2-heuristic-404",
        Store,
        status=404,
        resp=[date(0), last_modified(3600)],
        opts={"allow_heuristics": True},
    ),
    row(
        "9111-4.2.2-heuristic-410",
        Store,
        status=410,
        resp=[date(0), last_modified(3600)],
        opts={"allow_heuristics": True},
    ),
    row(
        "9111-4.2.2-no-heuristic-302",
        DontStore,
        status=302,
        resp=[date(0), last_modified(3600)],
        opts={"allow_heuristics": True},
    ),
    row(
        "9111-4.2.2-no-heuristic-without-last-modified",
        DontStore,
        resp=[date(0), ETAG],
        opts={"allow_heuristics": True},
    ),
    row(
        "9111-4.2.2-no-heuristic-invalid-last-modified",
        DontStore,
        resp=[date(0), "Last-Modified: a while ago"],
        opts={"allow_heuristics": True},
    ),
    row("9111-4.2.2-heuristics-off", DontStore, resp=[date(0), last_modified(3600)]),
    # §3: method and status
    row("9111-3-post-not-cacheable", DontStore, method="POST", resp=[MAX_AGE], reason="method"),
    row(
        "9111-3-post-cacheable-when-listed",
        Store,
        method="POST",
        resp=[MAX_AGE],
        opts={"cacheable_methods": {"GET", "POST"}},
    ),
    row("9111-3-head-not-listed", DontStore, method="HEAD", resp=[MAX_AGE]),
    row("9111-3-1xx-not-final", DontStore, status=100, resp=[MAX_AGE], reason="final"),
    row("9111-3-103-not-final", DontStore, status=103, resp=[MAX_AGE]),
    row("9111-3.3-206-not-stored", DontStore, status=206, resp=[MAX_AGE], reason="partial"),
    row("9111-3-304-not-stored", DontStore, status=304, resp=[MAX_AGE]),
    row("9111-3-301-with-max-age", Store, status=301, resp=[MAX_AGE]),
    row("9111-3-404-with-max-age", Store, status=404, resp=[MAX_AGE]),
    row("9111-3-500-with-max-age", Store, status=500, resp=[MAX_AGE]),
    # §3: any final status, known or not, with explicit freshness
    row("9111-3-unknown-299-max-age", Store, status=299, resp=[MAX_AGE], reason="max-age"),
    row("9111-3-unknown-599-max-age", Store, status=599, resp=[MAX_AGE]),
    row("9111-3-unknown-499-expires", Store, status=499, resp=[date(0), expires(-60)]),
    row("9111-3-unknown-299-public", Store, status=299, resp=["Cache-Control: public"]),
    row(
        "9111-3-unknown-299-s-maxage-shared",
        Store,
        status=299,
        resp=["Cache-Control: s-maxage=60"],
        opts={"shared": True},
    ),
    row("9111-3-unknown-299-nothing", DontStore, status=299, resp=[date(0), ETAG]),
    row(
        "9111-3-unknown-299-no-heuristic",
        DontStore,
        status=299,
        resp=[date(0), last_modified(1000)],
        opts={"allow_heuristics": True},
    ),
    row(
        "9111-3-known-heuristic-404",
        Store,
        status=404,
        resp=[date(0), last_modified(1000)],
        opts={"allow_heuristics": True},
        reason="heuristic",
    ),
    row("9110-15-status-600-not-final", DontStore, status=600, resp=[MAX_AGE]),
    row(
        "9111-3-unknown-must-understand-not-stored",
        DontStore,
        status=299,
        resp=["Cache-Control: must-understand, max-age=60"],
        reason="must-understand",
    ),
    row(
        "9111-3-unknown-must-understand-no-store-not-stored",
        DontStore,
        status=299,
        resp=["Cache-Control: must-understand, no-store, max-age=60"],
    ),
    row(
        "9111-3-known-must-understand-no-store-stored",
        Store,
        status=200,
        resp=["Cache-Control: must-understand, no-store, max-age=60"],
    ),
    row(
        "9111-3-unknown-status-listed",
        Store,
        status=299,
        resp=[MAX_AGE],
        opts={"cacheable_status_codes": {200, 299}},
    ),
    row(
        "9111-3-status-not-in-list",
        DontStore,
        status=404,
        resp=[MAX_AGE],
        opts={"cacheable_status_codes": {200}},
        reason="status",
    ),
    row(
        "9111-3.3-206-not-stored-even-if-listed",
        DontStore,
        status=206,
        resp=[MAX_AGE],
        opts={"cacheable_status_codes": {200, 206}},
    ),
    # no-store, must-understand
    row("9111-5.2.2.5-response-no-store", DontStore, resp=["Cache-Control: no-store, max-age=60"]),
    row(
        "9111-5.2.2.5-no-store-on-second-line",
        DontStore,
        resp=[MAX_AGE, "Cache-Control: no-store"],
    ),
    row(
        "9111-5.2.2.5-no-store-case-insensitive",
        DontStore,
        resp=["Cache-Control: No-Store, max-age=60"],
    ),
    row(
        "9111-5.2.1.5-request-no-store",
        DontStore,
        req=["Cache-Control: no-store"],
        resp=[MAX_AGE],
        reason="request no-store",
    ),
    row(
        "9111-5.2.2.3-must-understand-overrides-no-store",
        Store,
        resp=["Cache-Control: must-understand, no-store, max-age=60"],
    ),
    row(
        "9111-5.2.2.3-must-understand-unknown-status",
        DontStore,
        status=299,
        resp=["Cache-Control: must-understand, max-age=60"],
        opts={"cacheable_status_codes": {299}},
        reason="must-understand",
    ),
    row(
        "9111-5.2.2.3-must-understand-unknown-status-no-store",
        DontStore,
        status=299,
        resp=["Cache-Control: must-understand, no-store, max-age=60"],
        opts={"cacheable_status_codes": {299}},
    ),
    row(
        "9111-5.2.2.3-must-understand-known-status",
        Store,
        status=404,
        resp=["Cache-Control: must-understand, max-age=60"],
    ),
    # Vary
    row("9111-4.1-vary-star", DontStore, resp=[MAX_AGE, "Vary: *"], reason="Vary"),
    row("9111-4.1-vary-star-in-list", DontStore, resp=[MAX_AGE, "Vary: Accept", "Vary: *"]),
    row("9111-4.1-vary-names", Store, resp=[MAX_AGE, "Vary: Accept"]),
    # §3.5 Authorization
    row(
        "9111-3.5-shared-authorization",
        DontStore,
        req=["Authorization: Basic x"],
        resp=[MAX_AGE],
        opts={"shared": True},
        reason="Authorization",
    ),
    row(
        "9111-3.5-shared-authorization-public",
        Store,
        req=["Authorization: Basic x"],
        resp=["Cache-Control: public, max-age=60"],
        opts={"shared": True},
    ),
    row(
        "9111-3.5-shared-authorization-s-maxage",
        Store,
        req=["Authorization: Basic x"],
        resp=["Cache-Control: s-maxage=60"],
        opts={"shared": True},
    ),
    row(
        "9111-3.5-shared-authorization-must-revalidate",
        Store,
        req=["Authorization: Basic x"],
        resp=["Cache-Control: must-revalidate, max-age=60"],
        opts={"shared": True},
    ),
    row(
        "9111-3.5-private-cache-authorization",
        Store,
        req=["Authorization: Basic x"],
        resp=[MAX_AGE],
    ),
    # force_cache
    row("hishel-force-cache-no-headers", Store, resp=[], opts={"force_cache": True}),
    row(
        "hishel-force-cache-response-no-store",
        Store,
        resp=["Cache-Control: no-store"],
        opts={"force_cache": True},
    ),
    row(
        "hishel-force-cache-private-shared",
        Store,
        resp=["Cache-Control: private"],
        opts={"force_cache": True, "shared": True},
    ),
    row(
        "hishel-force-cache-method-list-applies",
        DontStore,
        method="POST",
        resp=[],
        opts={"force_cache": True},
    ),
    row(
        "hishel-force-cache-status-list-applies",
        DontStore,
        status=404,
        resp=[],
        opts={"force_cache": True, "cacheable_status_codes": {200}},
    ),
    row(
        "hishel-force-cache-not-partial",
        DontStore,
        status=206,
        resp=[],
        opts={"force_cache": True},
    ),
    row(
        "hishel-force-cache-request-no-store-honoured",
        DontStore,
        req=["Cache-Control: no-store"],
        resp=[],
        opts={"force_cache": True},
    ),
    row(
        "hishel-force-cache-vary-star",
        DontStore,
        resp=["Vary: *"],
        opts={"force_cache": True},
    ),
    row(
        "hishel-force-cache-shared-authorization",
        DontStore,
        req=["Authorization: Basic x"],
        resp=[],
        opts={"force_cache": True, "shared": True},
    ),
    row(
        "hishel-force-cache-still-drops-hop-by-hop",
        Store,
        resp=["Connection: close", "X-A: 1"],
        opts={"force_cache": True},
        names=["x-a"],
    ),
    # §3.1 which fields are kept
    row(
        "9111-3.1-keeps-every-end-to-end-field",
        Store,
        resp=[
            MAX_AGE,
            "Content-Type: text/plain",
            "X-Unknown: 1",
            "Set-Cookie: a=1",
            "Set-Cookie: b=2",
        ],
        names=["cache-control", "content-type", "x-unknown", "set-cookie", "set-cookie"],
    ),
    row(
        "9110-7.6.1-drops-hop-by-hop",
        Store,
        resp=[
            MAX_AGE,
            "Connection: keep-alive",
            "Keep-Alive: timeout=5",
            "Proxy-Connection: keep-alive",
            "TE: trailers",
            "Transfer-Encoding: chunked",
            "Upgrade: h2c",
            "Trailer: Expires",
            "Content-Length: 5",
        ],
        names=["cache-control", "content-length"],
    ),
    row(
        "9111-3.1-drops-proxy-authentication-fields",
        Store,
        resp=[
            MAX_AGE,
            "Proxy-Authenticate: Basic",
            "Proxy-Authentication-Info: x",
            "Proxy-Authorization: y",
        ],
        names=["cache-control"],
    ),
    row(
        "9110-7.6.1-drops-fields-named-by-connection",
        Store,
        resp=[MAX_AGE, "Connection: X-Hop, x-other", "X-Hop: 1", "X-Other: 2", "X-Kept: 3"],
        names=["cache-control", "x-kept"],
    ),
    row(
        "9111-5.2.2.7-qualified-private-shared-drops-field",
        Store,
        resp=[
            'Cache-Control: private="Set-Cookie, X-User", max-age=60',
            "Set-Cookie: a",
            "X-User: u",
            "X-Other: o",
        ],
        opts={"shared": True},
        names=["cache-control", "x-other"],
    ),
    row(
        "9111-5.2.2.7-qualified-private-token-form",
        Store,
        resp=["Cache-Control: private=set-cookie, max-age=60", "Set-Cookie: a"],
        opts={"shared": True},
        names=["cache-control"],
    ),
    row(
        "9111-5.2.2.7-qualified-private-private-cache-keeps-field",
        Store,
        resp=['Cache-Control: private="Set-Cookie", max-age=60', "Set-Cookie: a"],
        names=["cache-control", "set-cookie"],
    ),
    row(
        "9111-5.2.2.7-bare-and-qualified-private-shared",
        DontStore,
        resp=['Cache-Control: private="Set-Cookie", max-age=60', "Cache-Control: private"],
        opts={"shared": True},
    ),
    row(
        "9111-5.2.2.7-qualified-private-alone-shared-not-reusable",
        DontStore,
        resp=['Cache-Control: private="Set-Cookie"', "Set-Cookie: a"],
        opts={"shared": True},
    ),
    row(
        "9111-3.1-keeps-age-and-date",
        Store,
        resp=[MAX_AGE, "Age: 5", date(0)],
        names=["cache-control", "age", "date"],
    ),
]


@pytest.mark.parametrize(("req", "resp", "status", "method", "opts", "expect", "checks"), ROWS)
def test_storable(
    req: list[str],
    resp: list[str],
    status: int,
    method: str,
    opts: dict[str, Any],
    expect: type,
    checks: dict[str, Any],
) -> None:
    decision = storable(request(req, method), response(resp, status), options(**opts))
    assert isinstance(decision, expect), decision
    check(decision, checks)


def test_store_headers_unchanged_when_nothing_dropped() -> None:
    head = response([MAX_AGE, "Content-Type: text/plain"])
    decision = storable(request(), head, options())
    assert isinstance(decision, Store)
    assert decision.headers is head.headers
