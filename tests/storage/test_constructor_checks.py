"""Storage constructor checks; a storage that is down: tests/storage/_async/test_storage_down.py."""

from __future__ import annotations

import pytest
import redis

import hishel


def test_bad_storage_arguments_still_fail_fast() -> None:
    with pytest.raises((TypeError, ValueError)):
        hishel.S3Storage(bucket_name=123)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ttl"):
        hishel.RedisStorage(client=redis.Redis(), ttl=-1)
    with pytest.raises(ValueError, match="capacity"):
        hishel.InMemoryStorage(capacity=0)
