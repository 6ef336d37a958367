"""0.1's logger name: the decision line is reachable as ``hishel.controller`` and as ``hishel``."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest

import hishel
from tests.origin import Origin


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines(self) -> list[str]:
        return [record.getMessage() for record in self.records]


@pytest.fixture
def loggers() -> Iterator[tuple[logging.Logger, logging.Logger]]:
    """``hishel`` and ``hishel.controller``, restored to their state after the test."""
    pair = logging.getLogger("hishel"), logging.getLogger("hishel.controller")
    saved = [(lg.level, list(lg.handlers), lg.propagate) for lg in pair]
    try:
        yield pair
    finally:
        for lg, (level, handlers, propagate) in zip(pair, saved, strict=True):
            lg.setLevel(level)
            lg.handlers[:] = handlers
            lg.propagate = propagate


def fetch_twice(origin: Origin) -> None:
    origin.route("/a", body=b"x", headers={"Cache-Control": "max-age=60"})
    with hishel.CacheClient(storage=hishel.InMemoryStorage()) as client:
        client.get(origin.url("/a?token=secret"))
        client.get(origin.url("/a?token=secret"))


def test_controller_logger_at_debug_shows_the_decision_lines(
    origin: Origin, loggers: tuple[logging.Logger, logging.Logger]
) -> None:
    parent, controller = loggers
    parent.setLevel(logging.WARNING)  # the parent is not enabled for DEBUG itself
    handler = Collect()
    controller.setLevel(logging.DEBUG)
    controller.addHandler(handler)
    fetch_twice(origin)
    lines = handler.lines()
    assert len(lines) == 2, lines
    assert lines[0].startswith(f"GET {origin.url('/a')}: ") and "Store" in lines[0]
    assert "UseStored" in lines[1]
    assert all("secret" not in line for line in lines)


def test_hishel_logger_at_debug_sees_each_decision_line_once(
    origin: Origin, loggers: tuple[logging.Logger, logging.Logger]
) -> None:
    parent, _ = loggers
    handler = Collect()
    parent.setLevel(logging.DEBUG)
    parent.addHandler(handler)
    fetch_twice(origin)
    assert len(handler.lines()) == 2, handler.lines()


def test_both_loggers_with_handlers_each_see_each_line_once(
    origin: Origin, loggers: tuple[logging.Logger, logging.Logger]
) -> None:
    parent, controller = loggers
    on_parent, on_controller = Collect(), Collect()
    parent.addHandler(on_parent)
    controller.addHandler(on_controller)
    controller.setLevel(logging.DEBUG)
    fetch_twice(origin)
    assert len(on_controller.lines()) == 2
    assert on_parent.lines() == on_controller.lines()


def test_nothing_at_debug_means_no_decision_line(
    origin: Origin, loggers: tuple[logging.Logger, logging.Logger]
) -> None:
    parent, controller = loggers
    parent.setLevel(logging.INFO)
    handler = Collect()
    parent.addHandler(handler)
    controller.addHandler(handler)
    fetch_twice(origin)
    assert handler.lines() == []


def test_other_records_of_hishel_stay_on_hishel(
    loggers: tuple[logging.Logger, logging.Logger],
) -> None:
    parent, controller = loggers
    on_parent, on_controller = Collect(), Collect()
    parent.addHandler(on_parent)
    controller.addHandler(on_controller)
    parent.warning("storage down")
    assert [(r.name, r.getMessage()) for r in on_parent.records] == [("hishel", "storage down")]
    assert on_controller.records == []


def test_logging_configured_before_hishel_is_imported() -> None:
    """The 0.1 docs' recipe, run as a program: configure logging first, then import hishel."""
    program = """
import logging
import subprocess
import sys
logging.basicConfig(format="%(message)s")
logging.getLogger("hishel.controller").setLevel(logging.DEBUG)
import httpx, hishel
transport = hishel.MockTransport()
transport.add_responses([httpx.Response(200, headers={"Cache-Control": "max-age=9"})])
with hishel.CacheClient(transport=transport, storage=hishel.InMemoryStorage()) as client:
    client.get("https://a.test/x")
    client.get("https://a.test/x")
"""
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    lines = result.stderr.splitlines()
    assert len(lines) == 2, result.stderr
    assert all(line.startswith("GET https://a.test/x: ") for line in lines)
