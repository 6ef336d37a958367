"""The public 0.1 header API: CacheControl, parse_cache_control and Vary."""

from __future__ import annotations

import pytest

from hishel._exceptions import CacheControlError, ParseError, ValidationError
from hishel._headers import CacheControl, Vary, parse_cache_control
from hishel._policy._tables import MAX_DELTA


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param([], CacheControl(), id="9111-5.2-empty"),
        pytest.param(["max-age=60"], CacheControl(max_age=60), id="9111-5.2.2.1-max-age"),
        pytest.param(
            ["public, max-age=60", "s-maxage=30"],
            CacheControl(public=True, max_age=60, s_maxage=30),
            id="9111-5.2-several-lines",
        ),
        pytest.param(["MAX-AGE=60"], CacheControl(max_age=60), id="9111-5.2-case-insensitive"),
        pytest.param(
            ["max-age=99999999999"], CacheControl(max_age=MAX_DELTA), id="9111-1.3-saturates"
        ),
        pytest.param(["max-age=1, max-age=2"], CacheControl(max_age=1), id="9111-4.2.1-first-wins"),
        pytest.param(["no-cache"], CacheControl(no_cache=True), id="9111-5.2.2.4-bare"),
        pytest.param(
            ['no-cache="Set-Cookie, X-A"'],
            CacheControl(no_cache=["Set-Cookie", "X-A"]),
            id="9111-5.2.2.4-qualified",
        ),
        pytest.param(
            ['private="X-User", max-age=5'],
            CacheControl(private=["X-User"], max_age=5),
            id="9111-5.2.2.7-qualified",
        ),
        pytest.param(["private"], CacheControl(private=True), id="9111-5.2.2.7-bare"),
        pytest.param(
            ["max-stale"], CacheControl(max_stale=MAX_DELTA), id="9111-5.2.1.2-bare-max-stale"
        ),
        pytest.param(
            ["max-stale=5, min-fresh=3, only-if-cached"],
            CacheControl(max_stale=5, min_fresh=3, only_if_cached=True),
            id="9111-5.2.1-request-directives",
        ),
        pytest.param(
            [
                "immutable, must-revalidate, must-understand, no-store, no-transform,"
                " proxy-revalidate"
            ],
            CacheControl(
                immutable=True,
                must_revalidate=True,
                must_understand=True,
                no_store=True,
                no_transform=True,
                proxy_revalidate=True,
            ),
            id="9111-5.2.2-flags",
        ),
        pytest.param(['x-ext=1, community="UCI"'], CacheControl(), id="9111-5.2.3-unknown"),
    ],
)
def test_parse_cache_control(values: list[str], expected: CacheControl) -> None:
    assert parse_cache_control(values) == expected


@pytest.mark.parametrize(
    ("values", "error"),
    [
        pytest.param(["max-age"], ValidationError, id="0.1-time-field-needs-value"),
        pytest.param(["max-age=abc"], ValidationError, id="0.1-time-field-not-integer"),
        pytest.param(["max-age=-1"], ValidationError, id="0.1-time-field-negative"),
        pytest.param(['max-age="1.5"'], ValidationError, id="0.1-time-field-quoted-fraction"),
        pytest.param(["s-maxage"], ValidationError, id="0.1-s-maxage-needs-value"),
        pytest.param(["min-fresh=x"], ValidationError, id="0.1-min-fresh-not-integer"),
        pytest.param(["no-store=1"], ValidationError, id="0.1-flag-with-value"),
        pytest.param(["public=yes"], ValidationError, id="0.1-public-with-value"),
        pytest.param(["max age=1"], ParseError, id="9110-5.6.2-space-in-name"),
        pytest.param(["max-age=6 0"], ParseError, id="9110-5.6.2-space-in-value"),
        pytest.param(['no-cache="a'], ParseError, id="9110-5.6.4-unterminated-quote"),
        pytest.param(['no-cache="a"b'], ParseError, id="9110-5.6.4-text-after-quote"),
        pytest.param(["=5"], ParseError, id="9110-5.6.2-empty-name"),
        pytest.param(["max-age="], ParseError, id="9110-5.6.2-empty-value"),
        pytest.param(["max-age=@"], ParseError, id="9110-5.6.2-bad-token-value"),
        pytest.param(['no-cache="a\x00"'], ParseError, id="9110-5.6.4-control-in-quotes"),
        pytest.param(["m\u00e4x-age=1"], ParseError, id="9110-5.6.2-non-ascii-name"),
        pytest.param(['max-age="60"'], ValidationError, id="0.1-time-field-quoted"),
        pytest.param(["max-age=60,, public"], ParseError, id="0.1-blank-member"),
        pytest.param(["max-age=60, "], ParseError, id="0.1-whitespace-member"),
        pytest.param(['no-cache="a,,b"'], ValidationError, id="0.1-empty-list-member"),
        pytest.param(['no-cache=""'], ValidationError, id="0.1-empty-list"),
    ],
)
def test_parse_cache_control_errors(values: list[str], error: type[Exception]) -> None:
    with pytest.raises(error):
        parse_cache_control(values)
    with pytest.raises(CacheControlError):
        parse_cache_control(values)


def test_cache_control_defaults_and_repr() -> None:
    cc = CacheControl()
    assert cc.max_age is None and cc.no_cache is False and cc.private is False
    assert repr(CacheControl(max_age=5, public=True)) == "CacheControl(max_age=5, public=True)"
    assert CacheControl(max_age=5) != CacheControl(max_age=6)


def test_cache_control_is_keyword_only() -> None:
    with pytest.raises(TypeError):
        CacheControl(5)  # type: ignore[call-arg, arg-type]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param([], [], id="9110-12.5.5-none"),
        pytest.param(["Accept-Encoding"], ["Accept-Encoding"], id="9110-12.5.5-one"),
        pytest.param(
            ["Accept, Accept-Language", "Origin"],
            ["Accept", "Accept-Language", "Origin"],
            id="9110-12.5.5-several-lines",
        ),
        pytest.param(["Accept ,  Origin ,"], ["Accept", "Origin"], id="9110-5.6.1-whitespace"),
        pytest.param(["*"], ["*"], id="9110-12.5.5-star"),
    ],
)
def test_vary_from_value(values: list[str], expected: list[str]) -> None:
    vary = Vary.from_value(values)
    assert vary._values == expected
    assert vary == Vary(expected)
