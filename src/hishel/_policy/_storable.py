"""May this response be stored? (RFC 9111 §3, §3.1, §3.5)

A response is stored only if every gate passes: the method and status are on the caller's
lists (by default every final status, known or not, except 206 and 304), nothing forbids
it (request or response ``no-store``, ``private`` or an unqualified ``Authorization`` in a
shared cache, ``must-understand`` with a status we do not know, ``Vary: *``), and something
makes it reusable (explicit freshness, ``public``, ``private`` in a private cache, ``no-cache``
with a validator, or a heuristic lifetime). ``force_cache`` skips the response-header gates,
but not the method and status lists, not the request's own ``no-store``, not the shared-cache
``Authorization`` rule and not ``Vary: *`` (such a response could never be selected).
What is kept drops the hop-by-hop fields, the fields ``Connection`` names and, in a shared
cache, the fields a qualified ``private`` names (§3.1).
Quoted: "the response status code is final" and "if the response status code is 206 or 304,
or the "must-understand" cache directive is present: the cache understands the response
status code" (§3); an unknown status is stored on its headers alone: "the response contains
at least one of: a public response directive; ... an Expires header field; a max-age response
directive; if the cache is shared: an s-maxage response directive" (§3).
"""

from __future__ import annotations

from ._decisions import DontStore, Store
from ._freshness import permanent_redirect
from ._messages import Headers, RequestHead, ResponseHead
from ._options import PolicyOptions
from ._tables import (
    HEURISTICALLY_CACHEABLE,
    HIGHEST_STATUS,
    HOP_BY_HOP,
    UNDERSTOOD_STATUS_CODES,
)
from ._targeted import for_this_cache
from ._validation import has_validator

__all__ = ["kept_headers", "no_store_applies", "shared_auth_allowed", "storable"]


def no_store_applies(response: ResponseHead) -> bool:
    """Response ``no-store`` (§5.2.2.5), unless ``must-understand`` overrides it (§5.2.2.3)."""
    cc = response.cache_control
    if not cc.no_store:
        return False
    return not (cc.must_understand and response.status in UNDERSTOOD_STATUS_CODES)


def shared_auth_allowed(request: RequestHead, response: ResponseHead) -> bool:
    """RFC 9111 §3.5: a request with Authorization, in a shared cache, needs an explicit
    permission (public, s-maxage or must-revalidate) in the response."""
    cc = response.cache_control
    return not request.authorization or cc.public or cc.s_maxage is not None or cc.must_revalidate


def kept_headers(response: ResponseHead, options: PolicyOptions) -> Headers:
    """The header fields to store (RFC 9111 §3.1)."""
    drop = HOP_BY_HOP  # RFC 9111 §3.1
    if response.connection:
        drop = drop | response.connection  # RFC 9110 §7.6.1
    if options.shared and response.cache_control.private_fields:
        drop = drop | set(response.cache_control.private_fields)  # RFC 9111 §5.2.2.7
    headers = response.headers
    for name, _ in headers:
        if name in drop:
            return tuple([item for item in headers if item[0] not in drop])
    return headers  # (the usual: every field kept, the same tuple)


def _reusable_because(response: ResponseHead, options: PolicyOptions) -> str | None:
    """What makes the response reusable once stored (RFC 9111 §3, last gate), or None."""
    cc = response.cache_control
    if cc.max_age is not None:
        return "max-age"  # RFC 9111 §3
    if options.shared and cc.s_maxage is not None:
        return "s-maxage"  # RFC 9111 §3
    if response.expires is not None:
        return "Expires"  # RFC 9111 §3
    if cc.public:
        return "public"  # RFC 9111 §3
    if cc.private and not options.shared:
        return "private, in a private cache"  # RFC 9111 §3
    if cc.no_cache and has_validator(response):
        return "no-cache with a validator"  # RFC 9111 §5.2.2.4: always revalidated
    if options.default_lifetime is not None and not cc.no_cache:
        return f"no explicit freshness: {options.lifetime_source}"  # RFC 9111 §4.2.2
    if permanent_redirect(response):
        return "a permanent redirect without caching fields"  # RFC 9111 §4.2.2 (0.1)
    if (
        options.allow_heuristics
        and response.status in HEURISTICALLY_CACHEABLE
        and response.last_modified is not None
    ):
        return "heuristically cacheable"  # RFC 9111 §3, §4.2.2
    return None


def storable(
    request: RequestHead, response: ResponseHead, options: PolicyOptions
) -> Store | DontStore:
    """Whether ``response`` to ``request`` may be stored, and which header fields to keep."""
    response = for_this_cache(response, options)  # RFC 9213 §2.2
    status = response.status
    cc = response.cache_control
    if request.method not in options.cacheable_methods:
        return DontStore(f"method {request.method} is not cacheable")  # RFC 9111 §3
    if options.do_not_cache:
        return DontStore(f"{options.lifetime_source}: DO_NOT_CACHE")
    if status < 200 or status > HIGHEST_STATUS:
        return DontStore(f"{status} is not a final response")  # RFC 9111 §3, RFC 9110 §15
    if status == 206:
        return DontStore("partial content is not stored")  # RFC 9111 §3.3
    if status == 304:
        return DontStore("a 304 freshens a stored response; it is not stored")  # RFC 9111 §4.3.4
    allowed = options.cacheable_status_codes
    if allowed is not None and status not in allowed:
        return DontStore(f"status {status} is not cacheable")  # RFC 9111 §3: the caller's list
    if request.cache_control.no_store:
        return DontStore("request no-store")  # RFC 9111 §5.2.1.5
    if response.vary is None:
        return DontStore("Vary: * never matches")  # RFC 9111 §4.1
    if options.shared and not shared_auth_allowed(request, response):
        return DontStore("Authorization without public/s-maxage/must-revalidate")  # RFC 9111 §3.5
    if options.force_cache:
        return Store("force_cache", kept_headers(response, options))
    if cc.must_understand and status not in UNDERSTOOD_STATUS_CODES:
        return DontStore(f"must-understand with unknown status {status}")  # RFC 9111 §5.2.2.3
    if no_store_applies(response):
        return DontStore("response no-store")  # RFC 9111 §5.2.2.5
    if options.shared and cc.private and not cc.private_fields:
        return DontStore("private, in a shared cache")  # RFC 9111 §5.2.2.7
    because = _reusable_because(response, options)
    if because is None:
        return DontStore("no explicit freshness, validator-backed no-cache or heuristic")
    return Store(because, kept_headers(response, options))
