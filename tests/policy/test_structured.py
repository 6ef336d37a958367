"""RFC 9651 §4.2: Structured Field Dictionaries, parsed or failed exactly as specified."""

from __future__ import annotations

from typing import Any

import pytest

from hishel._policy._structured import Date, DisplayString, Token, parse_dictionary


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(["a=1"], {"a": (1, ())}, id="9651-4.2.2-integer"),
        pytest.param(["a"], {"a": (True, ())}, id="9651-4.2.2-bare-key-is-true"),
        pytest.param(["a=?0"], {"a": (False, ())}, id="9651-4.2.8-boolean-false"),
        pytest.param(["a=-7"], {"a": (-7, ())}, id="9651-4.2.4-negative"),
        pytest.param(["a=1.5"], {"a": (1.5, ())}, id="9651-4.2.4-decimal"),
        pytest.param(['a="x, y"'], {"a": ("x, y", ())}, id="9651-4.2.5-string-with-comma"),
        pytest.param(['a="q\\"\\\\"'], {"a": ('q"\\', ())}, id="9651-4.2.5-escapes"),
        pytest.param(["a=tok/en:1"], {"a": (Token("tok/en:1"), ())}, id="9651-4.2.6-token"),
        pytest.param(["a=:aGk=:"], {"a": (b"hi", ())}, id="9651-4.2.7-bytes"),
        pytest.param(["a=:aGk:"], {"a": (b"hi", ())}, id="9651-4.2.7-bytes-unpadded"),
        pytest.param(["a=@12"], {"a": (Date(12), ())}, id="9651-4.2.9-date"),
        pytest.param(['a=%"h%c3%a9"'], {"a": (DisplayString("hé"), ())}, id="9651-4.2.10"),
        pytest.param(["a=(1 2);p"], {"a": (((1, ()), (2, ())), (("p", True),))}, id="9651-4.2.1.2"),
        pytest.param(["a;x=1"], {"a": (True, (("x", 1),))}, id="9651-4.2.3.2-parameters"),
        pytest.param(["a=1, a=2"], {"a": (2, ())}, id="9651-4.2.2-last-duplicate-wins"),
        pytest.param(["a=1", "b"], {"a": (1, ()), "b": (True, ())}, id="9651-4.2-lines-combined"),
        pytest.param(["  a=1 ,\tb"], {"a": (1, ()), "b": (True, ())}, id="9651-4.2.2-ows"),
        pytest.param([""], {}, id="9651-4.2.2-empty"),
        pytest.param(["a=1,"], None, id="9651-4.2.2-trailing-comma"),
        pytest.param(["A=1"], None, id="9651-4.2.3.3-upper-case-key"),
        pytest.param(["1a"], None, id="9651-4.2.3.3-digit-first"),
        pytest.param(["a=1.2345"], None, id="9651-4.2.4-four-decimals"),
        pytest.param(["a=1."], None, id="9651-4.2.4-trailing-dot"),
        pytest.param(["a=1234567890123456"], None, id="9651-4.2.4-integer-too-long"),
        pytest.param(['a="x'], None, id="9651-4.2.5-unterminated"),
        pytest.param(['a="é"'], None, id="9651-4.2-not-ascii"),
        pytest.param(["a=?2"], None, id="9651-4.2.8-bad-boolean"),
        pytest.param(["a=@1.5"], None, id="9651-4.2.9-decimal-date"),
        pytest.param(["a=(1"], None, id="9651-4.2.1.2-unterminated-inner"),
        pytest.param(["a=:a$:"], None, id="9651-4.2.7-not-base64"),
        pytest.param(["a b"], None, id="9651-4.2.2-missing-comma"),
        pytest.param(["a=1 x"], None, id="9651-4.2-trailing-garbage"),
        pytest.param(["a=$"], None, id="9651-4.2.3.1-unknown-item"),
    ],
)
def test_parse_dictionary(lines: list[str], expected: Any) -> None:
    assert parse_dictionary(lines) == expected
