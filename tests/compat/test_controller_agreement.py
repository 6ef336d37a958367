"""The Controller's public methods and the cache itself answer alike.

Policy rows (tests/policy/test_storable.py's table, plus rows for the Controller's own
options) run through ``Controller.is_cachable`` / ``construct_response_from_cache`` and
through a real ``CacheClient`` against a loopback origin with the same Controller; both must
reach the same decision: stored or not; served from storage or sent to the origin (with the
same validators).
"""

from __future__ import annotations

import typing as t
from datetime import timedelta

import httpcore
import httpx
import pytest

import hishel
from tests.clock import FakeClock
from tests.origin import Origin
from tests.policy.test_storable import ROWS

WIRE_FIELDS = ("connection", "transfer-encoding", "content-length", "keep-alive")


def _controller_kwargs(opts: dict[str, t.Any]) -> dict[str, t.Any]:
    kwargs: dict[str, t.Any] = {}
    for name, value in opts.items():
        if name == "shared":
            kwargs["cache_private"] = not value
        elif name in ("cacheable_methods", "cacheable_status_codes"):
            kwargs[name] = sorted(value)
        elif name == "targeted_cache_control":
            kwargs[name] = tuple(value)
        elif name == "default_lifetime":
            kwargs["default_ttl"] = value
        else:
            kwargs[name] = value
    return kwargs


def _pairs(lines: t.Iterable[str]) -> list[tuple[str, str]]:
    return [(n.strip(), v.strip()) for n, _, v in (line.partition(":") for line in lines)]


def _over_the_wire(status: int, resp: t.Sequence[str], method: str) -> bool:
    """Rows an origin can send as they are (a final, whole, non-304 status; no framing)."""
    if not 200 <= status <= 599 or status in (206, 304):
        return False
    return not any(name.lower() in WIRE_FIELDS for name, _ in _pairs(resp))


def _storable_rows() -> list[t.Any]:
    rows = []
    for row in ROWS:
        req, resp, status, method, opts, _expect, _checks = row.values
        if _over_the_wire(status, resp, method):
            kwargs = _controller_kwargs(opts)
            rows.append(pytest.param(req, resp, status, method, kwargs, {}, id=row.id))
    return rows


CONTROLLER_ROWS = [
    # the Controller's own options, which the policy tables do not cover
    pytest.param([], [], 200, "GET", {"default_ttl": 60}, {}, id="default-ttl"),
    pytest.param(
        [], [], 200, "GET", {"default_ttl": timedelta(minutes=5)}, {}, id="default-ttl-timedelta"
    ),
    pytest.param(
        [],
        ["Cache-Control: max-age=60"],
        200,
        "GET",
        {"ttl_rules": {"*/nocache/*": None}},
        {},
        id="ttl-rules-do-not-cache",
    ),
    pytest.param(
        [], [], 200, "GET", {"ttl_rules": {"*/nocache/*": 30}}, {}, id="ttl-rules-lifetime"
    ),
    pytest.param(
        [], [], 200, "GET", {"ttl_rules": {"*/other/*": 30}}, {}, id="ttl-rules-not-matching"
    ),
    pytest.param(
        [],
        ["Cache-Control: no-store"],
        200,
        "GET",
        {},
        {"force_cache": True},
        id="force-cache-extension",
    ),
    pytest.param(
        [],
        ["Cache-Control: max-age=60"],
        200,
        "GET",
        {"force_cache": True},
        {"force_cache": False},
        id="force-cache-extension-off",
    ),
    pytest.param(
        [],
        ["Cache-Control: max-age=60"],
        200,
        "GET",
        {"ignored_parameters": ["utm"]},
        {},
        id="ignored-parameters",
    ),
]


def _fix(kwargs: dict[str, t.Any]) -> dict[str, t.Any]:
    if "ttl_rules" in kwargs:
        kwargs = {
            **kwargs,
            "ttl_rules": {
                p: hishel.DO_NOT_CACHE if v is None else v for p, v in kwargs["ttl_rules"].items()
            },
        }
    return kwargs


def _as_httpcore(
    request: httpx.Request, extensions: dict[str, t.Any] | None = None
) -> httpcore.Request:
    return httpcore.Request(
        request.method, str(request.url), headers=request.headers.raw, extensions=extensions or {}
    )


@pytest.mark.parametrize(
    ("req", "resp", "status", "method", "kwargs", "extensions"),
    [*_storable_rows(), *CONTROLLER_ROWS],
)
def test_is_cachable_agrees_with_what_the_cache_stores(
    origin: Origin,
    req: list[str],
    resp: list[str],
    status: int,
    method: str,
    kwargs: dict[str, t.Any],
    extensions: dict[str, t.Any],
) -> None:
    controller = hishel.Controller(clock=FakeClock(), **_fix(kwargs))
    origin.route("/nocache/r", status=status, headers=_pairs(resp), body=b"body")
    storage = hishel.InMemoryStorage()
    with hishel.CacheClient(storage=storage, controller=controller) as client:
        response = client.request(
            method, origin.url("/nocache/r?utm=1"), headers=_pairs(req), extensions=extensions
        )
        response.read()
        stored = storage.stats().entries == 1
    answer = controller.is_cachable(
        _as_httpcore(response.request, extensions),
        httpcore.Response(response.status_code, headers=response.headers.raw),
    )
    assert answer is stored


FRESH = ["Cache-Control: max-age=60", 'ETag: "v1"']
REUSE_ROWS = [
    # (stored response, second request's headers, controller kwargs, seconds later, extensions)
    pytest.param(FRESH, [], {}, 30, {}, id="9111-4.2-fresh"),
    pytest.param(FRESH, [], {}, 120, {}, id="9111-4.2-stale-revalidates"),
    pytest.param(["Cache-Control: max-age=60"], [], {}, 120, {}, id="9111-4.2-stale-no-validator"),
    pytest.param(
        FRESH, ["Cache-Control: no-cache"], {}, 30, {}, id="9111-5.2.1.4-request-no-cache"
    ),
    pytest.param(
        FRESH, ["Cache-Control: max-age=10"], {}, 30, {}, id="9111-5.2.1.1-request-max-age"
    ),
    pytest.param(FRESH, ["Cache-Control: min-fresh=50"], {}, 30, {}, id="9111-5.2.1.3-min-fresh"),
    pytest.param(FRESH, ["Cache-Control: max-stale=100"], {}, 120, {}, id="9111-5.2.1.2-max-stale"),
    pytest.param(FRESH, ["Cache-Control: max-stale=10"], {}, 120, {}, id="9111-5.2.1.2-too-stale"),
    pytest.param(FRESH, [], {"always_revalidate": True}, 30, {}, id="always-revalidate"),
    pytest.param(
        ["Cache-Control: no-cache", 'ETag: "v1"'], [], {}, 30, {}, id="9111-5.2.2.4-no-cache"
    ),
    pytest.param(
        ["Cache-Control: max-age=60, must-revalidate", 'ETag: "v1"'],
        [],
        {},
        120,
        {},
        id="9111-5.2.2.2-must-revalidate-stale",
    ),
    pytest.param(['ETag: "v1"'], [], {"default_ttl": 60}, 30, {}, id="default-ttl-fresh"),
    pytest.param(['ETag: "v1"'], [], {"default_ttl": 60}, 120, {}, id="default-ttl-stale"),
    pytest.param(['ETag: "v1"'], [], {"ttl_rules": {"*/r/*": 300}}, 120, {}, id="ttl-rules-fresh"),
    pytest.param(
        ['ETag: "v1"'],
        [],
        {"force_cache": True, "default_ttl": 60},
        120,
        {},
        id="force-cache-lifetime-over",
    ),
    pytest.param(
        ["Cache-Control: max-age=60"],
        [],
        {},
        120,
        {"force_cache": True},
        id="force-cache-extension",
    ),
    pytest.param(
        ["Cache-Control: max-age=60"],
        [],
        {"force_cache": True},
        120,
        {"force_cache": False},
        id="force-cache-extension-off",
    ),
    pytest.param(FRESH, [], {"ignored_parameters": ["utm"]}, 30, {}, id="ignored-parameters"),
]


@pytest.mark.parametrize(("resp", "req", "kwargs", "later", "extensions"), REUSE_ROWS)
def test_construct_response_from_cache_agrees_with_what_the_cache_serves(
    origin: Origin,
    resp: list[str],
    req: list[str],
    kwargs: dict[str, t.Any],
    later: float,
    extensions: dict[str, t.Any],
) -> None:
    clock = FakeClock()
    controller = hishel.Controller(clock=clock, **_fix(kwargs))
    origin.route("/r/x", headers=_pairs(resp), body=b"body", etag=None)
    with hishel.CacheClient(storage=hishel.InMemoryStorage(), controller=controller) as client:
        first = client.get(origin.url("/r/x?utm=1"), extensions=extensions)
        first.read()
        clock.advance(later)
        query = "?utm=2" if "ignored_parameters" in kwargs else "?utm=1"  # the same key
        second = client.get(origin.url("/r/x" + query), headers=_pairs(req), extensions=extensions)
        second.read()
    served = origin.count("/r/x") == 1
    assert second.extensions["from_cache"] is served

    answer = controller.construct_response_from_cache(
        request=_as_httpcore(second.request, extensions),
        response=httpcore.Response(first.status_code, headers=first.headers.raw),
        original_request=_as_httpcore(first.request, extensions),
    )
    assert isinstance(answer, httpcore.Response) is served
    if isinstance(answer, httpcore.Request):  # the same validators the cache sent
        sent = origin.last_request("/r/x").headers
        validators = {
            name.decode().lower(): value.decode()
            for name, value in answer.headers
            if name.lower() in (b"if-none-match", b"if-modified-since")
        }
        for name, value in validators.items():
            assert sent.get(name) == value
