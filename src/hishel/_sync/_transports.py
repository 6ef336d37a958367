# GENERATED from the async source by scripts/unasync.py; do not edit.
"""hishel 0.1's ``hishel._sync._transports`` import path."""

from .._hosts._sync._transports import CacheTransport

__all__ = ["CacheTransport"]
