"""RFC 9111 §4.3.1 validators: entity tags parsed once, compared strongly or weakly."""

from __future__ import annotations

import pytest

from hishel._policy._messages import EntityTag
from hishel._policy._validation import parse_etag, parse_etag_list, strong_match, weak_match


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        pytest.param('"xyzzy"', EntityTag(False, '"xyzzy"'), id="9110-8.8.3-strong"),
        pytest.param('W/"xyzzy"', EntityTag(True, '"xyzzy"'), id="9110-8.8.3-weak"),
        pytest.param('""', EntityTag(False, '""'), id="9110-8.8.3-empty"),
        pytest.param("xyzzy", EntityTag(False, "xyzzy"), id="9110-8.8.3-unquoted-tolerated"),
    ],
)
def test_parse_etag(value: str, tag: EntityTag) -> None:
    assert parse_etag(value) == tag


@pytest.mark.parametrize(
    ("one", "two", "strong", "weak"),
    [
        pytest.param('W/"1"', 'W/"1"', False, True, id="9110-8.8.3.2-weak-weak"),
        pytest.param('W/"1"', 'W/"2"', False, False, id="9110-8.8.3.2-weak-weak-differ"),
        pytest.param('W/"1"', '"1"', False, True, id="9110-8.8.3.2-weak-strong"),
        pytest.param('"1"', '"1"', True, True, id="9110-8.8.3.2-strong-strong"),
    ],
)
def test_entity_tag_comparison(one: str, two: str, strong: bool, weak: bool) -> None:
    a, b = parse_etag(one), parse_etag(two)
    assert strong_match(a, b) is strong
    assert strong_match(b, a) is strong
    assert weak_match(a, b) is weak
    assert weak_match(b, a) is weak


def test_etag_list_keeps_commas_inside_tags() -> None:
    tags = parse_etag_list(['"a,b", W/"c"', "*"])
    assert tags == (EntityTag(False, '"a,b"'), EntityTag(True, '"c"'), EntityTag(False, "*"))
