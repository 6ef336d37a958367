"""The RFC 5861 windows: how long past its freshness a stale response may still be served.

stale-while-revalidate: "caches MAY serve the response it appears in after it becomes stale,
up to the indicated number of seconds" (RFC 5861 §3), revalidating "without blocking".
stale-if-error: "when an error is encountered, a cached stale response MAY be used to
satisfy the request" (§4), in a request or a response, "when the cached response is more
stale than the indicated amount, the cached response SHOULD NOT be used"; "an error is any
situation which would result in a 500, 502, 503 or 504" (``STALE_IF_ERROR_STATUSES``).
Both are opt-in (``PolicyOptions``), and neither applies where RFC 9111 forbids serving stale.
"""

from __future__ import annotations

from ._messages import CacheDirectives
from ._options import PolicyOptions

__all__ = ["within_stale_if_error", "within_stale_while_revalidate"]


def within_stale_while_revalidate(
    response: CacheDirectives, staleness: float, options: PolicyOptions
) -> bool:
    """Whether a response ``staleness`` seconds stale may be served while it revalidates."""
    window = response.stale_while_revalidate
    return (
        options.stale_while_revalidate and window is not None and staleness <= window
    )  # RFC 5861 §3


def within_stale_if_error(
    request: CacheDirectives,
    response: CacheDirectives,
    staleness: float,
    options: PolicyOptions,
) -> bool:
    """Whether a response ``staleness`` seconds stale may be served if the origin errs."""
    return options.stale_if_error and any(
        window is not None and staleness <= window
        for window in (response.stale_if_error, request.stale_if_error)  # RFC 5861 §4
    )
