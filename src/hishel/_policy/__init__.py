"""Pure RFC 9111 policy: no I/O, no clock reads, no logging, no httpx/httpcore imports.

Inputs are frozen heads (``_messages``, built by ``_heads``) and ``now`` (epoch seconds, from
the caller's clock); outputs are frozen decisions (``_decisions``). The modules form an
acyclic graph with ``_messages`` and ``_tables`` at the bottom (``tests/policy/test_layout``).
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
from ._freshen import freshen, validated_reuse
from ._freshness import current_age, freshness_lifetime, heuristic_lifetime
from ._heads import RequestHead, ResponseHead, StoredHead
from ._invalidation import invalidated_urls
from ._messages import Headers, normalise_headers
from ._options import PolicyOptions
from ._partial import (
    Combined,
    Part,
    answer_partial,
    body_matches,
    combine,
    missing_range,
    received_part,
    storable_partial,
)
from ._post import stored_for_get
from ._ranges import RangeAnswer, answer_range
from ._reuse import keyed_method, reuse
from ._served import carries_body, served_headers
from ._storable import storable
from ._tables import STALE_IF_ERROR_STATUSES
from ._targeted import target_list
from ._vary import select_variant, vary_fingerprint, vary_names

__all__ = [
    "STALE_IF_ERROR_STATUSES",
    "Combined",
    "DontStore",
    "Forward",
    "Freshen",
    "FreshenDecision",
    "GatewayTimeout",
    "Headers",
    "Part",
    "PolicyOptions",
    "RangeAnswer",
    "RequestHead",
    "ResponseHead",
    "Revalidate",
    "ReuseDecision",
    "Store",
    "StoreDecision",
    "StoredHead",
    "UseStored",
    "answer_partial",
    "answer_range",
    "body_matches",
    "carries_body",
    "combine",
    "current_age",
    "freshen",
    "freshness_lifetime",
    "heuristic_lifetime",
    "invalidated_urls",
    "keyed_method",
    "missing_range",
    "normalise_headers",
    "received_part",
    "reuse",
    "select_variant",
    "served_headers",
    "storable",
    "storable_partial",
    "stored_for_get",
    "target_list",
    "validated_reuse",
    "vary_fingerprint",
    "vary_names",
]
