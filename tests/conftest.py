"""Shared fixtures: ``anyio_backend`` runs async tests under asyncio and trio."""

from __future__ import annotations

import pytest

pytest_plugins = ["tests.clock", "tests.origin", "tests.storage_fixtures", "tests.redis_cluster"]


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)
