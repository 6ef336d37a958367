"""A POST response that also answers GET (RFC 9110 §9.3.3, RFC 9111 §4).

"Responses to POST requests are only cacheable when they include explicit freshness
information (see [CACHING]) and a Content-Location header field that has the same value as
the POST's target URI. A cached POST response can be reused to satisfy a later GET or HEAD
request" (RFC 9110 §9.3.3). Explicit freshness is ``max-age``, ``s-maxage`` in a shared cache
or ``Expires`` (RFC 9111 §4.2.1), never a heuristic; Content-Location is resolved against
the target URI (RFC 9110 §8.7) and compared after scheme and host case and default ports
are normalised. Both POST and GET must be cacheable methods, and the response must be
storable as if it answered a GET: ``stored_for_get`` answers that ``storable`` decision, and
the flow stores it as the GET response of the request's URL.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from ._decisions import DontStore, Store
from ._freshness import freshness_lifetime
from ._invalidation import origin_of
from ._messages import RequestHead, ResponseHead
from ._options import PolicyOptions
from ._storable import storable
from ._targeted import for_this_cache

__all__ = ["stored_for_get"]


def _uri(url: str) -> tuple[str, str, int | None, str, str] | None:
    origin = origin_of(url)
    if origin is None:
        return None
    parts = urlsplit(url)
    return *origin, parts.path or "/", parts.query


def stored_for_get(
    request: RequestHead, response: ResponseHead, options: PolicyOptions
) -> Store | DontStore:
    """Whether the response to a POST is also stored as the response to GET of its URL."""
    if request.method != "POST" or "POST" not in options.cacheable_methods:
        return DontStore("not a cacheable POST")  # RFC 9110 §9.3.3
    locations = [value.strip() for name, value in response.headers if name == "content-location"]
    if len(locations) != 1 or not locations[0]:
        return DontStore("no single Content-Location")  # RFC 9110 §9.3.3
    try:
        location = urljoin(request.url, locations[0]).partition("#")[0]  # RFC 9110 §8.7
    except ValueError:
        return DontStore("invalid Content-Location")
    target = _uri(request.url)
    if target is None or _uri(location) != target:
        return DontStore("Content-Location is not the target URI")  # RFC 9110 §9.3.3
    seen = for_this_cache(response, options)
    if freshness_lifetime(seen, 0.0, shared=options.shared) is None:
        return DontStore("no explicit freshness")  # RFC 9110 §9.3.3, RFC 9111 §4.2.1
    as_get = RequestHead(
        "GET",
        request.url,
        request.headers,
        request.cache_control,
        request.pragma_no_cache,
        request.authorization,
    )
    return storable(as_get, response, options)  # RFC 9111 §3, as a response to GET
