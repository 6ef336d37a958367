# GENERATED from the async source by scripts/unasync.py; do not edit.
"""Mock transports and pools that answer with queued responses, for tests."""

from __future__ import annotations

import typing as t

import httpcore
import httpx
from httpcore._sync.interfaces import RequestInterface

__all__ = ["MockConnectionPool", "MockTransport"]


class MockTransport(httpx.BaseTransport):
    """An httpx transport returning the responses given to ``add_responses``, in order.

    A context manager (``with``), like every httpx transport.
    """

    def __init__(self) -> None:
        self.mocked_responses: list[httpx.Response] = []

    def add_responses(self, responses: list[httpx.Response]) -> None:
        """Queue ``responses``; each request takes the next one."""
        self.mocked_responses.extend(responses)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(queued={len(self.mocked_responses)})"

    def __enter__(self) -> MockTransport:
        return self

    def __exit__(self, *args: t.Any) -> None:
        self.close()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.mocked_responses:
            raise RuntimeError(f"{type(self).__name__} has no response queued for {request!r}")
        response = self.mocked_responses.pop(0)
        response.request = request
        return response


class MockConnectionPool(RequestInterface):
    """An httpcore pool returning the responses given to ``add_responses``, in order.

    A context manager (``with``), like httpcore's pools.
    """

    def __init__(self) -> None:
        self.mocked_responses: list[httpcore.Response] = []

    def add_responses(self, responses: list[httpcore.Response]) -> None:
        """Queue ``responses``; each request takes the next one."""
        self.mocked_responses.extend(responses)

    def handle_request(self, request: httpcore.Request) -> httpcore.Response:
        if not self.mocked_responses:
            raise RuntimeError(f"{type(self).__name__} has no response queued for {request!r}")
        return self.mocked_responses.pop(0)

    def close(self) -> None:
        """Nothing to release; here so the mock closes like a pool."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(queued={len(self.mocked_responses)})"

    def __enter__(self) -> MockConnectionPool:
        return self

    def __exit__(self, *args: t.Any) -> None:
        self.close()
