# GENERATED from the async source by scripts/unasync.py; do not edit.
"""hishel 0.1's ``hishel._sync._client`` import path."""

from .._hosts._sync._client import CacheClient

__all__ = ["CacheClient"]
