"""hishel 0.1's ``hishel._async._transports`` import path."""

from .._hosts._async._transports import AsyncCacheTransport

__all__ = ["AsyncCacheTransport"]
