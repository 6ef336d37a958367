"""The shell interface: a host module writes the conversions, ``handle`` strings them."""

from __future__ import annotations

import typing as t

import pytest

from hishel._core._messages import URL, Request, Response
from hishel._hosts._async._host import AsyncHost, AsyncSend


class DictHost(AsyncHost[dict[str, t.Any], dict[str, t.Any]]):
    """A host whose library speaks dictionaries; ``sent`` is what reached its transport."""

    origin_errors = (ConnectionError,)

    def __init__(self) -> None:
        self.sent: list[Request] = []

    async def request_in(self, request: dict[str, t.Any]) -> Request:
        return Request(request["method"], URL(b"http", b"a.test", None, request["path"]))

    async def send(self, request: Request) -> Response:
        self.sent.append(request)
        own = {"status": 200, "body": b"from the origin"}
        return Response(200, [(b"Content-Length", b"15")], origin=own)

    def response_out(self, response: Response) -> dict[str, t.Any]:
        if response.origin is not None:
            return t.cast("dict[str, t.Any]", response.origin)
        return {"status": response.status, "body": response.content()}


@pytest.mark.anyio
async def test_a_host_converts_in_lets_the_core_answer_and_converts_out_once() -> None:
    host = DictHost()
    seen: list[Request] = []

    async def stored(request: Request, send: AsyncSend) -> Response:
        seen.append(request)
        return Response(203)

    answer = await host.handle({"method": b"GET", "path": b"/x"}, stored)
    assert answer == {"status": 203, "body": b""}
    assert [bytes(r.url) for r in seen] == [b"http://a.test/x"]
    assert host.sent == []


@pytest.mark.anyio
async def test_a_host_hands_back_its_own_response_when_the_core_passes_it_through() -> None:
    host = DictHost()

    async def forward(request: Request, send: AsyncSend) -> Response:
        return await send(request)

    answer = await host.handle({"method": b"GET", "path": b"/y"}, forward)
    assert answer == {"status": 200, "body": b"from the origin"}
    assert [r.url.target for r in host.sent] == [b"/y"]
