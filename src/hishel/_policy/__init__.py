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
    Revalidate,
    ReuseDecision,
    Store,
    StoreDecision,
    UseStored,
)
from ._messages import Headers, RequestHead, ResponseHead, StoredHead, normalise_headers
from ._options import PolicyOptions

__all__ = [
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
    "normalise_headers",
]
