"""RFC 9213: a shared cache's targeted field replaces Cache-Control and Expires for it."""

from __future__ import annotations

from typing import Any

import pytest

import hishel
from hishel._policy import DontStore, Revalidate, Store, UseStored, reuse, storable
from hishel._policy._structured import parse_dictionary
from hishel._policy._targeted import for_this_cache, target_list, targeted_directives
from tests.policy.helpers import NOW, check, date, expires, options, request, response, stored

CDN = ("cdn-cache-control",)
SHARED_CDN = {"shared": True, "targeted_cache_control": CDN}
ETAG = 'ETag: "v1"'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("max-age=60", {"max_age": 60}, id="9213-2.1-max-age-integer"),
        pytest.param("no-store", {"no_store": True}, id="9213-2.1-no-store-boolean"),
        pytest.param("no-store=?0", {"no_store": False}, id="9213-2.1-false-not-consumed"),
        pytest.param("max-age=1.5", {"max_age": None}, id="9213-2.1-decimal-not-consumed"),
        pytest.param('max-age="60"', {"max_age": None}, id="9213-2.1-string-not-consumed"),
        pytest.param("max-age=-1", {"max_age": None}, id="9213-2.1-negative-not-consumed"),
        pytest.param("no-store=1", {"no_store": False}, id="9213-2.1-integer-flag-ignored"),
        pytest.param("max-age=60;x=1", {"max_age": 60}, id="9213-2.1-parameters-ignored"),
        pytest.param(
            'private="set-cookie, x-a"',
            {"private": True, "private_fields": ("set-cookie", "x-a")},
            id="9213-2.1-private-string",
        ),
        pytest.param(
            "no-cache", {"no_cache": True, "no_cache_fields": ()}, id="9213-2.1-no-cache-bare"
        ),
        pytest.param("s-maxage=9999999999", {"s_maxage": 2**31}, id="9111-1.3-s-maxage-saturates"),
        pytest.param("max-age=999999999999", {"max_age": 2**31}, id="9111-1.3-saturates"),
        pytest.param("max-stale=5", {"max_stale": None}, id="9213-2.1-request-only-ignored"),
        pytest.param(
            "must-revalidate, stale-if-error=30",
            {"must_revalidate": True, "stale_if_error": 30},
            id="9213-2.2-other-directives",
        ),
    ],
)
def test_targeted_directives(value: str, expected: dict[str, Any]) -> None:
    parsed = parse_dictionary([value])
    assert parsed is not None
    directives = targeted_directives(parsed)
    for name, want in expected.items():
        assert getattr(directives, name) == want, name


@pytest.mark.parametrize(
    ("lines", "opts", "max_age", "expires_kept"),
    [
        pytest.param(
            ["Cache-Control: max-age=5", "CDN-Cache-Control: max-age=60", expires(-30)],
            SHARED_CDN,
            60,
            False,
            id="9213-2.2-replaces-cache-control-and-expires",
        ),
        pytest.param(
            ["Cache-Control: max-age=5", "CDN-Cache-Control: max-age=60"],
            {"targeted_cache_control": CDN},
            5,
            True,
            id="9213-2.2-private-cache-ignores-it",
        ),
        pytest.param(
            ["Cache-Control: max-age=5", "CDN-Cache-Control: max-age=60"],
            {"shared": True},
            5,
            True,
            id="9213-2.2-not-on-target-list",
        ),
        pytest.param(
            ["Cache-Control: max-age=5", "CDN-Cache-Control: max-age=60,"],
            SHARED_CDN,
            5,
            True,
            id="9213-2.1-invalid-as-if-absent",
        ),
        pytest.param(
            ["Cache-Control: max-age=5", "CDN-Cache-Control: "],
            SHARED_CDN,
            5,
            True,
            id="9213-2.2-empty-as-if-absent",
        ),
        pytest.param(
            ["Cache-Control: max-age=5", "A-CC: max-age=7", "CDN-Cache-Control: max-age=60"],
            {"shared": True, "targeted_cache_control": ("a-cc", "cdn-cache-control")},
            7,
            False,
            id="9213-2.2-first-in-target-list-order",
        ),
        pytest.param(
            ["Cache-Control: max-age=5", "A-CC: max-age=7,", "CDN-Cache-Control: max-age=60"],
            {"shared": True, "targeted_cache_control": ("a-cc", "cdn-cache-control")},
            60,
            False,
            id="9213-2.2-first-valid-in-target-list-order",
        ),
    ],
)
def test_for_this_cache(
    lines: list[str], opts: dict[str, Any], max_age: int, expires_kept: bool
) -> None:
    head = response([*lines, expires(-30)] if expires_kept else lines)
    seen = for_this_cache(head, options(**opts))
    assert seen.cache_control.max_age == max_age
    assert (seen.expires is not None) is expires_kept
    assert seen.headers == head.headers  # RFC 9213 §2.2: passed through


def row(id: str, expect: type, resp: list[str], opts: Any = None, **checks: Any) -> Any:
    return pytest.param(resp, SHARED_CDN if opts is None else opts, expect, checks, id=id)


STORE_ROWS = [
    row(
        "9213-2.2-no-store-in-cdn-field",
        DontStore,
        ["Cache-Control: max-age=600", "CDN-Cache-Control: no-store"],
        reason="no-store",
    ),
    row(
        "9213-2.2-cdn-max-age-over-cache-control-no-store",
        Store,
        ["Cache-Control: no-store", "CDN-Cache-Control: max-age=600"],
        reason="max-age",
    ),
    row(
        "9213-2.2-cdn-private",
        DontStore,
        ["Cache-Control: public, max-age=600", "CDN-Cache-Control: private"],
        reason="private",
    ),
    row(
        "9213-2.2-cache-control-private-overridden",
        Store,
        ["Cache-Control: private", "CDN-Cache-Control: max-age=600"],
    ),
    row(
        "9213-2.2-expires-ignored",
        DontStore,
        ["CDN-Cache-Control: must-revalidate", date(0), expires(-600)],
    ),
    row(
        "9213-2.2-invalid-field-falls-back",
        DontStore,
        ["Cache-Control: no-store", "CDN-Cache-Control: max-age=1.5.0"],
        reason="no-store",
    ),
    row(
        "9213-2.2-private-cache-falls-back",
        DontStore,
        ["Cache-Control: no-store", "CDN-Cache-Control: max-age=600"],
        opts={"targeted_cache_control": CDN},
    ),
    row(
        "9213-2.1-qualified-private-drops-field",
        Store,
        ['CDN-Cache-Control: max-age=60, private="x-secret"', "X-Secret: s", "X-Other: o"],
        names=["cdn-cache-control", "x-other"],
    ),
]


@pytest.mark.parametrize(("resp", "opts", "expect", "checks"), STORE_ROWS)
def test_storable_targeted(
    resp: list[str], opts: dict[str, Any], expect: type, checks: dict[str, Any]
) -> None:
    decision = storable(request(), response(resp), options(**opts))
    assert isinstance(decision, expect), decision
    check(decision, checks)
    if isinstance(decision, Store):  # RFC 9213 §2.2: passed through
        assert any(name == "cdn-cache-control" for name, _ in decision.headers)


REUSE_ROWS = [
    row(
        "9213-2.2-cdn-max-age-longer-fresh",
        UseStored,
        ["Cache-Control: max-age=60", "CDN-Cache-Control: max-age=600", date(100), ETAG],
    ),
    row(
        "9213-2.2-cdn-max-age-shorter-stale",
        Revalidate,
        ["Cache-Control: max-age=600", "CDN-Cache-Control: max-age=60", date(100), ETAG],
    ),
    row(
        "9213-2.2-cdn-no-cache-revalidates",
        Revalidate,
        ["Cache-Control: max-age=600", "CDN-Cache-Control: no-cache", date(10), ETAG],
        reason="no-cache",
    ),
    row(
        "9213-2.2-cdn-overrides-s-maxage",
        UseStored,
        ["Cache-Control: s-maxage=10", "CDN-Cache-Control: max-age=600", date(100), ETAG],
    ),
    row(
        "9213-2.2-private-cache-uses-cache-control",
        Revalidate,
        ["Cache-Control: max-age=60", "CDN-Cache-Control: max-age=600", date(100), ETAG],
        opts={"targeted_cache_control": CDN},
    ),
    row(
        "9213-2.2-cdn-expires-ignored-stale",
        Revalidate,
        ["CDN-Cache-Control: public", date(100), expires(-600)],
    ),
]


@pytest.mark.parametrize(("resp", "opts", "expect", "checks"), REUSE_ROWS)
def test_reuse_targeted(
    resp: list[str], opts: dict[str, Any], expect: type, checks: dict[str, Any]
) -> None:
    entry = stored(resp, received=100 if any("date" in r.lower() for r in resp) else 0)
    decision = reuse(request(), entry, options(**opts), NOW)
    assert isinstance(decision, expect), decision
    check(decision, checks)
    if isinstance(decision, UseStored):
        assert any(name == "cdn-cache-control" for name, _ in decision.headers)


def test_target_list_checked_at_construction() -> None:
    assert target_list(["CDN-Cache-Control", "cdn-cache-control", "X-CC"]) == (
        "cdn-cache-control",
        "x-cc",
    )
    with pytest.raises(TypeError):
        target_list("CDN-Cache-Control")
    for bad in (["bad name"], [""], [3], ["a:b"]):
        with pytest.raises(ValueError):
            target_list(bad)  # type: ignore[arg-type]
    controller = hishel.Controller(
        cache_private=False, targeted_cache_control=["CDN-Cache-Control"]
    )
    assert controller._options[False].targeted_cache_control == ("cdn-cache-control",)
    with pytest.raises(TypeError):
        hishel.Controller(targeted_cache_control="CDN-Cache-Control")
