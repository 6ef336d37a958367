# GENERATED from the async source by scripts/unasync.py; do not edit.
"""hishel 0.1's ``hishel._sync._pool`` import path."""

from .._hosts._sync._pool import CacheConnectionPool

__all__ = ["CacheConnectionPool"]
