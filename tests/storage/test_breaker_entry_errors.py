"""Only backend failures open the storage breaker; an error about one
entry or key is a miss for that request alone."""

from __future__ import annotations

import errno
import sqlite3

import botocore.exceptions
import pytest
import redis

from hishel._storage._breaker import Breaker, backend_failure
from tests.storage_fixtures import FakeClock


def client_error(code: str, status: int = 400) -> botocore.exceptions.ClientError:
    response = {"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return botocore.exceptions.ClientError(response, "GetObject")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "exc",
    [
        TimeoutError(),
        ConnectionRefusedError(),
        redis.ConnectionError("down"),
        redis.TimeoutError(),
        redis.AuthenticationError("bad password"),
        botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:1"),
        botocore.exceptions.ReadTimeoutError(endpoint_url="http://127.0.0.1:1"),
        botocore.exceptions.NoCredentialsError(),
        client_error("AccessDenied", 403),
        client_error("NoSuchBucket", 404),
        client_error("InternalError", 500),
        sqlite3.OperationalError("database is locked"),
        OSError(errno.ENOSPC, "No space left on device"),
    ],
)
def test_backend_failures_open_the_breaker(exc: BaseException) -> None:
    assert backend_failure(exc)
    breaker = Breaker(FakeClock())
    breaker.failed("read", exc)
    assert not breaker.available()


@pytest.mark.parametrize(
    "exc",
    [
        ValueError("bad key"),
        client_error("KeyTooLongError"),
        redis.DataError("invalid input"),
        redis.ResponseError("value is not valid"),
        OSError(errno.ENAMETOOLONG, "File name too long"),
        UnicodeEncodeError("ascii", "é", 0, 1, "bad"),
    ],
)
def test_entry_errors_are_a_miss_for_that_request_alone(
    exc: BaseException, caplog: pytest.LogCaptureFixture
) -> None:
    assert not backend_failure(exc)
    breaker = Breaker(FakeClock())
    breaker.failed("read", exc)
    assert breaker.available()
    assert "one entry" in caplog.text
