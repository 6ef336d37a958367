"""RFC 9111 §4.1: Vary names and request fingerprints."""

from __future__ import annotations

import pytest

from hishel._policy import StoredHead, vary_fingerprint, vary_names
from hishel._policy._vary import language_preferred, select_variant
from tests.policy.helpers import date, request, response, stored


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param([], (), id="9110-12.5.5-no-vary"),
        pytest.param(["Vary: Accept-Encoding"], ("accept-encoding",), id="9110-12.5.5-one-name"),
        pytest.param(
            ["Vary: Accept, Accept-Language"], ("accept", "accept-language"), id="9110-12.5.5-list"
        ),
        pytest.param(
            ["Vary: Accept", "Vary: Origin"], ("accept", "origin"), id="9111-4.1-several-lines"
        ),
        pytest.param(
            ["Vary: Accept, ACCEPT", "Vary: accept"], ("accept",), id="9111-4.1-de-duplicated"
        ),
        pytest.param(["Vary: *"], None, id="9111-4.1-star"),
        pytest.param(["Vary: Accept", "Vary: *"], None, id="9111-4.1-star-on-later-line"),
        pytest.param(
            ["Vary: Accept,, ,Origin"], ("accept", "origin"), id="9110-5.6.1-empty-members"
        ),
        pytest.param(["Vary:"], (), id="9110-5.6.1-empty-vary"),
    ],
)
def test_vary_names(lines: list[str], expected: tuple[str, ...] | None) -> None:
    assert vary_names(response(lines)) == expected


@pytest.mark.parametrize(
    ("names", "first", "second", "match"),
    [
        pytest.param((), ["A: 1"], ["A: 2"], True, id="9111-4.1-no-names-always-match"),
        pytest.param(("a",), ["A: 1"], ["A: 1"], True, id="9111-4.1-same-value"),
        pytest.param(("a",), ["A: 1"], ["A: 2"], False, id="9111-4.1-different-value"),
        pytest.param(("a",), [], [], True, id="9111-4.1-absent-in-both"),
        pytest.param(("a",), [], ["A: "], False, id="9111-4.1-absent-vs-empty"),
        pytest.param(("a",), ["A: x,y"], ["A: x , y"], True, id="9111-4.1-whitespace"),
        pytest.param(("a",), ["A: x", "A: y"], ["A: x, y"], True, id="9111-4.1-combined-lines"),
        pytest.param(("a",), ["A: x,,y"], ["A: x, y"], True, id="9110-5.6.1-empty-members"),
        pytest.param(("a",), ["A: X"], ["A: x"], False, id="9111-4.1-case-kept-by-default"),
        pytest.param(
            ("accept-encoding",),
            ["Accept-Encoding: GZip"],
            ["Accept-Encoding: gzip"],
            True,
            id="9111-4.1-coding-case-insensitive",
        ),
        pytest.param(
            ("accept-language",),
            ["Accept-Language: en-US"],
            ["Accept-Language: en-us"],
            True,
            id="9111-4.1-language-case-insensitive",
        ),
        pytest.param(
            ("accept-encoding",),
            ["Accept-Encoding: gzip, br"],
            ["Accept-Encoding: br, gzip"],
            True,
            id="9111-4.1-accept-encoding-order",
        ),
        pytest.param(
            ("accept-encoding",),
            ["Accept-Encoding: gzip,br"],
            ["Accept-Encoding: BR ,  GZIP"],
            True,
            id="9111-4.1-accept-encoding-whitespace-case",
        ),
        pytest.param(
            ("accept-encoding",),
            ["Accept-Encoding: gzip;q=1.0, br"],
            ["Accept-Encoding: br, gzip"],
            True,
            id="9110-12.4.2-accept-encoding-q1-default",
        ),
        pytest.param(
            ("accept-encoding",),
            ["Accept-Encoding: gzip;q=0.50, br"],
            ["Accept-Encoding: br, gzip ; Q=0.5"],
            True,
            id="9110-12.4.2-accept-encoding-q-canonical",
        ),
        pytest.param(
            ("accept-encoding",),
            ["Accept-Encoding: gzip;q=0.5, br"],
            ["Accept-Encoding: br, gzip"],
            False,
            id="9111-4.1-accept-encoding-q-kept",
        ),
        pytest.param(
            ("accept-encoding",),
            ["Accept-Encoding: gzip"],
            ["Accept-Encoding: gzip, br"],
            False,
            id="9111-4.1-accept-encoding-different-set",
        ),
        pytest.param(
            ("accept-encoding",),
            ["Accept-Encoding: gzip, gzip"],
            ["Accept-Encoding: gzip"],
            True,
            id="9111-4.1-accept-encoding-duplicates",
        ),
        pytest.param(
            ("accept-language",),
            ["Accept-Language: en, fr"],
            ["Accept-Language: fr, en"],
            True,
            id="9111-4.1-accept-language-order",
        ),
        pytest.param(
            ("accept-language",),
            ["Accept-Language: en-US,fr"],
            ["Accept-Language: FR , en-us"],
            True,
            id="9111-4.1-accept-language-whitespace-case",
        ),
        pytest.param(
            ("accept-language",),
            ["Accept-Language: en;q=0.8, fr"],
            ["Accept-Language: fr;q=0.3, en"],
            True,
            id="9111-4.1-accept-language-q-ignored",
        ),
        pytest.param(
            ("accept-language",),
            ["Accept-Language: en, fr;q=0"],
            ["Accept-Language: en"],
            True,
            id="9110-12.4.2-accept-language-q0-not-acceptable",
        ),
        pytest.param(
            ("accept-language",),
            ["Accept-Language: en"],
            ["Accept-Language: en, fr"],
            False,
            id="9111-4.1-accept-language-different-set",
        ),
        pytest.param(
            ("accept-charset",),
            ["Accept-Charset: utf-8, latin1"],
            ["Accept-Charset: latin1, utf-8"],
            False,
            id="9111-4.1-accept-charset-order-kept",
        ),
        pytest.param(
            ("a", "b"), ["A: 1", "B: 2"], ["B: 2", "A: 1"], True, id="9111-4.1-field-order-free"
        ),
        pytest.param(("a", "b"), ["A: 1"], ["A: 1", "B: 2"], False, id="9111-4.1-second-absent"),
        pytest.param(
            ("a",), ['A: "x,y"'], ['A: "x,y"'], True, id="9111-4.1-quoted-comma-kept-intact"
        ),
        pytest.param(("a",), ["A: 1", "C: 3"], ["A: 1", "C: 4"], True, id="9111-4.1-other-fields"),
    ],
)
def test_vary_fingerprint(
    names: tuple[str, ...], first: list[str], second: list[str], match: bool
) -> None:
    one = vary_fingerprint(request(first), names)
    two = vary_fingerprint(request(second), names)
    assert (one == two) is match


@pytest.mark.parametrize(
    ("accept", "languages", "preferred"),
    [
        pytest.param("fr, en;q=0.5", "fr", True, id="9111-4.1-top-q-language"),
        pytest.param("fr, en;q=0.5", "en", False, id="9111-4.1-lower-q-language"),
        pytest.param("fr, en", "en", True, id="9111-4.1-equal-q-either"),
        pytest.param("en", "en-GB", True, id="4647-3.3.1-range-prefix"),
        pytest.param("en-gb", "en", False, id="4647-3.3.1-tag-shorter-than-range"),
        pytest.param("en-gb, en;q=0.5", "en-GB", True, id="4647-3.3.1-longest-range"),
        pytest.param("*;q=0.5, fr", "de", False, id="9110-12.4.3-wildcard-lower"),
        pytest.param("*", "de", True, id="9110-12.4.3-wildcard"),
        pytest.param("fr, de;q=0.5", "de, fr", True, id="9110-8.5-several-languages"),
        pytest.param("", "fr", True, id="9111-4.1-no-accept-language"),
        pytest.param("fr", "", True, id="9111-4.1-no-content-language"),
        pytest.param("fr;q=0", "fr", False, id="9110-12.4.2-q0-not-acceptable"),
    ],
)
def test_language_preferred(accept: str, languages: str, preferred: bool) -> None:
    req = request([f"Accept-Language: {accept}"] if accept else [])
    resp = response([f"Content-Language: {languages}"] if languages else [])
    assert language_preferred(req, resp) is preferred


def _variant(language: str, seconds_ago: float, accept: str = "fr, en") -> StoredHead:
    return stored(
        ["Vary: Accept-Language", f"Content-Language: {language}", date(seconds_ago)],
        req=[f"Accept-Language: {accept}"],
        received=seconds_ago,
    )


def test_9111_4_1_select_variant_by_qvalue() -> None:
    fr, en = _variant("fr", 10), _variant("en", 20)
    assert select_variant(request(["Accept-Language: en, fr;q=0.4"]), [fr, en]) is en
    assert select_variant(request(["Accept-Language: fr, en;q=0.4"]), [fr, en]) is fr


def test_9111_4_1_select_variant_most_recent_when_equally_preferred() -> None:
    old, new = _variant("fr", 100), _variant("en", 10)
    assert select_variant(request(["Accept-Language: fr, en"]), [old, new]) is new


def test_9111_4_1_select_variant_only_matching() -> None:
    other = _variant("de", 10, accept="de")
    star = stored(["Vary: *"])
    assert select_variant(request(["Accept-Language: fr"]), [other, star]) is None
    plain = stored([date(0)])
    assert select_variant(request(["Accept-Language: fr"]), [other, plain]) is plain
