# GENERATED from the async source by scripts/unasync.py; do not edit.
"""hishel 0.1's ``hishel._sync._mock`` import path."""

from .._hosts._sync._mock import MockConnectionPool, MockTransport

__all__ = ["MockConnectionPool", "MockTransport"]
