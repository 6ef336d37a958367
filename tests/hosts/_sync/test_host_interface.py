# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The shell interface: a host module writes the conversions, ``handle`` strings them."""

from __future__ import annotations

import typing as t

import pytest

from hishel._core._messages import URL, Request, Response
from hishel._hosts._sync._host import Host, Send


class DictHost(Host[dict[str, t.Any], dict[str, t.Any]]):
    """A host whose library speaks dictionaries; ``sent`` is what reached its transport."""

    origin_errors = (ConnectionError,)

    def __init__(self) -> None:
        self.sent: list[Request] = []

    def request_in(self, request: dict[str, t.Any]) -> Request:
        return Request(request["method"], URL(b"http", b"a.test", None, request["path"]))

    def send(self, request: Request) -> Response:
        self.sent.append(request)
        own = {"status": 200, "body": b"from the origin"}
        return Response(200, [(b"Content-Length", b"15")], origin=own)

    def response_out(self, response: Response) -> dict[str, t.Any]:
        if response.origin is not None:
            return t.cast("dict[str, t.Any]", response.origin)
        return {"status": response.status, "body": response.content()}


def test_a_host_converts_in_lets_the_core_answer_and_converts_out_once() -> None:
    host = DictHost()
    seen: list[Request] = []

    def stored(request: Request, send: Send) -> Response:
        seen.append(request)
        return Response(203)

    answer = host.handle({"method": b"GET", "path": b"/x"}, stored)
    assert answer == {"status": 203, "body": b""}
    assert [bytes(r.url) for r in seen] == [b"http://a.test/x"]
    assert host.sent == []


def test_a_host_hands_back_its_own_response_when_the_core_passes_it_through() -> None:
    host = DictHost()

    def forward(request: Request, send: Send) -> Response:
        return send(request)

    answer = host.handle({"method": b"GET", "path": b"/y"}, forward)
    assert answer == {"status": 200, "body": b"from the origin"}
    assert [r.url.target for r in host.sent] == [b"/y"]
