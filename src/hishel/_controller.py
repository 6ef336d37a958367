"""The public Controller: options, clock and key generator in front of the pure policy.

It turns httpcore models into policy heads (each distinct message parsed once), and answers
the three 0.1 methods (``is_cachable``, ``construct_response_from_cache``,
``handle_validation_response``) in their 0.1 shapes, so code that calls them keeps working.
The flow asks the policy directly; of the three, a subclass's ``is_cachable`` override is
honoured by the flow (it has the last word on storing).
"""

from __future__ import annotations

import dataclasses
import typing as t
from datetime import timedelta

import httpcore

from . import _policy as policy
from ._adapters import request_head, response_head, stored_head
from ._clock import Clock, check_clock
from ._compat import (
    allowed_stale,
    get_age,
    get_freshness_lifetime,
    get_heuristic_freshness,
    get_updated_headers,
    make_request_conditional,
    vary_matches,
)
from ._config import FlowConfig
from ._describe import controller_repr
from ._keys import KeyGenerator, generate_key
from ._models import raw_headers
from ._policy._tables import HEURISTICALLY_CACHEABLE_STATUS_CODES
from ._privacy import Privacy
from ._ttl_rules import DoNotCache, check_lifetime, compile_rules

__all__ = [
    "HEURISTICALLY_CACHEABLE_STATUS_CODES",
    "Clock",
    "Controller",
    "request_head",
    "response_head",
    "stored_head",
    # hishel 0.1's helpers, importable from here as in 0.1 (see ``_compat``)
    "allowed_stale",
    "get_age",
    "get_freshness_lifetime",
    "get_heuristic_freshness",
    "get_updated_headers",
]

KNOWN_METHODS = frozenset(
    {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY"}
)


class UnknownMethodError(ValueError, RuntimeError):
    """An unknown method in ``cacheable_methods``: a ``ValueError`` (a bad argument) that is
    also the ``RuntimeError`` hishel 0.1 raised, so 0.1 code catching either keeps working."""


def _check_methods(methods: t.Iterable[str] | None) -> frozenset[str]:
    if methods is None:
        return frozenset({"GET"})
    if isinstance(methods, str | bytes):
        raise TypeError("cacheable_methods must be a list of method names, e.g. ['GET', 'POST']")
    upper = frozenset(str(m).upper() for m in methods)
    unknown = sorted(upper - KNOWN_METHODS)
    if unknown:
        raise UnknownMethodError(
            f"cacheable_methods has unknown HTTP method(s) {unknown}; "
            f"use some of {sorted(KNOWN_METHODS)}"
        )
    return upper


def _check_statuses(codes: t.Iterable[int] | None) -> frozenset[int] | None:
    if codes is None:
        return None
    checked = frozenset(codes)
    bad = [
        c for c in checked if isinstance(c, bool) or not isinstance(c, int) or not 100 <= c <= 599
    ]
    if bad:
        raise ValueError(f"cacheable_status_codes must be integers from 100 to 599, got {bad}")
    return checked


class Controller:
    """Decides what is stored and what is reused, following RFC 9111.

    Args:
        cacheable_methods: methods whose responses may be stored (default ``["GET"]``), any
            iterable of names, upper-cased; an unknown one raises ``ValueError`` (which is
            also a ``RuntimeError``, as in 0.1). ``QUERY`` is keyed by its body, like POST.
        cacheable_status_codes: statuses that may be stored; ``None`` (default) means every
            final status code RFC 9110 defines, each still needing explicit freshness (or
            heuristic freshness when ``allow_heuristics``).
        cache_private: ``True`` (default) for a private cache; ``False`` for a shared cache.
        allow_heuristics: allow heuristic freshness (RFC 9111 §4.2.2).
        clock: an object with ``now() -> float`` (epoch seconds) used for all time reads.
        allow_stale: serve a stored response when the origin cannot be reached.
        always_revalidate: revalidate with the origin before every reuse.
        force_cache: store and reuse regardless of caching headers.
        key_generator: ``(request, body) -> str`` computing the cache key.
        stale_while_revalidate: honour RFC 5861 ``stale-while-revalidate``.
        stale_if_error: honour RFC 5861 ``stale-if-error``.
        coalesce_requests: let concurrent misses for one key make a single origin request;
            the others wait for it and are answered from what it stored.
        targeted_cache_control: RFC 9213 targeted field names in priority order, e.g.
            ``("CDN-Cache-Control",)``; only a shared cache (``cache_private=False``) uses them.
        default_ttl: seconds or a ``timedelta``: the freshness lifetime of a storable response
            without explicit freshness (a heuristic you choose, RFC 9111 §4.2.2); explicit
            origin freshness wins, except under ``force_cache``, where it is the lifetime.
        ttl_rules: URL glob patterns (matched against ``scheme://host[:port]/path``, ``*``
            spans any characters, first match wins) to seconds, ``timedelta`` or
            ``hishel.DO_NOT_CACHE`` (never stored); the same role as ``default_ttl``, per URL.
        cache_status_header: also add an RFC 9211 ``Cache-Status`` field (cache name
            ``hishel``) to responses; the same value is always in
            ``response.extensions["cache_status"]``.
        sensitive_headers: request field names kept at rest only as keyed digests (always:
            Authorization, Proxy-Authorization, Cookie); ``Set-Cookie`` is never stored.
        ignored_parameters: query parameter names left out of the cache key and of the URL
            kept at rest (still sent to the origin).
    """

    def __init__(
        self,
        cacheable_methods: t.Iterable[str] | None = None,
        cacheable_status_codes: t.Iterable[int] | None = None,
        cache_private: bool = True,
        allow_heuristics: bool = False,
        clock: Clock | None = None,
        allow_stale: bool = False,
        always_revalidate: bool = False,
        force_cache: bool = False,
        key_generator: KeyGenerator | None = None,
        *,
        stale_while_revalidate: bool = False,
        stale_if_error: bool = False,
        coalesce_requests: bool = False,
        targeted_cache_control: t.Iterable[str] = (),
        cache_status_header: bool = False,
        default_ttl: int | float | timedelta | None = None,
        ttl_rules: t.Mapping[str, int | float | timedelta | DoNotCache] | None = None,
        sensitive_headers: t.Iterable[str] = (),
        ignored_parameters: t.Iterable[str] = (),
    ) -> None:
        if key_generator is not None and not callable(key_generator):
            raise TypeError("key_generator must be a callable (request, body) -> str")
        self._cacheable_methods = _check_methods(cacheable_methods)
        self._cacheable_status_codes = _check_statuses(cacheable_status_codes)
        self._cache_private = bool(cache_private)
        self._allow_heuristics = bool(allow_heuristics)
        self._clock: Clock = check_clock(clock)
        self._allow_stale = bool(allow_stale)
        self._always_revalidate = bool(always_revalidate)
        self._force_cache = bool(force_cache)
        self._key_generator: KeyGenerator = key_generator or generate_key
        self._coalesce_requests = bool(coalesce_requests)
        privacy = Privacy.of(sensitive_headers, ignored_parameters)
        options = policy.PolicyOptions(
            shared=not self._cache_private,
            cacheable_methods=self._cacheable_methods,
            cacheable_status_codes=self._cacheable_status_codes,
            allow_heuristics=self._allow_heuristics,
            allow_stale=self._allow_stale,
            always_revalidate=self._always_revalidate,
            force_cache=False,
            stale_while_revalidate=bool(stale_while_revalidate),
            stale_if_error=bool(stale_if_error),
            targeted_cache_control=policy.target_list(targeted_cache_control),
            default_lifetime=None
            if default_ttl is None
            else check_lifetime("default_ttl", default_ttl),
        )
        self._options = {False: options, True: _replace_force(options)}
        rules = compile_rules(ttl_rules)
        rule_options = tuple(
            (chosen, _replace_force(chosen))
            for chosen in (
                dataclasses.replace(
                    options,
                    default_lifetime=rule.lifetime,
                    lifetime_source=f"ttl_rules[{rule.pattern!r}]",
                    do_not_cache=rule.lifetime is None,
                )
                for rule in rules
            )
        )
        custom = type(self).is_cachable is not Controller.is_cachable
        self._flow_config = FlowConfig(
            options=options,
            forced=self._options[True],
            force_cache=self._force_cache,
            key_generator=_keyed_without(privacy, self._key_generator),
            clock=self._clock,
            coalesce=self._coalesce_requests,
            is_cachable=self.is_cachable if custom else None,
            cache_status_header=bool(cache_status_header),
            rules=rules,
            rule_options=rule_options,
            privacy=privacy,
        )

    # -- what the flow asks -------------------------------------------------------------

    def _options_for(self, request: httpcore.Request) -> policy.PolicyOptions:
        forced = request.extensions.get("force_cache", self._force_cache)
        return self._options[bool(forced)]

    def _now(self) -> float:
        return float(self._clock.now())

    # -- the 0.1 public methods ---------------------------------------------------------

    def is_cachable(self, request: httpcore.Request, response: httpcore.Response) -> bool:
        """Whether ``response`` to ``request`` may be stored (RFC 9111 §3)."""
        decision = policy.storable(
            request_head(request), response_head(response), self._options_for(request)
        )
        return isinstance(decision, policy.Store)

    def construct_response_from_cache(
        self,
        request: httpcore.Request,
        response: httpcore.Response,
        original_request: httpcore.Request,
    ) -> httpcore.Response | httpcore.Request | None:
        """Use a stored response for ``request`` (RFC 9111 §4).

        Returns the response to serve, a conditional request to send to the origin first,
        or ``None`` when the stored response cannot be used.
        """
        now = self._now()
        stored = stored_head(response, original_request, default=now)
        decision = policy.reuse(request_head(request), stored, self._options_for(request), now)
        match decision:
            case policy.UseStored():
                return httpcore.Response(
                    decision.status,
                    headers=raw_headers(decision.headers),
                    content=response.stream,
                    extensions=response.extensions,
                )
            case policy.Revalidate():
                return httpcore.Request(
                    request.method,
                    request.url,
                    headers=raw_headers(decision.headers),
                    content=request.stream,
                    extensions=request.extensions,
                )
            case _:
                return None

    def _make_request_conditional(
        self, request: httpcore.Request, response: httpcore.Response
    ) -> None:
        """Add the stored ``response``'s validators to ``request`` in place (0.1 helper)."""
        make_request_conditional(request, response)

    def _validate_vary(
        self,
        request: httpcore.Request,
        response: httpcore.Response,
        original_request: httpcore.Request,
    ) -> bool:
        """Whether ``request`` matches the stored response's Vary (0.1 helper, §4.1)."""
        return vary_matches(request, response, original_request)

    def handle_validation_response(
        self, old_response: httpcore.Response, new_response: httpcore.Response
    ) -> httpcore.Response:
        """Merge a 304 into the stored response (RFC 9111 §4.3.4), or return the new one."""
        if new_response.status != 304:
            return new_response
        stored = policy.StoredHead(
            policy.RequestHead("GET", "", ()), response_head(old_response), 0.0, 0.0
        )
        decision = policy.freshen(stored, response_head(new_response), self._options[False])
        if not isinstance(decision, policy.Freshen):
            return new_response
        return httpcore.Response(
            old_response.status,
            headers=raw_headers(decision.headers),
            content=old_response.stream,
            extensions=old_response.extensions,
        )

    def __repr__(self) -> str:
        return controller_repr(self)


def _keyed_without(privacy: Privacy, generate: KeyGenerator) -> KeyGenerator:
    """``generate`` over the request less its ignored query parameters."""
    if not privacy.ignored:
        return generate

    def key(request: httpcore.Request, body: bytes) -> str:
        return generate(privacy.strip_request(request), body)

    return key


def _replace_force(options: policy.PolicyOptions) -> policy.PolicyOptions:
    return dataclasses.replace(options, force_cache=True)
