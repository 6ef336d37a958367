"""Builders for the policy tables: heads from ``"Name: value"`` lines, dates relative to NOW."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from email.utils import formatdate
from typing import Any

import pytest

from hishel._policy import (
    Headers,
    PolicyOptions,
    RequestHead,
    ResponseHead,
    Revalidate,
    StoredHead,
    UseStored,
    reuse,
)

NOW = 1_700_000_000.0
"""The fixed clock of every table: 2023-11-14T22:13:20Z."""

URL = "https://example.com/resource"


def http_date(seconds_ago: float) -> str:
    """An IMF-fixdate ``seconds_ago`` before NOW (negative: in the future)."""
    return formatdate(NOW - seconds_ago, usegmt=True)


def date(seconds_ago: float) -> str:
    return f"Date: {http_date(seconds_ago)}"


def expires(seconds_ago: float) -> str:
    return f"Expires: {http_date(seconds_ago)}"


def last_modified(seconds_ago: float) -> str:
    return f"Last-Modified: {http_date(seconds_ago)}"


def headers(lines: Iterable[str]) -> Headers:
    """``["Name: value", ...]`` as policy headers (names lower-cased, order kept)."""
    out: list[tuple[str, str]] = []
    for line in lines:
        name, _, value = line.partition(":")
        out.append((name.strip().lower(), value.strip()))
    return tuple(out)


def request(lines: Iterable[str] = (), method: str = "GET", url: str = URL) -> RequestHead:
    return RequestHead(method, url, headers(lines))


def response(lines: Iterable[str] = (), status: int = 200) -> ResponseHead:
    return ResponseHead(status, headers(lines))


def stored(
    resp: Iterable[str],
    *,
    req: Iterable[str] = (),
    status: int = 200,
    method: str = "GET",
    received: float = 0.0,
    delay: float = 0.0,
) -> StoredHead:
    """A stored response received ``received`` seconds before NOW, after ``delay`` in flight."""
    response_time = NOW - received
    return StoredHead(
        request(req, method), response(resp, status), response_time - delay, response_time
    )


def options(**kwargs: Any) -> PolicyOptions:
    if "cacheable_methods" in kwargs:
        kwargs["cacheable_methods"] = frozenset(kwargs["cacheable_methods"])
    if kwargs.get("cacheable_status_codes") is not None:
        kwargs["cacheable_status_codes"] = frozenset(kwargs["cacheable_status_codes"])
    return PolicyOptions(**kwargs)


def value_of(items: Headers, name: str) -> list[str]:
    return [v for n, v in items if n == name]


def check(decision: object, expected: Mapping[str, Any]) -> None:
    """Compare the decision's fields with ``expected``.

    Plain keys are attributes. ``sends`` maps a header to its expected values (``[]`` when
    absent) in ``decision.headers``; ``fallback`` is ``None`` or a mapping checked the same
    way against ``decision.fallback``; ``reason`` is a substring of ``decision.reason``.
    """
    for key, want in expected.items():
        if key == "reason":
            assert want in decision.reason, decision  # type: ignore[attr-defined]
        elif key == "sends":
            for name, values in want.items():
                got = value_of(decision.headers, name)  # type: ignore[attr-defined]
                assert got == values, (name, decision)
        elif key == "names":
            got_names = [n for n, _ in decision.headers]  # type: ignore[attr-defined]
            assert got_names == want, decision
        elif key == "fallback":
            assert isinstance(decision, Revalidate)
            if want is None:
                assert decision.fallback is None, decision
            else:
                assert isinstance(decision.fallback, UseStored), decision
                check(decision.fallback, want)
        else:
            assert getattr(decision, key) == want, (key, decision)


# -- reuse tables ----------------------------------------------------------------------------

ETAG = 'ETag: "v1"'
STALE = {"stale": True}
FRESH = ["Cache-Control: max-age=60", date(10), ETAG]
"""max-age=60, generated and received 10 s before NOW, with a validator."""
FRESH_NO_VALIDATOR = ["Cache-Control: max-age=60", date(10)]
STALE_ETAG = ["Cache-Control: max-age=60", date(100), ETAG]
"""max-age=60, generated and received 100 s before NOW: stale by 40 s."""


def reuse_row(
    id: str,
    expect: type,
    *,
    req: tuple[str, ...] | list[str] = (),
    resp: tuple[str, ...] | list[str] = (),
    sreq: tuple[str, ...] | list[str] | None = None,
    received: float = 0.0,
    delay: float = 0.0,
    opts: dict[str, Any] | None = None,
    method: str = "GET",
    smethod: str = "GET",
    sstatus: int = 200,
    **checks: Any,
) -> Any:
    case = {
        "req": req,
        "resp": resp,
        "sreq": req if sreq is None else sreq,
        "received": received,
        "delay": delay,
        "opts": opts or {},
        "method": method,
        "smethod": smethod,
        "sstatus": sstatus,
        "expect": expect,
        "checks": checks,
    }
    return pytest.param(case, id=id)


def run_reuse(case: dict[str, Any]) -> None:
    """Build the stored entry and the request of a ``reuse_row``, decide, and check."""
    entry = stored(
        case["resp"],
        req=case["sreq"],
        status=case["sstatus"],
        method=case["smethod"],
        received=case["received"],
        delay=case["delay"],
    )
    head, opts = request(case["req"], case["method"]), options(**case["opts"])
    decision = reuse(head, entry, opts, NOW)
    assert isinstance(decision, case["expect"]), decision
    check(decision, case["checks"])
    # validated_reuse's question: the same UseStored, and no UseStored where it is not one
    validating = reuse(head, entry, opts, NOW, validating=True)
    if isinstance(decision, UseStored):
        assert validating == decision
    else:
        assert validating is None or validating == decision
