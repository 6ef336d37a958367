"""The ``hishel.controller`` logger of hishel 0.1, over the one ``hishel`` logger we log on.

hishel logs its one DEBUG decision line per request on the ``hishel`` logger. hishel 0.1's
documentation tells users to turn on ``logging.getLogger("hishel.controller")`` instead. So
that both work, the ``hishel`` logger is given a subclass (``__class__`` only; no state added)
that treats its DEBUG records without an exception attached (the decision lines) as records of
``hishel.controller``:

- they are emitted when ``hishel.controller`` is enabled for DEBUG (its own level, or the
  level it inherits from ``hishel``), whatever the level of ``hishel`` itself;
- they are handed to ``hishel.controller``, so they reach its handlers and then, propagating
  as usual, those of ``hishel`` and the root logger: once each. The record keeps its name
  (``hishel``), so filters and formats written for the ``hishel`` logger keep matching.

Every other record of ``hishel`` is handled as usual. Records logged directly on
``hishel.controller`` never pass through here (propagation calls handlers, not ``handle``).

The public Controller methods (``is_cachable``, ``construct_response_from_cache``,
``_make_request_conditional``) log 0.1's own DEBUG lines on ``hishel.controller`` when they are
called: ``storing_lines`` and ``reuse_lines`` turn the policy's decision into 0.1's texts (and
0.1's answer shape), a decision 0.1 had no text for into a sentence of the same form with the
policy's reason. The flow never calls them; its one line per request is unchanged.
"""

from __future__ import annotations

import logging
import typing as t

from .. import _policy as policy
from .._policy._freshness import permanent_redirect
from .._policy._targeted import for_this_cache

__all__ = ["CONTROLLER_LOGGER", "LOGGER", "install", "log_01", "reuse_lines", "storing_lines"]

LOGGER = "hishel"
CONTROLLER_LOGGER = "hishel.controller"


def _is_decision(record: logging.LogRecord) -> bool:
    return record.levelno == logging.DEBUG and record.exc_info is None


def _controller() -> logging.Logger:
    """``hishel.controller`` (looked up once: the manager keeps a logger for good)."""
    global _CONTROLLER
    if _CONTROLLER is None:
        _CONTROLLER = logging.getLogger(CONTROLLER_LOGGER)
    return _CONTROLLER


_CONTROLLER: logging.Logger | None = None


class _HishelLogger(logging.Logger):
    """``hishel``: its decision lines are ``hishel.controller``'s (see the module docstring)."""

    def isEnabledFor(self, level: int) -> bool:
        # Logger's own cache of answers, cleared by the logging manager whenever any level
        # changes (``setLevel``, ``disable``): it holds this combined answer too.
        if self.disabled:
            return False
        try:
            return self._cache[level]  # type: ignore[attr-defined, no-any-return]
        except KeyError:
            pass
        enabled = super().isEnabledFor(level) or (
            level == logging.DEBUG and _controller().isEnabledFor(level)
        )
        self._cache[level] = enabled  # type: ignore[attr-defined]
        return enabled

    def handle(self, record: logging.LogRecord) -> None:
        if record.name == LOGGER and _is_decision(record):
            controller = _controller()
            if controller.isEnabledFor(record.levelno):
                controller.handle(record)
            return
        super().handle(record)


def install() -> None:
    """Give the ``hishel`` logger its ``hishel.controller`` behaviour (idempotent)."""
    logger = logging.getLogger(LOGGER)
    if type(logger) is logging.Logger:
        logger.__class__ = _HishelLogger
    logging.getLogger(CONTROLLER_LOGGER)  # created now, so it always has ``hishel`` as parent


# -- hishel 0.1's lines for the public Controller methods ----------------------------------

Verdict = t.Literal["use", "revalidate", "none"]
"""0.1's answer shape: the stored response, the (conditional) request, or ``None``."""

_STORE_WHY = {
    "force_cache": "the request is forced to use the cache",
    "a permanent redirect without caching fields": "its status code is a permanent redirect",
    "heuristically cacheable": "its status code is heuristically cacheable",
}
_DONT_STORE_WHY = {
    "request no-store": "the request contains the no-store directive",
    "response no-store": "the response contains the no-store directive",
    "private, in a shared cache": "the response contains the private directive",
    "no explicit freshness, validator-backed no-cache or heuristic": (
        "it does not contain any of the required cache directives"
    ),
}
_REVALIDATE_WHY = {
    "request no-cache": "the request contains the no-cache directive",
    "always_revalidate": "the cache is set to always revalidate",
    "response no-cache": "the response contains the no-cache directive",
}
_INVALID_WHY = {
    "request max-age": "the age of the response exceeds the max-age directive",
    "request min-fresh": "the time left for freshness is less than the min-fresh directive",
    "Vary fields do not match": "the vary headers do not match",
    "Vary: * never matches": "the vary headers do not match",
}


def log_01(lines: t.Iterable[str]) -> None:
    """Log ``lines`` at DEBUG on ``hishel.controller``, as 0.1 did."""
    logger = _controller()
    if logger.isEnabledFor(logging.DEBUG):
        for line in lines:
            logger.debug(line)


def _considering(url: str, verdict: str, why: str) -> str:
    return f"Considering the resource located at {url} as {verdict} since {why}."


def storing_lines(
    url: str, method: str, response: policy.ResponseHead, decision: policy.StoreDecision
) -> list[str]:
    """0.1's lines for an ``is_cachable`` answer."""
    reason = decision.reason
    if isinstance(decision, policy.Store):
        lines = []
        cc = response.cache_control
        if cc.no_store and cc.must_understand and reason != "force_cache":
            lines.append(  # RFC 9111 §5.2.2.3
                f"Skipping the no-store directive for the resource located at {url} "
                "since the response contains the must-understand directive."
            )
        why = _STORE_WHY.get(reason, "it meets the criteria for being stored in the cache")
        return [*lines, _considering(url, "cachable", why)]
    status = response.status
    if reason.startswith("method "):
        why = f"the request method ({method}) is not in the list of cacheable methods"
    elif reason == f"status {status} is not cacheable":
        why = f"its status code ({status}) is not in the list of cacheable status codes"
    elif status < 200 and reason.endswith("is not a final response"):
        why = "its status code is informational"
    else:
        why = _DONT_STORE_WHY.get(reason, reason)
    return [_considering(url, "not cachable", why)]


def _lifetime_lines(
    url: str, stored: policy.StoredHead, options: policy.PolicyOptions
) -> list[str]:
    """0.1's lines when the response has no explicit freshness lifetime (heuristics)."""
    response = for_this_cache(stored.response, options)
    known = policy.freshness_lifetime(
        response, stored.response_time, shared=options.shared, default=options.default_lifetime
    )
    if known is not None:
        return []
    lines = [
        f"Could not determine the freshness lifetime of the resource located at {url}, "
        "trying to use heuristics to calculate it."
    ]
    heuristic = policy.heuristic_lifetime(response, stored.response_time, shared=options.shared)
    if options.allow_heuristics and heuristic is not None:
        lines.append(
            "Successfully calculated the freshness lifetime of the resource located at "
            f"{url} using heuristics."
        )
    else:
        lines.append(
            f"Could not calculate the freshness lifetime of the resource located at {url}. "
            "Making a conditional request to revalidate the response."
        )
    return lines


def reuse_lines(
    url: str,
    decision: policy.ReuseDecision,
    request: policy.RequestHead,
    stored: policy.StoredHead,
    options: policy.PolicyOptions,
) -> tuple[Verdict, list[str]]:
    """0.1's answer shape and lines for a ``construct_response_from_cache`` decision.

    0.1 answered ``None`` where the request's own ``max-age``, ``min-fresh`` or ``max-stale``
    ruled the stored response out, and the request (conditional when a validator allows)
    wherever the stored response needed the origin's word.
    """
    core = decision.reason.removeprefix("only-if-cached: ").split("; ")[0]
    if isinstance(decision, policy.UseStored):
        if core == "force_cache":
            why = "the request is forced to use the cache"
        elif core.startswith("stale, within request max-stale"):
            why = "the freshness lifetime has been exceeded less than max-stale"
        elif permanent_redirect(stored.response):
            why = "its status code is a permanent redirect"
        else:
            lines = _lifetime_lines(url, stored, options)
            return "use", [*lines, _considering(url, "valid for cache use", "it is fresh")]
        return "use", [_considering(url, "valid for cache use", why)]
    if core in _REVALIDATE_WHY:
        return "revalidate", [_considering(url, "needing revalidation", _REVALIDATE_WHY[core])]
    if core == "stale":
        if stored.response.cache_control.must_revalidate:
            why = "the response contains the must-revalidate directive"
            return "revalidate", [_considering(url, "needing revalidation", why)]
        if request.cache_control.max_stale is not None:
            why = "the freshness lifetime has been exceeded more than max-stale"
            return "none", [_considering(url, "invalid for cache use", why)]
        lines = _lifetime_lines(url, stored, options)
        if len(lines) == 2 and lines[1].startswith("Could not calculate"):
            return "revalidate", lines
        return "revalidate", [*lines, _considering(url, "needing revalidation", "it is not fresh")]
    return "none", [_considering(url, "invalid for cache use", _INVALID_WHY.get(core, core))]
