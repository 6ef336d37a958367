"""RFC 9111 §5.2: Cache-Control parsed tolerantly into typed values."""

from __future__ import annotations

from typing import Any

import pytest

from hishel._policy._directives import (
    _parse_directives,
    _simple_directives,
    parse_connection,
    parse_directives,
    parse_pragma_no_cache,
    split_members,
)
from hishel._policy._tables import MAX_DELTA


def resp(*values: str) -> Any:
    return parse_directives(values, response=True)


def req(*values: str) -> Any:
    return parse_directives(values, response=False)


@pytest.mark.parametrize(
    ("directives", "expected"),
    [
        pytest.param(resp(), {"present": False, "max_age": None}, id="9111-5.2-absent"),
        pytest.param(
            resp("max-age=60"), {"present": True, "max_age": 60}, id="9111-5.2.2.1-max-age"
        ),
        pytest.param(resp("Max-Age=60"), {"max_age": 60}, id="9111-5.2-case-insensitive-name"),
        pytest.param(resp('max-age="60"'), {"max_age": 0}, id="9111-5.2.2.1-quoted-is-malformed"),
        pytest.param(resp("max-age=0060"), {"max_age": 60}, id="9111-1.3-leading-zeros"),
        pytest.param(resp("max-age=x"), {"max_age": 0}, id="9111-4.2.1-malformed-is-stale"),
        pytest.param(resp("max-age"), {"max_age": 0}, id="9111-4.2.1-missing-is-stale"),
        pytest.param(resp("max-age=-5"), {"max_age": 0}, id="9111-1.3-negative-is-stale"),
        pytest.param(
            resp("max-age= 60"), {"max_age": 60}, id="9111-5.2-ows-after-equals-tolerated"
        ),
        pytest.param(resp("max-age=6 0"), {"max_age": 0}, id="9111-1.3-inner-space-malformed"),
        pytest.param(resp('max-age="6'), {"max_age": 0}, id="9111-5.2-unterminated-quote"),
        pytest.param(resp("max-age=2147483648"), {"max_age": MAX_DELTA}, id="9111-1.3-at-cap"),
        pytest.param(resp("max-age=2147483649"), {"max_age": MAX_DELTA}, id="9111-1.3-saturates"),
        pytest.param(resp("max-age=" + "9" * 5000), {"max_age": MAX_DELTA}, id="9111-1.3-huge"),
        pytest.param(resp("max-age=1, max-age=2"), {"max_age": 1}, id="9111-4.2.1-first-wins"),
        pytest.param(resp("max-age=1", "max-age=2"), {"max_age": 1}, id="9111-4.2.1-first-line"),
        pytest.param(resp("s-maxage=7"), {"s_maxage": 7}, id="9111-5.2.2.10-s-maxage"),
        pytest.param(resp("s-maxage=x"), {"s_maxage": 0}, id="9111-4.2.1-s-maxage-malformed"),
        pytest.param(
            resp("public, must-revalidate, proxy-revalidate, no-transform, immutable"),
            {
                "public": True,
                "must_revalidate": True,
                "proxy_revalidate": True,
                "no_transform": True,
                "immutable": True,
                "no_store": False,
            },
            id="9111-5.2.2-flags",
        ),
        pytest.param(resp("no-store"), {"no_store": True}, id="9111-5.2.2.5-no-store"),
        pytest.param(resp("no-store=1"), {"no_store": True}, id="9111-5.2-flag-with-argument"),
        pytest.param(resp("must-understand"), {"must_understand": True}, id="9111-5.2.2.3"),
        pytest.param(
            resp("no-cache"), {"no_cache": True, "no_cache_fields": ()}, id="9111-5.2.2.4-bare"
        ),
        pytest.param(
            resp('no-cache="Set-Cookie, X-A"'),
            {"no_cache": True, "no_cache_fields": ("set-cookie", "x-a")},
            id="9111-5.2.2.4-qualified",
        ),
        pytest.param(
            resp('no-cache="a", no-cache'),
            {"no_cache": True, "no_cache_fields": ()},
            id="9111-4.2.1-bare-no-cache-most-restrictive",
        ),
        pytest.param(
            resp('no-cache=""'),
            {"no_cache": True, "no_cache_fields": ()},
            id="9111-5.2.2.4-empty-list-is-bare",
        ),
        pytest.param(
            resp('private="a"', 'private="b, a"'),
            {"private": True, "private_fields": ("a", "b")},
            id="9111-5.2.2.7-qualified-union",
        ),
        pytest.param(
            resp("private=x-user"),
            {"private": True, "private_fields": ("x-user",)},
            id="9111-5.2.2.7-token-form",
        ),
        pytest.param(
            resp('private="a, b", max-age=5'),
            {"private_fields": ("a", "b"), "max_age": 5},
            id="9110-5.6.1-comma-inside-quotes",
        ),
        pytest.param(
            resp(r'x-ext="a\"b, c", max-age=5'),
            {"max_age": 5},
            id="9110-5.6.4-escaped-quote",
        ),
        pytest.param(resp(",, max-age=5 ,"), {"max_age": 5}, id="9110-5.6.1-empty-members"),
        pytest.param(resp("community=UCI"), {"present": True}, id="9111-5.2.3-unknown-ignored"),
        pytest.param(
            resp("stale-while-revalidate=30, stale-if-error=60"),
            {"stale_while_revalidate": 30, "stale_if_error": 60},
            id="5861-directives",
        ),
        pytest.param(
            resp("stale-while-revalidate=x"),
            {"stale_while_revalidate": None},
            id="5861-malformed-ignored",
        ),
        pytest.param(req("max-age=5"), {"max_age": 5}, id="9111-5.2.1.1-request-max-age"),
        pytest.param(req("max-age=x"), {"max_age": None}, id="9111-5.2.1.1-malformed-ignored"),
        pytest.param(
            req("max-age=x, max-age=5"), {"max_age": 5}, id="9111-5.2.1.1-malformed-then-valid"
        ),
        pytest.param(req("max-stale"), {"max_stale": MAX_DELTA}, id="9111-5.2.1.2-bare"),
        pytest.param(req("max-stale=10"), {"max_stale": 10}, id="9111-5.2.1.2-value"),
        pytest.param(req("max-stale=x"), {"max_stale": None}, id="9111-5.2.1.2-malformed"),
        pytest.param(req("min-fresh=10"), {"min_fresh": 10}, id="9111-5.2.1.3-min-fresh"),
        pytest.param(req("no-cache"), {"no_cache": True}, id="9111-5.2.1.4-no-cache"),
        pytest.param(req("no-store"), {"no_store": True}, id="9111-5.2.1.5-no-store"),
        pytest.param(req("only-if-cached"), {"only_if_cached": True}, id="9111-5.2.1.7"),
        pytest.param(
            resp("public, max-age=60"), {"public": True, "max_age": 60}, id="common-public-max-age"
        ),
        pytest.param(
            resp("private, no-cache"),
            {"private": True, "no_cache": True, "private_fields": (), "no_cache_fields": ()},
            id="9111-5.2.2.4-5.2.2.7-bare-forms",
        ),
        pytest.param(resp(""), {"present": True, "max_age": None}, id="9111-5.2-empty-value"),
        pytest.param(resp("max-age=0"), {"max_age": 0}, id="9111-5.2.2.1-zero"),
        pytest.param(resp("max-age=9999999999"), {"max_age": MAX_DELTA}, id="9111-1.3-ten-digits"),
        pytest.param(
            resp("max-age =60"), {"max_age": 0}, id="9111-5.2-space-before-equals-malformed"
        ),
        pytest.param(resp("max-age=\u0663"), {"max_age": 0}, id="9111-1.3-non-ascii-digit"),
        pytest.param(
            resp("no-cache, no-cache=set-cookie"),
            {"no_cache": True, "no_cache_fields": ()},
            id="9111-5.2.2.4-bare-beats-qualified",
        ),
    ],
)
def test_parse_directives(directives: Any, expected: dict[str, Any]) -> None:
    for name, value in expected.items():
        assert getattr(directives, name) == value, name


@pytest.mark.parametrize(
    ("value", "members"),
    [
        pytest.param("a, b", ["a", "b"], id="9110-5.6.1-simple"),
        pytest.param(" a ,, b ,", ["a", "b"], id="9110-5.6.1-empty-members"),
        pytest.param('a="x, y", b', ['a="x, y"', "b"], id="9110-5.6.4-quoted-comma"),
        pytest.param(r'a="x\", y", b', [r'a="x\", y"', "b"], id="9110-5.6.4-quoted-pair"),
        pytest.param('a="x, b', ['a="x, b'], id="9110-5.6.4-unterminated"),
        pytest.param("", [], id="9110-5.6.1-empty"),
    ],
)
def test_split_members(value: str, members: list[str]) -> None:
    assert split_members(value) == members


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param(["no-cache"], True, id="9111-5.4-no-cache"),
        pytest.param(["No-Cache"], True, id="9111-5.4-case"),
        pytest.param(["x=1, no-cache"], True, id="9111-5.4-among-extensions"),
        pytest.param(["x=1"], False, id="9111-5.4-extension-only"),
        pytest.param(['x="no-cache"'], False, id="9111-5.4-quoted-value-not-directive"),
    ],
)
def test_pragma(values: list[str], expected: bool) -> None:
    assert parse_pragma_no_cache(values) is expected


def test_connection_names() -> None:
    assert parse_connection(["Keep-Alive, X-A", "close"]) == {"keep-alive", "x-a", "close"}


COMMON_SHAPES = [
    "max-age=3600",
    "public, max-age=60",
    "private, max-age=0",
    "no-cache",
    "no-store",
    "no-cache, no-store, must-revalidate",
    "public, max-age=31536000, immutable",
    "max-age=0, s-maxage=600, stale-while-revalidate=30, stale-if-error=86400",
    "max-age=60, max-age=5",
    "max-age=0060",
    "max-age=2147483648",
    "max-age=9999999999",
    "max-age=99999999999",
    "max-age=",
    "max-age",
    "max-age=-1",
    "max-age=x",
    "max-age=1.5",
    "max-age=\u0663",
    "max-age =60",
    "max-age= 60",
    "max-age=6 0",
    'max-age="60"',
    "Max-Age=60",
    "PUBLIC",
    "no-cache=set-cookie",
    "private, private=x",
    "no-cache, no-cache",
    "max-stale",
    "max-stale=10",
    "min-fresh=5, only-if-cached",
    "no-transform, proxy-revalidate, must-understand",
    "community=UCI, max-age=5",
    ",, max-age=5 ,",
    " public ,\tmax-age=7 ",
    "",
    ",",
]


@pytest.mark.parametrize("value", COMMON_SHAPES)
@pytest.mark.parametrize("response", [True, False], ids=["response", "request"])
def test_fast_path_agrees_with_general_parser(value: str, response: bool) -> None:
    """Where the fast path answers, it answers what the general parser does."""
    simple = _simple_directives(value)
    general = _parse_directives([value], response)
    if simple is not None:
        assert simple == general
    assert parse_directives([value], response=response) == general


def test_fast_path_reads_the_common_shapes() -> None:
    for value in COMMON_SHAPES[:8]:
        assert _simple_directives(value) is not None, value
