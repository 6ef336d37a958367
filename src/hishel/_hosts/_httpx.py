"""What the httpx shells (async and sync) share: httpx's header type for served fields."""

from __future__ import annotations

import typing as t

import httpx

__all__ = ["httpx_headers"]

_HEADERS_LIMIT = 1024  # distinct served header lists remembered (hot entries; bounded memory)
_HTTPX_HEADERS: dict[tuple[tuple[bytes, bytes], ...], httpx.Headers] = {}


def httpx_headers(raw: t.Sequence[tuple[bytes, bytes]]) -> httpx.Headers:
    """``httpx.Headers`` of ``raw``, each distinct header list normalised once (a bounded
    map): a hit serves the same fields again, and ``httpx.Response`` copies what it gets."""
    key = tuple(raw)
    found = _HTTPX_HEADERS.get(key)
    if found is None:
        if len(_HTTPX_HEADERS) >= _HEADERS_LIMIT:
            _HTTPX_HEADERS.clear()
        found = _HTTPX_HEADERS[key] = httpx.Headers(raw)
    return found
