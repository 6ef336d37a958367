"""Lifetimes the user chooses: ``default_ttl`` and ``ttl_rules`` (URL glob -> lifetime).

A rule's pattern is matched against ``scheme://host[:port]/path`` (no query); ``*`` spans
any run of characters, everything else is literal; the first match wins. A lifetime is
seconds or a ``timedelta``; ``DO_NOT_CACHE`` means matching URLs are never stored. The
chosen lifetime applies only to responses without explicit freshness (RFC 9111 §4.2.2: a
heuristic the user picked), except under ``force_cache``, where it is the lifetime.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass
from datetime import timedelta

from ._messages import URL

__all__ = ["DO_NOT_CACHE", "DoNotCache", "Rule", "check_lifetime", "compile_rules", "match_url"]


class DoNotCache:
    """The ``ttl_rules`` value that keeps matching URLs out of the cache."""

    _instance: DoNotCache | None = None

    def __new__(cls) -> DoNotCache:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "hishel.DO_NOT_CACHE"


DO_NOT_CACHE = DoNotCache()

Lifetime = int | float | timedelta


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled ``ttl_rules`` entry; ``lifetime`` None means ``DO_NOT_CACHE``."""

    pattern: str
    regex: re.Pattern[str]
    lifetime: float | None


def check_lifetime(name: str, value: object) -> float:
    """Seconds from a number or a ``timedelta``; a clear error for anything else."""
    if isinstance(value, timedelta):
        value = value.total_seconds()
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"{name} must be seconds (>= 0) or a timedelta, not {value!r}")
    return float(value)


def compile_rules(rules: t.Mapping[str, Lifetime | DoNotCache] | None) -> tuple[Rule, ...]:
    """The rules in order, checked (a bad pattern or lifetime fails here, not later)."""
    if rules is None:
        return ()
    if not isinstance(rules, t.Mapping):
        raise TypeError("ttl_rules must be a mapping of URL glob patterns to lifetimes")
    compiled = []
    for pattern, value in rules.items():
        if not isinstance(pattern, str) or not pattern:
            raise TypeError(f"ttl_rules keys must be URL glob patterns, not {pattern!r}")
        regex = re.compile(".*".join(re.escape(part) for part in pattern.split("*")))
        lifetime = (
            None if value is DO_NOT_CACHE else check_lifetime(f"ttl_rules[{pattern!r}]", value)
        )
        compiled.append(Rule(pattern, regex, lifetime))
    return tuple(compiled)


def match_url(url: URL) -> str:
    """``scheme://host[:port]/path`` of a request URL, as rules are matched against."""
    scheme, host = url.scheme.decode("ascii"), url.host.decode("ascii")
    authority = host if url.port is None else f"{host}:{url.port}"
    path = url.target.decode("latin-1").split("?", 1)[0]
    return f"{scheme}://{authority}{path}"
