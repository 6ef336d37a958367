"""What the flow reads from a Controller: one frozen value, built once at construction."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field
from datetime import datetime, timezone

import httpcore

from . import _policy as policy
from ._clock import Clock
from ._keys import KeyGenerator
from ._privacy import Privacy

__all__ = ["FlowConfig"]

IsCachable = t.Callable[[httpcore.Request, httpcore.Response], bool]


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
    key_generator: KeyGenerator
    clock: Clock
    coalesce: bool
    is_cachable: IsCachable | None
    privacy: Privacy = field(default_factory=Privacy)  # sensitive_headers, ignored_parameters

    def options_for(self, request: httpcore.Request) -> policy.PolicyOptions:
        """The options for ``request`` (its ``force_cache`` extension wins)."""
        forced = request.extensions.get("force_cache", self.force_cache)
        return self.forced if forced else self.options

    def now(self) -> float:
        return float(self.clock.now())

    @staticmethod
    def created_at(now: float) -> datetime:
        return datetime.fromtimestamp(now, tz=timezone.utc)
