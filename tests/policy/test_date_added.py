"""RFC 9110 §6.6.1: a cache with a clock adds Date to a response that lacks one."""

from __future__ import annotations

import pytest

from hishel._policy import UseStored, reuse, served_headers

from .helpers import NOW, date, http_date, options, request, stored, value_of


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(["Cache-Control: max-age=600"], [http_date(30)], id="9110-6.6.1-added"),
        pytest.param(
            ["Cache-Control: max-age=600", date(40)], [http_date(40)], id="9110-6.6.1-kept"
        ),
        pytest.param(
            ["Cache-Control: max-age=600", "Date: yesterday"],
            ["yesterday"],
            id="9110-6.6.1-invalid-kept-not-doubled",
        ),
    ],
)
def test_served_response_carries_one_date(lines: list[str], expected: list[str]) -> None:
    entry = stored(lines, received=30)
    decision = reuse(request(), entry, options(), NOW)
    assert isinstance(decision, UseStored)
    assert value_of(decision.headers, "date") == expected
    assert value_of(served_headers(entry, NOW), "date") == expected
