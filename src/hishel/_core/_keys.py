"""Cache keys: the 0.1 key (so existing caches still match) and URL normalisation."""

from __future__ import annotations

import hashlib
import re
import typing as t

from ._messages import Request, RequestParts, URLParts

__all__ = ["generate_key", "keyed_url", "normalized_url"]

try:
    hashlib.blake2b(digest_size=16)
    _HAS_BLAKE2B = True
except (ValueError, AttributeError):  # pragma: no cover - FIPS builds
    _HAS_BLAKE2B = False


_DEFAULT_PORTS = {b"http": 80, b"https": 443}
_ESCAPE = re.compile(rb"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def normalized_url(url: URLParts | str | bytes) -> str:
    """The absolute URL as a string, as 0.1 wrote it for requests made through httpx.

    Scheme-based normalisation (RFC 9110 §4.2.3), so a request keys alike through every
    host: scheme and host lower-cased, the default port omitted, an empty target written
    ``/``, a percent-encoded unreserved character written as itself and any other escape in
    upper case (requests sends ``/a%7e`` as ``/a~``, httpx and httpcore as written). Strings
    and bytes are taken as written.
    """
    if isinstance(url, str):
        return url
    if isinstance(url, bytes):
        return url.decode("latin-1")
    return _normalized(url).decode("latin-1")


def _normalized(url: URLParts) -> bytes:
    scheme, host = url.scheme.lower(), url.host.lower()  # RFC 9110 §4.2.3
    port = url.port
    if port == _DEFAULT_PORTS.get(scheme):  # RFC 9110 §4.2.3
        port = None
    authority = host if port is None else host + b":%d" % port
    target = url.target or b"/"  # RFC 9110 §4.2.3
    if b"%" in target:  # RFC 9110 §4.2.3, RFC 3986 §6.2.2.1-2
        target = _ESCAPE.sub(_unescaped, target)
    return scheme + b"://" + authority + target


def _unescaped(escape: re.Match[bytes]) -> bytes:
    """An unreserved character for its escape; any other escape, its hex digits upper-cased."""
    byte = int(escape.group(1), 16)
    return bytes((byte,)) if byte in _UNRESERVED else b"%" + escape.group(1).upper()


def generate_key(request: RequestParts, body: bytes = b"") -> str:
    """The default cache key: a hex digest of method, normalised URL and body (0.1 layout)."""
    return _digest(request.method + _normalized(request.url) + body)


def keyed_url(request: RequestParts) -> tuple[str, str]:
    """``normalized_url`` of a request and its ``generate_key`` without a body, the URL
    normalised once for both."""
    url = _normalized(request.url)
    return url.decode("latin-1"), _digest(request.method + url)


def _digest(encoded: bytes) -> str:
    if _HAS_BLAKE2B:
        return hashlib.blake2b(encoded, digest_size=16, usedforsecurity=False).hexdigest()
    return hashlib.sha256(encoded, usedforsecurity=False).hexdigest()  # pragma: no cover


FlowKey = t.Callable[[Request, bytes], str]
"""The key the flow computes, over the core's request."""
