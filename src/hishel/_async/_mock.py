"""hishel 0.1's ``hishel._async._mock`` import path."""

from .._hosts._async._mock import MockAsyncConnectionPool, MockAsyncTransport

__all__ = ["MockAsyncConnectionPool", "MockAsyncTransport"]
