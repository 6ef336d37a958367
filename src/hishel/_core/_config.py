"""What the flow reads from a Controller: one frozen value, built once at construction."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .. import _policy as policy
from ._clock import Clock
from ._keys import FlowKey
from ._messages import Request, Response
from ._privacy import Privacy
from ._ttl_rules import Rule, match_url

__all__ = ["FlowConfig"]

IsCachable = t.Callable[[Request, Response], bool]


@dataclass(frozen=True, slots=True)
class FlowConfig:
    """The Controller's options as the flow uses them.

    ``options`` / ``forced`` are the policy options without and with ``force_cache``;
    ``is_cachable`` is a Controller subclass's 0.1 override (it has the last word on
    storing), None when not overridden. ``key_generator`` already leaves the
    ``ignored_parameters`` out of the URL it is given.
    """

    options: policy.PolicyOptions
    forced: policy.PolicyOptions
    force_cache: bool
    key_generator: FlowKey
    clock: Clock
    coalesce: bool
    is_cachable: IsCachable | None
    cache_status_header: bool = False
    rules: tuple[Rule, ...] = ()
    rule_options: tuple[tuple[policy.PolicyOptions, policy.PolicyOptions], ...] = ()
    privacy: Privacy = field(default_factory=Privacy)  # sensitive_headers, ignored_parameters

    def options_for(self, request: Request) -> policy.PolicyOptions:
        """The options for ``request`` (its ``force_cache`` extension wins; the first
        ``ttl_rules`` pattern its URL matches picks the lifetime)."""
        forced = bool(request.extensions.get("force_cache", self.force_cache))
        if self.rules:
            url = match_url(request.url)
            for rule, options in zip(self.rules, self.rule_options, strict=True):
                if rule.regex.fullmatch(url):
                    return options[forced]
        return self.forced if forced else self.options

    def now(self) -> float:
        return float(self.clock.now())

    @staticmethod
    def created_at(now: float) -> datetime:
        return datetime.fromtimestamp(now, tz=timezone.utc)
