"""hishel 0.1's ``hishel._controller`` import path: the ``Controller``
(``hishel._hosts._controller``) and 0.1's controller helpers (``hishel._hosts._compat``)."""

from __future__ import annotations

from ._hosts._compat import (
    allowed_stale,
    get_age,
    get_freshness_lifetime,
    get_heuristic_freshness,
    get_updated_headers,
)
from ._hosts._controller import HEURISTICALLY_CACHEABLE_STATUS_CODES, Controller

__all__ = [
    "HEURISTICALLY_CACHEABLE_STATUS_CODES",
    "Controller",
    # hishel 0.1's helpers, importable from here as in 0.1
    "allowed_stale",
    "get_age",
    "get_freshness_lifetime",
    "get_heuristic_freshness",
    "get_updated_headers",
]
