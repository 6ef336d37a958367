"""The core's adapters between host messages and the policy's heads."""

from __future__ import annotations

import pytest

from hishel._core._adapters import request_headers
from hishel._core._keys import generate_key, keyed_url, normalized_url
from hishel._core._messages import URL, Request
from hishel._storage._codec import EntryHead
from hishel._storage._serializers import Metadata

RAW = [(b"Host", b"example.com"), (b"Accept", b"*/*"), (b"X-Two", b"a"), (b"X-Two", b"a")]


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        (  # every field kept, a validator added
            (("host", "example.com"), ("accept", "*/*"), ("x-two", "a"), ("x-two", "a"),
             ("if-none-match", '"v1"')),
            [*RAW, (b"If-None-Match", b'"v1"')],
        ),
        (  # a field dropped (the client's validator replaced)
            (("host", "example.com"), ("x-two", "a"), ("x-two", "a"), ("if-none-match", '"v"')),
            [RAW[0], RAW[2], RAW[3], (b"If-None-Match", b'"v"')],
        ),
        (  # one of two equal lines dropped
            (("host", "example.com"), ("accept", "*/*"), ("x-two", "a")),
            [RAW[0], RAW[1], RAW[2]],
        ),
        (  # an added field equal to a kept one
            (("host", "example.com"), ("accept", "*/*"), ("x-two", "a"), ("x-two", "a"),
             ("x-two", "a")),
            [*RAW, (b"X-Two", b"a")],
        ),
        ((), []),
    ],
)  # fmt: skip
def test_request_headers(
    wanted: tuple[tuple[str, str], ...], expected: list[tuple[bytes, bytes]]
) -> None:
    assert request_headers(RAW, wanted) == expected


def test_keyed_url_is_normalized_url_and_generate_key() -> None:
    request = Request(b"GET", URL.parse("HTTP://Example.COM:80"), [])
    assert keyed_url(request) == (normalized_url(request.url), generate_key(request))


@pytest.mark.parametrize(
    ("target", "normal"),
    [
        (b"/a%7Eb", b"/a~b"),  # an unreserved character is written as itself
        (b"/a%7eb%41%2d%2E%5f", b"/a~bA-._"),
        (b"/a%2fb%3a%c3%a9", b"/a%2Fb%3A%C3%A9"),  # any other escape: upper-case hex digits
        (b"/a?q=%7E%26", b"/a?q=~%26"),  # the query too
        (b"/50%", b"/50%"),  # not an escape: as written
        (b"/%zz%4", b"/%zz%4"),
        (b"/plain", b"/plain"),
    ],
)
def test_percent_encoding_is_normalised_in_the_key(target: bytes, normal: bytes) -> None:
    """RFC 9110 §4.2.3: a URL keys as its normal form, so every host keys it alike."""
    request = Request(b"GET", URL(b"http", b"example.com", None, target), [])
    written = Request(b"GET", URL(b"http", b"example.com", None, normal), [])
    assert normalized_url(request.url) == "http://example.com" + normal.decode()
    assert generate_key(request) == generate_key(written)
    assert keyed_url(request) == keyed_url(written)


def test_entry_head_copies_have_views_of_their_own() -> None:
    meta = Metadata(cache_key="k", number_of_uses=0, created_at=None)  # type: ignore[typeddict-item]
    head = EntryHead(200, [], {}, Request(b"GET", URL.parse("http://a/")), meta, 1.0, 2.0)
    copy = head._replace(status=304)
    assert copy.status == 304 and copy.headers is head.headers
    assert copy.views is not head.views and head.with_metadata(meta).views is not head.views
    assert head == EntryHead(*head[:7]) and head != copy and head != tuple(head)
    assert "views" not in repr(head)
