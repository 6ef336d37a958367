"""The public Controller: options, clock and key generator in front of the pure policy.

It turns httpcore models into policy heads (each distinct message parsed once), and answers
the three 0.1 methods (``is_cachable``, ``construct_response_from_cache``,
``handle_validation_response``) in their 0.1 shapes, so code that calls them keeps working:
they ask the policy with the flow's own effective options (``FlowConfig.options_for``), so
they answer as the cache does, and log 0.1's DEBUG lines on ``hishel.controller``. The flow
asks the policy directly; of the three, a subclass's ``is_cachable`` override is honoured by
the flow (it has the last word on storing).
"""

from __future__ import annotations

import dataclasses
import typing as t
from datetime import timedelta

import httpcore

from .. import _policy as policy
from .._core._adapters import (
    request_head,
    request_headers,
    response_head,
    response_only,
    stored_head,
)
from .._core._clock import Clock, check_clock
from .._core._config import FlowConfig, IsCachable
from .._core._describe import controller_repr
from .._core._keys import FlowKey, generate_key
from .._core._logging import log_01, reuse_lines, storing_lines
from .._core._messages import Request, Response
from .._core._privacy import Privacy
from .._core._ttl_rules import DoNotCache, check_lifetime, compile_rules
from .._policy._tables import HEURISTICALLY_CACHEABLE_STATUS_CODES
from ._compat import (
    allowed_stale,
    get_age,
    get_freshness_lifetime,
    get_heuristic_freshness,
    get_safe_url,
    get_updated_headers,
    make_request_conditional,
    updated_in_order,
    vary_matches,
)
from ._httpcore import core_request, httpcore_request, httpcore_response

KeyGenerator = t.Callable[[httpcore.Request, bytes], str]
"""A 0.1 key generator: over an httpcore request."""

__all__ = [
    "HEURISTICALLY_CACHEABLE_STATUS_CODES",
    "Clock",
    "Controller",
    "flow_config",
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

HTTP_METHODS_01 = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]
KNOWN_METHODS = frozenset({*HTTP_METHODS_01, "QUERY"})


class UnknownMethodError(ValueError, RuntimeError):
    """An unknown method in ``cacheable_methods``: a ``ValueError`` (a bad argument) that is
    also the ``RuntimeError`` hishel 0.1 raised, so 0.1 code catching either keeps working."""


def _check_methods(methods: t.Iterable[str] | None) -> frozenset[str]:
    if methods is None:
        return frozenset({"GET"})
    if isinstance(methods, str | bytes):
        raise TypeError("cacheable_methods must be a list of method names, e.g. ['GET', 'POST']")
    checked = set()
    for method in methods:
        upper = str(method).upper()
        if upper not in KNOWN_METHODS:
            raise UnknownMethodError(  # 0.1's text, and the one method 0.1 did not know
                f"Hishel does not support the HTTP method `{method}`.\n"
                f"Please use the methods from this list: {HTTP_METHODS_01}, or QUERY."
            )
        checked.add(upper)
    return frozenset(checked)


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
        self._flow_config = FlowConfig(
            options=options,
            forced=self._options[True],
            force_cache=self._force_cache,
            key_generator=_keyed_without(privacy, self._key_generator),
            clock=self._clock,
            coalesce=self._coalesce_requests,
            is_cachable=_is_cachable_01(self),
            cache_status_header=bool(cache_status_header),
            rules=rules,
            rule_options=rule_options,
            privacy=privacy,
        )

    # -- time -------------------------------------------------------------------------------

    def _now(self) -> float:
        return float(self._clock.now())

    # -- the 0.1 public methods ---------------------------------------------------------
    # They answer from the flow's own policy and effective options (``FlowConfig.options_for``:
    # the force_cache extension, ttl_rules, default_ttl), in 0.1's shapes, and log 0.1's
    # DEBUG lines on ``hishel.controller`` (``_logging``).

    def is_cachable(self, request: httpcore.Request, response: httpcore.Response) -> bool:
        """Whether ``response`` to ``request`` may be stored (RFC 9111 §3), as the cache
        itself decides it."""
        head, resp = request_head(request), response_head(response)
        decision = policy.storable(head, resp, self._flow_config.options_for(core_request(request)))
        log_01(storing_lines(get_safe_url(request.url), head.method, resp, decision))
        return isinstance(decision, policy.Store)

    def construct_response_from_cache(
        self,
        request: httpcore.Request,
        response: httpcore.Response,
        original_request: httpcore.Request,
    ) -> httpcore.Response | httpcore.Request | None:
        """Use a stored ``response`` (stored for ``original_request``) for ``request`` (§4).

        Returns, as 0.1 did: ``response`` itself when it may be served as it is (its Age
        updated, RFC 9111 §4; a new 304 when the client's own conditional matched, §4.3.2);
        ``request`` itself, made conditional with the stored validators (§4.3.1), when the
        origin must be asked first; ``None`` when the stored response cannot answer it.
        """
        now = self._now()
        stored = stored_head(response, original_request, default=now)
        head = request_head(request)
        options = self._flow_config.options_for(core_request(request))
        decision = policy.reuse(head, stored, options, now)
        verdict, lines = reuse_lines(get_safe_url(request.url), decision, head, stored, options)
        log_01(lines)
        if verdict == "none":
            return None
        if verdict == "revalidate":
            self._make_request_conditional(request=request, response=response)
            return request
        assert isinstance(decision, policy.UseStored)
        headers = request_headers(response.headers, decision.headers)
        if decision.status != response.status:  # RFC 9111 §4.3.2: the client's condition
            return httpcore.Response(
                decision.status, headers=headers, extensions=response.extensions
            )
        response.headers = headers
        return response

    def _make_request_conditional(
        self, request: httpcore.Request, response: httpcore.Response
    ) -> None:
        """Add the stored ``response``'s validators to ``request`` in place (0.1 helper).

        0.1's line is logged for each validator 0.1 would have added; the stored Date sent as
        If-Modified-Since when there is no Last-Modified (RFC 9110 §13.1.3) is added without
        one, so a 0.1 program reading these lines sees 0.1's."""
        url = get_safe_url(request.url)
        dated = not any(name.lower() == b"last-modified" for name, _ in response.headers)
        log_01(
            f"Adding the '{name.decode()}' header with the value of '{value.decode('latin-1')}' "
            f"to the request for the resource located at {url}."
            for name, value in make_request_conditional(request, response)
            if not (dated and name == b"If-Modified-Since")
        )

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
        """Merge a 304 into the stored response (RFC 9111 §4.3.4), or return the new one.

        As in 0.1, ``old_response`` itself is returned, its header fields updated in place
        (the 304's values replace the stored ones, in the stored order; fields new to it
        follow), except the framing fields RFC 9111 §3.2 keeps from the stored response.
        """
        if new_response.status != 304:
            return new_response
        stored = response_only(response_head(old_response), 0.0)
        new_head = response_head(new_response, stored.response)  # (its changed fields parsed)
        decision = policy.freshen(stored, new_head, self._flow_config.options)
        if not isinstance(decision, policy.Freshen):
            return new_response  # RFC 9111 §4.3.4: it selects no response we hold
        old_response.headers = updated_in_order(
            decision.headers, old_response.headers, new_response.headers
        )
        return old_response

    def __repr__(self) -> str:
        return controller_repr(self)


def flow_config(controller: Controller) -> FlowConfig:
    """What the flow needs of ``controller``: its checked options, in the core's terms."""
    return controller._flow_config


def _keyed_without(privacy: Privacy, generate: KeyGenerator) -> FlowKey:
    """``generate`` over the request less its ignored query parameters; a 0.1 generator
    given the request as httpcore's."""
    if generate is generate_key:
        if not privacy.ignored:
            return generate_key

        def key(request: Request, body: bytes) -> str:
            return generate_key(privacy.strip_request(request), body)

        return key

    def key_01(request: Request, body: bytes) -> str:
        return generate(httpcore_request(privacy.strip_request(request)), body)

    return key_01


def _is_cachable_01(controller: Controller) -> IsCachable | None:
    """A subclass's 0.1 ``is_cachable`` override, given httpcore's models; None without one."""
    if type(controller).is_cachable is Controller.is_cachable:
        return None

    def is_cachable(request: Request, response: Response) -> bool:
        return controller.is_cachable(httpcore_request(request), httpcore_response(response))

    return is_cachable


def _replace_force(options: policy.PolicyOptions) -> policy.PolicyOptions:
    return dataclasses.replace(options, force_cache=True)
