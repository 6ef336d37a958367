"""hishel 0.1's ``hishel._async._client`` import path."""

from .._hosts._async._client import AsyncCacheClient

__all__ = ["AsyncCacheClient"]
