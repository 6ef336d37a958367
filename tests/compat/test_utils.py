"""``hishel._utils`` keeps 0.1's answers: the key falls back to sha256 where blake2b is missing
(FIPS builds), and ``parse_date`` answers None for what is not an HTTP-date."""

from __future__ import annotations

import hashlib

import httpcore
import pytest

from hishel._core._keys import generate_key as default_key
from hishel._utils import generate_key, parse_date


def test_generate_key_is_the_default_key() -> None:
    request = httpcore.Request("GET", "https://example.com/a?b=1")
    assert generate_key(request) == default_key(request, b"")
    assert generate_key(request, b"body") == default_key(request, b"body")


def test_generate_key_falls_back_to_sha256_without_blake2b(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def unavailable(*args: object, **kwargs: object) -> object:
        raise ValueError("blake2b is disabled in FIPS mode")

    monkeypatch.setattr(hashlib, "blake2b", unavailable)  # what a FIPS build does
    request = httpcore.Request("POST", "https://example.com")
    want = hashlib.sha256(b"POSThttps://example.com/body").hexdigest()
    assert generate_key(request, b"body") == want


@pytest.mark.parametrize("text", ["0", "yesterday", "", "Tue, 14 Nov 2023 22:13:20 +0100"])
def test_parse_date_answers_none_for_what_is_not_an_http_date(text: str) -> None:
    assert parse_date(text) is None


def test_parse_date_reads_the_three_http_date_formats() -> None:
    # RFC 9110 §5.6.7: IMF-fixdate, the obsolete RFC 850 and asctime formats
    for text in (
        "Tue, 14 Nov 2023 22:13:20 GMT",
        "Tuesday, 14-Nov-23 22:13:20 GMT",
        "Tue Nov 14 22:13:20 2023",
    ):
        assert parse_date(text) == 1700000000
