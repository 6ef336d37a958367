"""hishel 0.1's ``hishel._utils`` import path, kept for users and 0.1-era code.

The 0.1 docs tell users to import ``generate_key`` from here for custom keys; 0.1-era tests and
extensions import the small helpers below. Each keeps its 0.1 signature and return type, over
hishel's own key, URL and HTTP-date code. Dates are read as RFC 9110 §5.6.7 defines them
(IMF-fixdate, RFC 850, asctime; GMT only), where 0.1 accepted whatever ``email.utils`` did.
"""

from __future__ import annotations

import hashlib
import time
import typing as t

import anyio
import httpcore

from ._core import _keys
from ._core._keys import normalized_url
from ._hosts._compat import get_safe_url
from ._policy._dates import parse_http_date

__all__ = [
    "HEADERS_ENCODING",
    "BaseClock",
    "Clock",
    "asleep",
    "extract_header_values",
    "extract_header_values_decoded",
    "float_seconds_to_int_milliseconds",
    "generate_key",
    "get_safe_url",
    "header_presents",
    "normalized_url",
    "parse_date",
    "sleep",
]

HEADERS_ENCODING = "iso-8859-1"

RawHeaders = t.Sequence[tuple[bytes, bytes]]


class BaseClock:
    """0.1's clock base class: subclass it and define ``now()`` (epoch seconds)."""

    def now(self) -> int:
        raise NotImplementedError()


class Clock(BaseClock):
    """The system clock, in whole epoch seconds (0.1's default clock)."""

    def now(self) -> int:
        return int(time.time())


def generate_key(request: httpcore.Request, body: bytes = b"") -> str:
    """The default cache key (``hishel._core._keys.generate_key``: method, URL and body hashed with
    blake2b); where blake2b is unavailable (FIPS builds), sha256 of the same bytes. As in 0.1,
    blake2b is looked up at each call."""
    try:
        hashlib.blake2b(digest_size=16, usedforsecurity=False)
    except (ValueError, TypeError, AttributeError):  # FIPS mode disables blake2b
        data = request.method + normalized_url(request.url).encode("latin-1") + body
        return hashlib.sha256(data, usedforsecurity=False).hexdigest()
    return _keys.generate_key(request, body)


def extract_header_values(
    headers: RawHeaders, header_key: bytes | str, single: bool = False
) -> list[bytes]:
    """The values of every ``header_key`` field (case-insensitive), in order; only the first
    one when ``single``."""
    if isinstance(header_key, str):
        header_key = header_key.encode(HEADERS_ENCODING)
    wanted = header_key.lower()
    values = [value for name, value in headers if name.lower() == wanted]
    return values[:1] if single else values


def extract_header_values_decoded(
    headers: RawHeaders, header_key: bytes | str, single: bool = False
) -> list[str]:
    """``extract_header_values`` decoded as ISO-8859-1 (RFC 9110 §5.5)."""
    values = extract_header_values(headers, header_key, single=single)
    return [value.decode(HEADERS_ENCODING) for value in values]


def header_presents(headers: RawHeaders, header_key: bytes | str) -> bool:
    """Whether ``headers`` holds a ``header_key`` field (case-insensitive)."""
    return bool(extract_header_values(headers, header_key, single=True))


def parse_date(date: str) -> int | None:
    """Epoch seconds of an HTTP-date (RFC 9110 §5.6.7); ``None`` when it is not one (0.1)."""
    return parse_http_date(date)


def float_seconds_to_int_milliseconds(seconds: float) -> int:
    """``seconds`` as whole milliseconds (truncated)."""
    return int(seconds * 1000)


def sleep(seconds: float) -> None:
    """Block for ``seconds``."""
    time.sleep(seconds)


async def asleep(seconds: float) -> None:
    """Sleep for ``seconds`` under any anyio backend (asyncio, trio)."""
    await anyio.sleep(seconds)
