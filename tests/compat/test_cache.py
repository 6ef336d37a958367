"""0.1 caches and metadata: naive ``created_at`` from ``loads``; a 0.1 folder via base_path."""

from __future__ import annotations

import base64
import email.utils
import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpcore
import pytest

import hishel
from hishel._utils import generate_key
from tests.origin import Origin

SERIALIZERS = [hishel.JSONSerializer, hishel.YAMLSerializer, hishel.PickleSerializer]


@pytest.fixture
def local_time_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A local time zone far from UTC, so naive datetimes read as local time would show."""
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    try:
        yield
    finally:
        monkeypatch.undo()
        time.tzset()


def entry(created_at: datetime) -> tuple[httpcore.Response, httpcore.Request, hishel.Metadata]:
    response = httpcore.Response(200, headers=[(b"Content-Type", b"text/plain")], content=b"x")
    response.read()
    request = httpcore.Request("GET", "https://a.test/")
    return (
        response,
        request,
        hishel.Metadata(cache_key="k", number_of_uses=0, created_at=created_at),
    )


@pytest.mark.parametrize("serializer_class", SERIALIZERS)
def test_loads_gives_naive_utc_created_at(
    serializer_class: type[hishel.BaseSerializer], local_time_zone: None
) -> None:
    created = datetime.now(timezone.utc) - timedelta(seconds=30)
    serializer = serializer_class()
    loaded = serializer.loads(serializer.dumps(*entry(created)))[2]["created_at"]
    assert loaded.tzinfo is None
    assert loaded == created.replace(tzinfo=None)
    assert timedelta(seconds=29) < datetime.now(timezone.utc).replace(tzinfo=None) - loaded
    assert datetime.now() - loaded is not None  # 0.1 code: no TypeError (naive minus naive)
    assert loaded.timestamp() == pytest.approx(created.timestamp())  # UTC, not local time


def test_fresh_metadata_is_utc_aware(origin: Origin) -> None:
    origin.route("/a", body=b"x", headers={"Cache-Control": "max-age=60"})
    with hishel.CacheClient(storage=hishel.InMemoryStorage()) as client:
        client.get(origin.url("/a"))
        hit = client.get(origin.url("/a"))
    assert hit.extensions["cache_metadata"]["created_at"].tzinfo is not None


def write_01_entry(folder: Path, url: str, created: float) -> None:
    """One entry as hishel 0.1's FileStorage wrote it: a JSON document named by the key."""
    date = email.utils.formatdate(created, usegmt=True)
    document = {
        "response": {
            "status": 200,
            "headers": [["Cache-Control", "max-age=3600"], ["Date", date]],
            "content": base64.b64encode(b"from the 0.1 cache").decode("ascii"),
            "extensions": {"http_version": "HTTP/1.1", "reason_phrase": "OK"},
        },
        "request": {"method": "GET", "url": url, "headers": [], "extensions": {}},
        "metadata": {"cache_key": "", "number_of_uses": 0, "created_at": date},
    }
    key = generate_key(httpcore.Request("GET", url))
    document["metadata"]["cache_key"] = key
    folder.mkdir(parents=True)
    (folder / key).write_text(json.dumps(document, indent=4))


def test_a_01_cache_folder_loads_through_base_path(
    tmp_path: Path, origin: Origin, local_time_zone: None
) -> None:
    url = origin.url("/old")
    old_cache = tmp_path / ".cache" / "hishel"  # 0.1's default folder
    write_01_entry(old_cache, url, time.time() - 60)
    with hishel.CacheClient(storage=hishel.FileStorage(base_path=old_cache)) as client:
        response = client.get(url)
    assert response.extensions["from_cache"] is True
    assert response.content == b"from the 0.1 cache"
    assert origin.count() == 0
