"""After a bare ``import hishel`` (a fresh interpreter), the private modules hishel 0.1's
``import hishel`` loaded are attributes of the package, as 0.1-era code reaches them."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import hishel

MODULES = [
    "_async",
    "_controller",
    "_exceptions",
    "_headers",
    "_lfu_cache",
    "_serializers",
    "_sync",
    "_synchronization",
    "_utils",
]


def run_fresh(code: str) -> str:
    """Run ``code`` in a new interpreter that imports this same hishel."""
    source = str(Path(hishel.__file__).parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_generate_key_is_reachable_after_a_bare_import() -> None:
    out = run_fresh(
        """
        import httpcore
        import hishel

        request = httpcore.Request("GET", "https://example.com/")
        print(hishel._utils.generate_key(request))
        """
    )
    assert len(out.strip()) == 32  # a hex digest


def test_01_private_modules_are_package_attributes() -> None:
    out = run_fresh(
        f"""
        import hishel

        for name in {MODULES!r}:
            print(name, type(getattr(hishel, name)).__name__)
        """
    )
    assert out.split("\n")[:-1] == [f"{name} module" for name in MODULES]


def test_01_module_aliases_hold_the_01_names() -> None:
    run_fresh(
        """
        import hishel

        assert hishel._lfu_cache.LFUCache is hishel.LFUCache
        cache = hishel._lfu_cache.LFUCache(capacity=2)
        cache.put("a", 1)
        assert cache.get("a") == 1
        lock = hishel._synchronization.Lock()
        with lock:
            pass
        assert hishel._controller.get_age is not None
        assert hishel._headers.parse_cache_control is not None
        from hishel._async._client import AsyncCacheClient
        from hishel._async._mock import MockAsyncConnectionPool, MockAsyncTransport
        from hishel._async._pool import AsyncCacheConnectionPool
        from hishel._async._storages import AsyncFileStorage, AsyncSQLiteStorage
        from hishel._async._transports import AsyncCacheTransport
        from hishel._sync._client import CacheClient
        from hishel._sync._mock import MockConnectionPool, MockTransport
        from hishel._sync._pool import CacheConnectionPool
        from hishel._sync._storages import FileStorage, InMemoryStorage, RedisStorage
        from hishel._sync._transports import CacheTransport

        assert AsyncCacheClient is hishel.AsyncCacheClient and CacheClient is hishel.CacheClient
        assert MockAsyncTransport is hishel.MockAsyncTransport
        assert MockConnectionPool is hishel.MockConnectionPool
        assert MockAsyncConnectionPool is hishel.MockAsyncConnectionPool
        assert MockTransport is hishel.MockTransport
        assert AsyncCacheConnectionPool is hishel.AsyncCacheConnectionPool
        assert CacheConnectionPool is hishel.CacheConnectionPool
        assert AsyncCacheTransport is hishel.AsyncCacheTransport
        assert CacheTransport is hishel.CacheTransport
        assert AsyncFileStorage is hishel.AsyncFileStorage and FileStorage is hishel.FileStorage
        assert AsyncSQLiteStorage is hishel.AsyncSQLiteStorage
        assert InMemoryStorage is hishel.InMemoryStorage and RedisStorage is hishel.RedisStorage
        """
    )
