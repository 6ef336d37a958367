"""Pure RFC 9111 policy: no I/O, no clock reads, no logging, no httpx/httpcore imports.

Inputs are frozen heads (``_messages``) and ``now`` (epoch seconds, from the caller's
clock); outputs are frozen decisions (``_decisions``).
"""

from ._decisions import (
    DontStore,
    Forward,
    Freshen,
    FreshenDecision,
    GatewayTimeout,
    ReuseDecision,
    Revalidate,
    Store,
    StoreDecision,
    UseStored,
)
from ._freshness import current_age, freshness_lifetime, heuristic_lifetime
from ._invalidation import invalidated_urls
from ._messages import Headers, RequestHead, ResponseHead, StoredHead, normalise_headers
from ._options import PolicyOptions
from ._ranges import RangeAnswer, answer_range
from ._reuse import reuse, served_headers
from ._storable import storable
from ._tables import STALE_IF_ERROR_STATUSES
from ._validation import freshen
from ._vary import vary_fingerprint, vary_names

__all__ = [
    "STALE_IF_ERROR_STATUSES",
    "RangeAnswer",
    "answer_range",
    "DontStore",
    "Forward",
    "Freshen",
    "FreshenDecision",
    "GatewayTimeout",
    "Headers",
    "PolicyOptions",
    "RequestHead",
    "ResponseHead",
    "Revalidate",
    "ReuseDecision",
    "Store",
    "StoreDecision",
    "StoredHead",
    "UseStored",
    "current_age",
    "freshen",
    "freshness_lifetime",
    "heuristic_lifetime",
    "invalidated_urls",
    "normalise_headers",
    "reuse",
    "served_headers",
    "storable",
    "vary_fingerprint",
    "vary_names",
]
