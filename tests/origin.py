"""The ``origin`` fixture (pytest plugin): a fresh loopback origin for each test.

The origin itself is ``hishel._tools._origin.Origin``, the one shared with the demo and the
benchmarks; its docstring describes routes, handlers, failure modes and inspection.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from hishel._tools._origin import Headers, Origin, OriginRequest

__all__ = ["Headers", "Origin", "OriginRequest", "origin"]


@pytest.fixture
def origin() -> Iterator[Origin]:
    """A fresh, running origin server for this test (stopped at teardown)."""
    server = Origin()
    server.start()
    try:
        yield server
    finally:
        server.stop()
    if server.errors:
        pytest.fail("origin handler raised:\n" + "\n".join(server.errors), pytrace=False)
