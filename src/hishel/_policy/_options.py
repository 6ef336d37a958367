"""The options a Controller hands to the policy, frozen once at construction."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class PolicyOptions:
    """Cache-wide options.

    ``shared``: a shared cache (``Controller(cache_private=False)``).
    ``cacheable_status_codes``: ``None`` means every final status this cache understands.
    ``force_cache``: store and reuse regardless of caching headers (lists still apply).
    ``stale_while_revalidate`` / ``stale_if_error``: honour the RFC 5861 directives.
    ``targeted_cache_control``: RFC 9213 target list, lower-case field names in priority
    order; read only by a shared cache.
    ``default_lifetime``: the lifetime the user chose (``default_ttl`` / ``ttl_rules``) for a
    storable response without explicit freshness, a heuristic of RFC 9111 §4.2.2; under
    ``force_cache`` it is the lifetime. ``lifetime_source`` names it in reasons.
    ``do_not_cache``: a ``ttl_rules`` entry said ``DO_NOT_CACHE`` for this URL.
    """

    shared: bool = False
    cacheable_methods: frozenset[str] = field(default_factory=lambda: frozenset({"GET"}))
    cacheable_status_codes: frozenset[int] | None = None
    allow_heuristics: bool = False
    allow_stale: bool = False
    always_revalidate: bool = False
    force_cache: bool = False
    stale_while_revalidate: bool = False
    stale_if_error: bool = False
    targeted_cache_control: tuple[str, ...] = ()
    default_lifetime: float | None = None
    lifetime_source: str = "default_ttl"
    do_not_cache: bool = False
