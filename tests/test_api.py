"""The public surface of API.md: names, constructor checks, 0.1 import paths."""

from __future__ import annotations

import re
import subprocess
import sys

import httpcore
import httpx
import pytest

import hishel

API_NAMES = [
    "CacheClient",
    "AsyncCacheClient",
    "CacheTransport",
    "AsyncCacheTransport",
    "CacheConnectionPool",
    "AsyncCacheConnectionPool",
    "MockTransport",
    "MockAsyncTransport",
    "MockConnectionPool",
    "MockAsyncConnectionPool",
    "BaseStorage",
    "FileStorage",
    "InMemoryStorage",
    "RedisStorage",
    "S3Storage",
    "SQLiteStorage",
    "AsyncBaseStorage",
    "AsyncFileStorage",
    "AsyncInMemoryStorage",
    "AsyncRedisStorage",
    "AsyncS3Storage",
    "AsyncSQLiteStorage",
    "Controller",
    "HEURISTICALLY_CACHEABLE_STATUS_CODES",
    "CacheControl",
    "Vary",
    "CacheControlError",
    "ParseError",
    "ValidationError",
    "BaseSerializer",
    "JSONSerializer",
    "YAMLSerializer",
    "PickleSerializer",
    "Metadata",
    "clone_model",
    "LFUCache",
    "install_cache",
    "uninstall_cache",
]


@pytest.mark.parametrize("name", API_NAMES)
def test_every_api_name_is_exported(name: str) -> None:
    assert hasattr(hishel, name)
    assert name in hishel.__all__


def test_all_holds_only_importable_names() -> None:
    for name in hishel.__all__:
        assert getattr(hishel, name) is not None


def test_version() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", hishel.__version__)


def test_generate_key_keeps_its_01_import_path_and_value() -> None:
    from hishel._utils import generate_key

    request = httpcore.Request("GET", "https://example.com/path?q=1")
    key = generate_key(request)
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    # blake2b-128 of method + URL + body, as hishel 0.1 computed it.
    import hashlib

    expected = hashlib.blake2b(b"GEThttps://example.com/path?q=1", digest_size=16).hexdigest()
    assert key == expected
    assert generate_key(request, b"body") != key


def test_heuristically_cacheable_status_codes() -> None:
    assert tuple(hishel.HEURISTICALLY_CACHEABLE_STATUS_CODES) == (
        200,
        203,
        204,
        206,
        300,
        301,
        308,
        404,
        405,
        410,
        414,
        501,
    )


def test_sync_storage_in_async_transport_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"AsyncBaseStorage.*AsyncFileStorage.*got InMemoryStorage"):
        hishel.AsyncCacheTransport(httpx.AsyncHTTPTransport(), storage=hishel.InMemoryStorage())  # type: ignore[arg-type]


def test_async_storage_in_sync_client_is_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"BaseStorage.*got AsyncInMemoryStorage"):
        hishel.CacheClient(storage=hishel.AsyncInMemoryStorage())  # type: ignore[arg-type]


def test_async_storage_in_sync_pool_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="got AsyncInMemoryStorage"):
        hishel.CacheConnectionPool(httpcore.ConnectionPool(), storage=hishel.AsyncInMemoryStorage())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cacheable_methods": ["GET", "FETCH"]}, "does not support the HTTP method `FETCH`"),
        ({"cacheable_methods": "GET"}, "list of method names"),
        ({"cacheable_status_codes": [200, 999]}, "100 to 599"),
        ({"clock": object()}, "now()"),
        ({"key_generator": "not callable"}, "callable"),
    ],
)
def test_controller_rejects_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=re.escape(message)):
        hishel.Controller(**kwargs)  # type: ignore[arg-type]


def test_controller_upper_cases_methods() -> None:
    controller = hishel.Controller(cacheable_methods=["get", "post"])
    assert controller._cacheable_methods == {"GET", "POST"}


def test_controller_defaults() -> None:
    controller = hishel.Controller()
    assert controller._cacheable_methods == {"GET"}
    assert controller._cacheable_status_codes is None
    assert controller._cache_private is True


def test_install_cache_swaps_the_httpx_clients(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(httpx, "Client", httpx.Client)
    monkeypatch.setattr(httpx, "AsyncClient", httpx.AsyncClient)
    hishel.install_cache()
    try:
        assert httpx.Client is hishel.CacheClient
        assert httpx.AsyncClient is hishel.AsyncCacheClient
    finally:
        hishel.uninstall_cache()


def test_importing_hishel_needs_no_extra() -> None:
    blocked = ("redis", "boto3", "botocore", "yaml", "anysqlite")
    code = (
        "import sys\n"
        f"for name in {blocked!r}: sys.modules[name] = None\n"
        "import hishel\n"
        "hishel.CacheClient(storage=hishel.InMemoryStorage()).close()\n"
        "print('imported')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "imported"
