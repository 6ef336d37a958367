"""hishel 0.1's ``hishel._async._pool`` import path."""

from .._hosts._async._pool import AsyncCacheConnectionPool

__all__ = ["AsyncCacheConnectionPool"]
