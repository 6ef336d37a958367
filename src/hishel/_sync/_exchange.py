# GENERATED from the async source by scripts/unasync.py; do not edit.
"""One request on its way through the cache, and what the flow marks on its answer."""

from __future__ import annotations

import typing as t
from dataclasses import dataclass

import httpcore
import httpx

from .. import _policy as policy
from .._codec import VaryIndex
from .._status import Outcome
from ._entries import Entry

__all__ = ["ORIGIN_ERRORS", "Send", "Exchange", "Mark", "log_url", "mark"]

Send = t.Callable[[httpcore.Request], httpcore.Response]

# The origin could not be reached or dropped the exchange (httpcore pools raise httpcore's
# errors, httpx transports httpx's).
ORIGIN_ERRORS: tuple[type[Exception], ...] = (
    httpcore.NetworkError,
    httpcore.TimeoutException,
    httpcore.RemoteProtocolError,
    httpcore.ProxyError,
    httpx.TransportError,
)


def log_url(url: str) -> str:
    """The URL without userinfo and query: never log credentials."""
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    authority = authority.rpartition("@")[2]
    return f"{scheme}{sep}{authority}{slash}{path.split('?', 1)[0]}"


def mark(response: httpcore.Response, outcome: Outcome, metadata: t.Any = None) -> str:
    """Set the response extensions that say what happened; the Cache-Status value."""
    revalidated = outcome.fwd == "stale" and outcome.fwd_status == 304
    extensions = response.extensions
    extensions["from_cache"] = outcome.hit or revalidated
    extensions["revalidated"] = revalidated
    if metadata is not None:
        extensions["cache_metadata"] = metadata
    value = outcome.field_value()
    extensions["cache_status"] = value
    return value


Mark = t.Callable[[httpcore.Response, Outcome], httpcore.Response]


@dataclass(slots=True)
class Exchange:
    """One request on its way through the cache."""

    request: httpcore.Request
    head: policy.RequestHead
    options: policy.PolicyOptions
    key: str
    send: Send
    entry: Entry | None = None
    index: VaryIndex | None = None
    fwd: str = "uri-miss"  # why it went to the origin, if it does (RFC 9211 §2.2)
    collapsed: bool = False
