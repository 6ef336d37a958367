"""Messages and models for the 0.1 Controller method tests."""

from __future__ import annotations

import logging
import typing as t
from email.utils import formatdate

import httpcore

NOW = 1_700_000_000.0
URL = "https://example.test/page?q=secret"
SAFE = "https://example.test/page"  # 0.1's log form: no query


def date(seconds_ago: float) -> str:
    return formatdate(NOW - seconds_ago, usegmt=True)


def req(*lines: tuple[str, str], method: str = "GET", **ext: t.Any) -> httpcore.Request:
    return httpcore.Request(method, URL, headers=list(lines), extensions=ext)


def resp(*lines: tuple[str, str], status: int = 200) -> httpcore.Response:
    return httpcore.Response(status, headers=list(lines), content=b"stored")


def considering(verdict: str, why: str) -> str:
    return f"Considering the resource located at {SAFE} as {verdict} since {why}."


def logged_by(call: t.Callable[[], object]) -> list[str]:
    """The lines ``call`` logs on ``hishel.controller``."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("hishel.controller")
    handler, level = Keep(logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        call()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return [r.getMessage() for r in records]
