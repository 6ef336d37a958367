"""The storage breaker: after a storage failure, leave the storage alone for a while.

A storage that is down (and slow to say so) then costs one request its latency, not every
request: for ``cooldown`` seconds the flow serves without the cache, then tries again.
Time is read only through the injected clock.

Only a failure of the backend itself opens it (connection, timeout, authentication, a
locked or unwritable store: ``backend_failure``); an error about one entry or key (a key
the backend refuses, an oversized key, a value it cannot take) is a miss for that request
alone, logged, and the next request uses the storage as usual.
"""

from __future__ import annotations

import errno
import logging
import typing as t

from .._core._clock import Clock

__all__ = ["STORAGE_COOLDOWN", "Breaker", "backend_failure"]

# Exception class names (anywhere in the MRO) that mean the backend, not one entry, failed:
# builtins, redis-py, botocore, sqlite3, anyio.
_BACKEND_ERRORS = frozenset(
    {
        "TimeoutError",
        "ConnectionError",
        "AuthenticationError",
        "AuthenticationWrongNumberOfArgsError",
        "BusyLoadingError",
        "ClusterDownError",
        "MaxConnectionsError",
        "EndpointConnectionError",
        "ConnectTimeoutError",
        "ReadTimeoutError",
        "ConnectionClosedError",
        "NoCredentialsError",
        "PartialCredentialsError",
        "OperationalError",
        "ProgrammingError",  # sqlite3: a connection used from another thread, or closed
        "BrokenResourceError",
        "ClosedResourceError",
    }
)
# S3 error codes about the service or the credentials, not about one object key.
_BACKEND_CODES = frozenset(
    {
        "AccessDenied",
        "AllAccessDisabled",
        "ExpiredToken",
        "InvalidAccessKeyId",
        "InvalidToken",
        "NoSuchBucket",
        "SignatureDoesNotMatch",
        "ServiceUnavailable",
        "SlowDown",
        "InternalError",
        "RequestTimeout",
    }
)
# OS errors about one path (a key that makes a bad file name), not the disk.
_ENTRY_ERRNOS = frozenset({errno.ENAMETOOLONG, errno.EINVAL, errno.EILSEQ})


_THREAD_HINT = (
    "hishel: the SQLite connection given to SQLiteStorage was created in another thread and "
    "sqlite3 refuses to use it here, so every request is a cache miss. Fix: open it with "
    "sqlite3.connect(path, check_same_thread=False), or pass the path itself: "
    "SQLiteStorage(connection=path) (the storage then serializes access across threads)"
)


def _why(exc: BaseException | None) -> str:
    """The failure in a few words (its type, and an S3 error code); never its arguments."""
    if exc is None:
        return "error"
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        code = str(response.get("Error", {}).get("Code", ""))
        if code == "NoSuchBucket":
            return "the bucket does not exist"
        if code:
            return f"{type(exc).__name__} {code}"
    return type(exc).__name__


def local_mistake(exc: BaseException) -> str | None:
    """A clear message with the fix, for a failure that is a configuration mistake."""
    if type(exc).__name__ == "ProgrammingError" and "thread" in str(exc):
        return _THREAD_HINT
    return None


def backend_failure(exc: BaseException) -> bool:
    """Whether ``exc`` says the backend is unusable (True) or only one entry is (False)."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if names & _BACKEND_ERRORS:
        return True
    response = getattr(exc, "response", None)
    if "ClientError" in names and isinstance(response, dict):
        code = str(response.get("Error", {}).get("Code", ""))
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return code in _BACKEND_CODES or (isinstance(status, int) and status >= 500)
    if isinstance(exc, OSError):
        return exc.errno not in _ENTRY_ERRNOS
    return False


logger = logging.getLogger("hishel")

STORAGE_COOLDOWN = 5.0  # seconds without storage calls after a storage failure


class Breaker:
    """Open (storage bypassed) for ``cooldown`` seconds after each failure."""

    def __init__(
        self,
        clock: Clock,
        cooldown: float = STORAGE_COOLDOWN,
        where: str = "storage",
        on_failure: t.Callable[[], None] | None = None,
    ) -> None:
        self._clock = clock
        self._where = where
        self._cooldown = cooldown
        self._on_failure = on_failure
        self._open_until: float | None = None
        self._hinted: set[str] = set()
        self._down = False  # a failure was reported and no call has succeeded since

    def available(self) -> bool:
        """Whether the storage may be called now."""
        return self._open_until is None or self._clock.now() >= self._open_until

    def succeeded(self) -> None:
        """A storage call worked: a later failure is a new outage (reported again)."""
        if self._down:
            self._down = False
            logger.info("hishel: %s works again; the cache is used", self._where)

    def failed(self, what: str, exc: BaseException | None = None) -> None:
        """Record a failure of ``what`` (read, write, ...): open for the cooldown when the
        backend failed; an error about one entry is only logged (a miss for this request)."""
        if exc is not None and not backend_failure(exc):
            if self._on_failure is not None:
                self._on_failure()
            logger.warning(
                "hishel: storage %s failed for one entry (%s); a miss for this request",
                what,
                type(exc).__name__,
            )
            logger.debug("hishel: the entry error", exc_info=exc)
            return
        self._open_until = self._clock.now() + self._cooldown
        if self._on_failure is not None:
            self._on_failure()
        hint = local_mistake(exc) if exc is not None else None
        if hint is not None and hint not in self._hinted:
            self._hinted.add(hint)  # reported once, clearly
            logger.error(hint)
        level = logging.DEBUG if self._down else logging.WARNING  # one WARNING per outage
        self._down = True
        logger.log(
            level,
            "hishel: storage %s: %s failed (%s); serving without the cache for %.0f s",
            self._where,
            what,
            _why(exc),
            self._cooldown,
        )
        logger.debug("hishel: the storage failure", exc_info=exc)
