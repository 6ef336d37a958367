"""May this stored response answer this request, and must it be revalidated first? (§4)

The gates come in order. Selection (§4, §3.5, §4.1): the stored method must answer the
presented one (a stored GET answers HEAD), unsafe methods outside the cacheable list write
through, a shared cache keeps §3.5, the Vary fields must match (and a stored Content-Language
must be the request's best choice, ``_vary``), a stored ``no-store`` is never reused. A shared
cache with a target list reads the stored response through its targeted field (``_targeted``,
RFC 9213). Then who asks for validation: the request (``no-cache``, ``Pragma: no-cache``), the
options (``always_revalidate``), the response (``no-cache``). Then freshness (§4.2): the
request may tighten it (``max-age``, ``min-fresh``) or relax it (``max-stale``, §4.2.4), unless
the response forbids serving stale (``must-revalidate``, and in a shared cache
``proxy-revalidate`` / ``s-maxage``; ``no-cache``). A stored response that cannot be used as is
becomes a conditional request, with a stale fallback when the origin cannot be reached if
``allow_stale`` or an RFC 5861 window permits it; a response without validators is
revalidated with its Date (``_validation``); without a Date either and without a fallback
there is nothing to revalidate with, and the request is forwarded. ``only-if-cached`` turns
every trip to the origin into a 504 (§5.2.1.7). ``force_cache`` treats the response as fresh
forever and ignores its directives; the request's own directives still apply.
"""

from __future__ import annotations

import math
import typing as t

from ._decisions import Forward, GatewayTimeout, ReuseDecision, Revalidate, UseStored
from ._freshness import current_age, freshness_lifetime, whole_seconds
from ._messages import CacheDirectives, RequestHead, StoredHead
from ._options import PolicyOptions
from ._served import served_fields
from ._stale import within_stale_if_error, within_stale_while_revalidate
from ._storable import no_store_applies, shared_auth_allowed
from ._tables import MAX_DELTA, METHOD_ANSWERS, SAFE_METHODS, SENT_WITH_304
from ._targeted import for_this_cache
from ._validation import can_revalidate, client_condition_met, conditional_headers
from ._vary import language_preferred, vary_fingerprint

__all__ = ["keyed_method", "reuse"]


def _unavailable(cc: CacheDirectives, reason: str) -> Forward | GatewayTimeout:
    if cc.only_if_cached:
        return GatewayTimeout(f"only-if-cached: {reason}")  # RFC 9111 §5.2.1.7
    return Forward(reason)


def _use(
    request: RequestHead,
    stored: StoredHead,
    age: int,
    lifetime: float | None,
    stale: bool,
    reason: str,
) -> UseStored:
    """Serve ``stored``; ``lifetime`` None or infinite: no ttl to say (RFC 9211 §2.4)."""
    status = stored.response.status
    fields = served_fields(stored)  # RFC 9110 §6.6.1: Date present; Age is the decision's
    as_stored = True
    if client_condition_met(request, stored):
        status = 304  # RFC 9111 §4.3.2
        fields = tuple(item for item in fields if item[0] in SENT_WITH_304)  # RFC 9110 §15.4.5
        as_stored = False
    served_age = min(int(age), MAX_DELTA)  # RFC 9111 §5.1, §1.3: integer seconds, saturated
    ttl = None if lifetime is None or math.isinf(lifetime) else int(lifetime - served_age)
    return UseStored(reason, status, fields, served_age, stale, ttl, as_stored)


def _revalidate(
    request: RequestHead,
    stored: StoredHead,
    options: PolicyOptions,
    age: int,
    lifetime: float,
    forbidden: bool,
    reason: str,
    *,
    background_allowed: bool = False,
) -> Revalidate | Forward | GatewayTimeout:
    cc = request.cache_control
    if cc.only_if_cached:
        return GatewayTimeout(f"only-if-cached: {reason}")  # RFC 9111 §5.2.1.7
    fallback = None
    on_5xx = background = False
    if not forbidden:  # RFC 9111 §4.2.4
        rcc = stored.response.cache_control
        staleness = max(0.0, age - lifetime)
        on_5xx = within_stale_if_error(cc, rcc, staleness, options)  # RFC 5861 §4
        background = background_allowed and within_stale_while_revalidate(
            rcc, staleness, options
        )  # RFC 5861 §3
        if options.allow_stale or on_5xx or background:
            stale = age >= lifetime
            fallback = _use(request, stored, age, lifetime, stale, f"{reason}; serving stale")
    if fallback is None and not can_revalidate(stored.response):  # RFC 9110 §13.1.3
        return Forward(f"{reason}; no validator or Date to revalidate with")
    return Revalidate(reason, conditional_headers(request, stored), fallback, on_5xx, background)


@t.overload
def reuse(
    request: RequestHead,
    stored: StoredHead | None,
    options: PolicyOptions,
    now: float,
    *,
    validating: t.Literal[False] = False,
) -> ReuseDecision: ...
@t.overload
def reuse(
    request: RequestHead,
    stored: StoredHead | None,
    options: PolicyOptions,
    now: float,
    *,
    validating: bool,
) -> ReuseDecision | None: ...
def reuse(
    request: RequestHead,
    stored: StoredHead | None,
    options: PolicyOptions,
    now: float,
    *,
    validating: bool = False,
) -> ReuseDecision | None:
    """Decide how to answer ``request`` given what is stored for its key (RFC 9111 §4).

    ``validating`` (``validated_reuse``, where only a ``UseStored`` answer matters): None
    where it would revalidate (``Revalidate``, or the ``Forward`` / ``GatewayTimeout`` that
    stand for one), without building the conditional request.
    """
    cc = request.cache_control
    if stored is None:
        return _unavailable(cc, "nothing stored")
    response = for_this_cache(stored.response, options)  # RFC 9213 §2.2
    if response is not stored.response:
        stored = StoredHead(
            stored.request,
            response,
            stored.request_time,
            stored.response_time,
            stored.initial_age,
            stored.vary_key,
            stored.served,
        )
    rcc = response.cache_control
    force = options.force_cache
    method, stored_method = request.method, stored.request.method
    if method != stored_method and method not in METHOD_ANSWERS.get(stored_method, ()):
        return _unavailable(cc, f"stored {stored_method} cannot answer {method}")  # RFC 9111 §4
    if method not in SAFE_METHODS and method not in options.cacheable_methods:
        return _unavailable(cc, f"unsafe method {method} writes through")  # RFC 9111 §4
    if options.shared and not shared_auth_allowed(stored.request, response):
        return _unavailable(cc, "stored for an Authorization request")  # RFC 9111 §3.5
    names = response.vary
    if names is None or stored.vary_key is None:
        return _unavailable(cc, "Vary: * never matches")  # RFC 9111 §4.1
    if names and vary_fingerprint(request, names) != stored.vary_key:
        return _unavailable(cc, "Vary fields do not match")  # RFC 9111 §4.1
    if "accept-language" in names and not language_preferred(request, response):
        return _unavailable(cc, "Content-Language is not the preferred one")  # RFC 9111 §4.1
    if not force and no_store_applies(response):
        return _unavailable(cc, "stored response has no-store")  # RFC 9111 §5.2.2.5

    age = current_age(stored, now)
    known: float | None = math.inf  # force_cache: fresh for ever, or for the chosen lifetime
    if force and options.default_lifetime is not None:
        known = whole_seconds(options.default_lifetime)  # whole seconds, as every lifetime
    elif not force:
        known = freshness_lifetime(
            response,
            stored.response_time,
            shared=options.shared,
            heuristics=options.allow_heuristics,
            default=options.default_lifetime,
        )
    lifetime = known or 0
    if cc.no_cache or request.pragma_no_cache:  # RFC 9111 §5.2.1.4, §5.4
        reason = "request no-cache"
    elif not force and options.always_revalidate:
        reason = "always_revalidate"
    elif not force and rcc.no_cache:  # RFC 9111 §5.2.2.4 (qualified form treated alike)
        reason = "response no-cache"
    elif cc.max_age is not None and age > cc.max_age:  # RFC 9111 §5.2.1.1
        reason = "request max-age"
    elif cc.min_fresh is not None and lifetime - age < cc.min_fresh:  # RFC 9111 §5.2.1.3
        reason = "request min-fresh"
    elif lifetime > age:  # RFC 9111 §4.2
        return _use(request, stored, age, known, False, "force_cache" if force else "fresh")
    else:
        reason = "stale"
    forbidden = not force and (  # serving it stale is not allowed (RFC 9111 §4.2.4)
        rcc.no_cache  # RFC 9111 §5.2.2.4
        or rcc.must_revalidate  # RFC 9111 §5.2.2.2
        or (options.shared and (rcc.proxy_revalidate or rcc.s_maxage is not None))  # §5.2.2.8/10
    )
    max_stale = cc.max_stale
    if (
        reason == "stale"
        and not forbidden
        and max_stale is not None
        and age - lifetime <= max_stale
    ):
        return _use(
            request, stored, age, known, True, "stale, within request max-stale"
        )  # §5.2.1.2
    if validating:
        return None
    return _revalidate(
        request,
        stored,
        options,
        age,
        lifetime,
        forbidden,
        reason,
        background_allowed=reason == "stale",
    )


def keyed_method(method: str, options: PolicyOptions) -> str | None:
    """The stored method whose response may answer a request with ``method`` (RFC 9111 §4).

    ``method`` itself when it is cacheable; ``"GET"`` for ``HEAD`` when only GET is (a stored
    GET answers HEAD, §4, and is freshened by it, §4.3.5); ``None``: not answered from cache.
    """
    if method in options.cacheable_methods:
        return method
    for stored_method in sorted(options.cacheable_methods):
        if method in METHOD_ANSWERS.get(stored_method, ()):
            return stored_method  # RFC 9111 §4, §4.3.5
    return None
