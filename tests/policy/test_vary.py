"""RFC 9111 §4.1: Vary names and request fingerprints."""

from __future__ import annotations

import pytest

from hishel._policy import vary_fingerprint, vary_names
from tests.policy.helpers import request, response


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
