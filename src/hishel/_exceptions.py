"""hishel's errors.

::

    CacheControlError            a Cache-Control or validation problem
    ├── ParseError               a header value that cannot be parsed (public 0.1 parsers)
    └── ValidationError          an inconsistent validation exchange

Origins never make these escape a request: the policy degrades malformed headers instead
(stale, not storable, ignored). Caller mistakes raise ``TypeError`` / ``ValueError`` at
construction. Storage failures are logged and turn into cache misses.
"""

from __future__ import annotations

__all__ = ["CacheControlError", "ParseError", "ValidationError"]


class CacheControlError(Exception):
    """Base class of hishel's cache-control errors."""


class ParseError(CacheControlError):
    """A header value could not be parsed."""


class ValidationError(CacheControlError):
    """A validation exchange was inconsistent."""
