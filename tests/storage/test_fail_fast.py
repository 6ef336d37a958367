"""Fail fast where the mistake is local, degrade where the service is remote:
FileStorage paths checked at construction; a sqlite3 connection bound to another
thread reported once with the fix; an unreachable Redis / S3 one WARNING line naming it."""

from __future__ import annotations

import logging
import sqlite3
import threading
import typing as t
from pathlib import Path

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

import hishel
from tests.origin import Origin
from tests.storage_fixtures import FakeClock, _free_port


def test_file_storage_expands_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    storage = hishel.FileStorage(base_path="~/cache")
    assert storage._base_path == tmp_path / "cache"
    assert not (tmp_path / "~").exists()


def test_file_storage_base_path_that_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "a-file"
    path.write_text("x")
    with pytest.raises(ValueError, match=r"a-file.*is a file"):
        hishel.FileStorage(base_path=path)
    with pytest.raises(ValueError, match="cannot be created"):
        hishel.AsyncFileStorage(base_path=path / "below")


def test_file_storage_base_path_not_writable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("os.access", lambda *args, **kwargs: False)
    with pytest.raises(PermissionError, match="write access"):
        hishel.FileStorage(base_path=tmp_path / "new")
    with pytest.raises(PermissionError, match="not writable"):
        hishel.FileStorage(base_path=tmp_path)


def test_file_storage_default_path_still_lazy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    hishel.FileStorage()
    assert not (tmp_path / ".hishel_cache").exists()


def _in_thread(fn: t.Callable[[], None]) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            fn()
        except BaseException as exc:  # pragma: no cover - surfaced below
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not errors, errors


def test_sqlite_connection_of_another_thread_is_reported_once(
    tmp_path: Path, origin: Origin, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    origin.route("/s", body=b"s", headers={"Cache-Control": "max-age=600"})
    storage = hishel.SQLiteStorage(connection=sqlite3.connect(tmp_path / "c.db"))
    client = hishel.CacheClient(storage=storage, controller=hishel.Controller(clock=clock))
    answers: list[int] = []

    def requests() -> None:
        for _ in range(3):
            answers.append(client.get(origin.url("/s")).status_code)
            clock.advance(60)  # past the breaker's cooldown: the storage is tried again

    _in_thread(requests)
    assert answers == [200, 200, 200]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert "check_same_thread=False" in errors[0].getMessage()


def test_unreachable_redis_is_one_warning_naming_it(
    origin: Origin, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="hishel")
    port = _free_port()  # nothing listens there
    origin.route("/r", body=b"r", headers={"Cache-Control": "max-age=600"})
    client = redis.Redis(host="127.0.0.1", port=port, retry=Retry(NoBackoff(), 0))
    storage = hishel.RedisStorage(client=client)
    with hishel.CacheClient(storage=storage, controller=hishel.Controller(clock=clock)) as http:
        for _ in range(4):
            assert http.get(origin.url("/r")).status_code == 200
            clock.advance(60)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert f"127.0.0.1:{port}" in warnings[0].getMessage()
    assert warnings[0].exc_info is None


def test_missing_s3_bucket_says_so(
    s3_client: t.Any, origin: Origin, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    origin.route("/b", body=b"b", headers={"Cache-Control": "max-age=600"})
    storage = hishel.S3Storage(bucket_name="no-such-bucket-here", client=s3_client)
    with hishel.CacheClient(storage=storage, controller=hishel.Controller(clock=clock)) as http:
        assert http.get(origin.url("/b")).status_code == 200
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    message = warnings[0].getMessage()
    assert "no-such-bucket-here" in message and "does not exist" in message
    assert warnings[0].exc_info is None
