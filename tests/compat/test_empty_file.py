"""An entry file left empty (0.1 could leave one under concurrency) is a miss, never an error:
the request goes to the origin and the entry is stored again. The default folder is the
seed's ``.hishel_cache`` (0.1 wrote ``.cache/hishel``)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import httpcore
import pytest

import hishel
from hishel._utils import generate_key
from tests.origin import Origin


def test_an_empty_entry_file_is_a_miss_and_is_stored_again(
    tmp_path: Path, origin: Origin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    url = origin.url("/a")
    origin.route("/a", body=b"test", headers={"Cache-Control": "max-age=86400"})
    entry = tmp_path / ".hishel_cache" / generate_key(httpcore.Request("GET", url))
    with hishel.CacheClient(storage=hishel.FileStorage()) as client:
        client.get(url)
        assert client.get(url).extensions["from_cache"] is True
        entry.write_bytes(b"")  # emptied behind the storage's back
        again = client.get(url)
        assert (again.extensions["from_cache"], again.text) == (False, "test")
        assert client.get(url).extensions["from_cache"] is True  # stored again
    assert origin.count("/a") == 2


@pytest.mark.anyio
async def test_an_empty_entry_file_is_retrieved_as_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    storage = hishel.AsyncFileStorage()
    request = httpcore.Request("GET", "https://example.com")
    key = generate_key(request)
    response = httpcore.Response(200, content=b"test")
    metadata = hishel.Metadata(cache_key=key, number_of_uses=0, created_at=_now())
    await storage.store(key, response, request, metadata)
    assert await storage.retrieve(key) is not None
    (tmp_path / ".hishel_cache" / key).write_bytes(b"")
    assert await storage.retrieve(key) is None
    await storage.aclose()


def _now() -> datetime:
    return datetime.now(timezone.utc)
