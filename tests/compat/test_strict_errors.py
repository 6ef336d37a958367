"""0.1's strict errors: ``parse_cache_control`` and an unknown method refuse what 0.1 refused,
with 0.1's messages, while the cache itself stays tolerant of what origins send."""

from __future__ import annotations

import httpx
import pytest

import hishel
from hishel._headers import parse_cache_control


def test_an_unknown_method_is_refused_with_0_1s_text() -> None:
    with pytest.raises(ValueError) as raised:
        hishel.Controller(cacheable_methods=["GET", "fetch"])
    assert isinstance(raised.value, RuntimeError)
    assert str(raised.value).startswith(
        "Hishel does not support the HTTP method `fetch`.\nPlease use the methods from this "
        "list: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']"
    )


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("public,", hishel.ParseError, "The directive should not be left blank."),
        (
            "public, \t,max-age=1",
            hishel.ParseError,
            "The directive should not contain only whitespaces.",
        ),
        (
            's-maxage="30"',
            hishel.ValidationError,
            "The argument 's_maxage' should be an integer, but a quote was found.",
        ),
        ('private="a,,b"', hishel.ValidationError, "The list value must not be empty."),
        ('no-cache=""', hishel.ValidationError, "The list value must not be empty."),
    ],
)
def test_parse_cache_control_refuses_what_0_1_refused(
    value: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        parse_cache_control([value])
    assert str(raised.value) == message


def test_the_cache_itself_stays_tolerant_of_what_0_1_refused() -> None:
    sent = iter([b"public,, max-age=60", b'max-age="60"'])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Cache-Control": next(sent).decode()}, content=b"x")

    with hishel.CacheClient(
        transport=httpx.MockTransport(handler), storage=hishel.InMemoryStorage()
    ) as client:
        assert client.get("https://example.test/a").status_code == 200
        assert client.get("https://example.test/a").extensions["from_cache"] is True
        assert client.get("https://example.test/b").status_code == 200  # no error raised
