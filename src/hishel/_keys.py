"""Cache keys: the 0.1 key (so existing caches still match) and URL normalisation."""

from __future__ import annotations

import hashlib
import typing as t

import httpcore

__all__ = ["generate_key", "normalized_url"]

try:
    hashlib.blake2b(digest_size=16)
    _HAS_BLAKE2B = True
except (ValueError, AttributeError):  # pragma: no cover - FIPS builds
    _HAS_BLAKE2B = False


def normalized_url(url: httpcore.URL | str | bytes) -> str:
    """The absolute URL as a string, the port written only when the URL names one (0.1)."""
    if isinstance(url, str):
        return url
    if isinstance(url, bytes):
        return url.decode("latin-1")
    authority = url.host if url.port is None else url.host + b":%d" % url.port
    return (url.scheme + b"://" + authority + url.target).decode("latin-1")


def generate_key(request: httpcore.Request, body: bytes = b"") -> str:
    """The default cache key: a hex digest of method, normalised URL and body (0.1 layout)."""
    encoded = request.method + normalized_url(request.url).encode("latin-1") + body
    if _HAS_BLAKE2B:
        return hashlib.blake2b(encoded, digest_size=16, usedforsecurity=False).hexdigest()
    return hashlib.sha256(encoded, usedforsecurity=False).hexdigest()  # pragma: no cover


KeyGenerator = t.Callable[[httpcore.Request, bytes], str]
