"""What an unsafe request invalidates (RFC 9111 §4.4).

A non-error response (2xx or 3xx) to an unsafe method (anything but GET, HEAD, OPTIONS and
TRACE, unknown methods included) invalidates the target URI, and also the URIs in Location
and Content-Location, resolved against the target, when they share its origin (scheme,
host and port); a different origin is never invalidated, so a response cannot be used to
evict another site's entries. Fragments are not part of a target URI and are dropped.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from ._messages import RequestHead, ResponseHead
from ._tables import SAFE_METHODS

__all__ = ["invalidated_urls"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> tuple[str, str, int | None] | None:
    """Scheme, host and port (default ports filled in) of ``url``; None when invalid."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or ""), port if port is not None else _DEFAULT_PORTS.get(scheme)


def invalidated_urls(request: RequestHead, response: ResponseHead) -> tuple[str, ...]:
    """The URLs whose stored responses ``response`` to ``request`` invalidates (§4.4)."""
    if request.method in SAFE_METHODS or not 200 <= response.status < 400:
        return ()  # RFC 9111 §4.4: unsafe methods, non-error responses only
    target = request.url
    urls = [target]  # RFC 9111 §4.4: the target URI
    origin = origin_of(target)
    for name, value in response.headers:
        if name not in ("location", "content-location") or not value.strip():
            continue
        try:
            url = urljoin(target, value.strip()).partition("#")[0]
        except ValueError:
            continue
        if url not in urls and origin is not None and origin_of(url) == origin:
            urls.append(url)  # RFC 9111 §4.4: same origin only
    return tuple(urls)
