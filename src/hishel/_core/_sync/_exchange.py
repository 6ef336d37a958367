# GENERATED from the async source by scripts/unasync.py; do not edit.
"""One request on its way through the cache, and the helpers the flow serves it with."""

from __future__ import annotations

import logging
import typing as t
from dataclasses import dataclass

from ... import _policy as policy
from ..._storage._codec import VaryIndex
from .._adapters import request_head
from .._config import IsCachable
from .._keys import FlowKey
from .._messages import Request, Response
from .._status import Outcome
from ._entries import Entry, Target

__all__ = [
    "CACHE_EXTENSIONS",
    "Send",
    "Exchange",
    "Mark",
    "as_get",
    "asks",
    "forwarded_extensions",
    "log_steps",
    "log_url",
    "read_body",
    "served_extensions",
    "storable",
]

Send = t.Callable[[Request], Response]


# The request extensions the cache itself reads: they tell this cache what to do, not the
# transport below it (a cache there would answer a revalidation from its own store).
CACHE_EXTENSIONS = frozenset({"force_cache", "cache_disabled"})


def forwarded_extensions(extensions: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """The caller's request extensions (timeouts, trace, ...) for a request the cache makes
    on its behalf, as hishel 0.1 passed them, without the cache's own."""
    return {k: v for k, v in extensions.items() if k not in CACHE_EXTENSIONS}


def log_url(url: str) -> str:
    """The URL without userinfo and query: never log credentials."""
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    authority = authority.rpartition("@")[2]
    return f"{scheme}{sep}{authority}{slash}{path.split('?', 1)[0]}"


def asks(head: policy.RequestHead) -> bool:
    """Whether the request's own directives kept a stored response from use (RFC 9211
    ``fwd=request``)."""
    cc = head.cache_control
    return head.pragma_no_cache or cc.no_cache or cc.max_age is not None or cc.min_fresh is not None


Mark = t.Callable[[Response, Outcome], Response]


@dataclass(slots=True)
class Exchange:
    """One request on its way through the cache."""

    request: Request
    head: policy.RequestHead
    options: policy.PolicyOptions
    key: str
    send: Send
    entry: Entry | None = None
    index: VaryIndex | None = None
    fwd: str = "uri-miss"  # why it went to the origin, if it does (RFC 9211 §2.2)
    collapsed: bool = False


def read_body(request: Request) -> bytes:
    """A request body, read whole (it is part of the key of POST and QUERY)."""
    stream = request.stream
    if isinstance(stream, bytes):
        return stream
    chunks = [chunk for chunk in t.cast("t.Iterable[bytes]", stream)]
    return b"".join(chunks)


def storable(
    ex: Exchange,
    response: Response,
    resp_head: policy.ResponseHead,
    is_cachable: IsCachable | None,
) -> policy.StoreDecision:
    """The policy's storage decision; a Controller subclass overriding the 0.1
    ``is_cachable`` has the last word."""
    decision = policy.storable(ex.head, resp_head, ex.options)
    if is_cachable is None:
        return decision
    if not is_cachable(ex.request, response):
        return policy.DontStore("refused by Controller.is_cachable")
    if isinstance(decision, policy.DontStore):
        return policy.Store("allowed by Controller.is_cachable", resp_head.headers)
    return decision


logger = logging.getLogger("hishel")

SERVED_EXTENSIONS = frozenset({"http_version", "reason_phrase"})


def served_extensions(entry: Entry) -> dict[str, t.Any]:
    """The response extensions a hit of ``entry`` serves (a new dict: the flow adds its own),
    picked from the stored ones once and kept with the entry."""
    views = entry.head.views
    if views.extensions is None:
        extensions = entry.head.extensions
        views.extensions = {k: v for k, v in extensions.items() if k in SERVED_EXTENSIONS}
    return dict(views.extensions)


def log_steps(head: policy.RequestHead, *steps: object) -> None:
    """The one DEBUG line of a request: each decision taken, with its reason."""
    if logger.isEnabledFor(logging.DEBUG):
        text = "; ".join(
            step if isinstance(step, str) else f"{type(step).__name__} ({step.reason})"  # type: ignore[attr-defined]
            for step in steps
        )
        logger.debug("%s %s: %s", head.method, log_url(head.url), text)


def as_get(ex: Exchange, decision: policy.Store, key_generator: FlowKey) -> Target:
    """Where a POST's response is also stored as the GET of its URI (RFC 9110 §9.3.3)."""
    request = Request(b"GET", ex.request.url, ex.request.headers)
    key = key_generator(Request(b"GET", ex.request.url), b"")
    return Target(key, None, request_head(request), request, decision.headers)
