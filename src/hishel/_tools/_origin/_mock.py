"""The origin in process: an ``httpx.MockTransport`` answering from the same routes."""

from __future__ import annotations

import types
import typing as t
from collections.abc import AsyncIterator, Iterable

import httpx

from ._messages import NO_BODY_STATUS, Headers, OriginRequest, date_now

if t.TYPE_CHECKING:
    from . import Origin


async def _apieces(pieces: Iterable[bytes]) -> AsyncIterator[bytes]:
    for piece in pieces:
        yield piece


def mock_transport(origin: Origin, asynchronous: bool, library: types.ModuleType = httpx) -> t.Any:
    """``library.MockTransport`` (httpx's, or httpx2's: the same API) answering as ``origin``."""

    def handle(request: t.Any) -> t.Any:
        target = request.url.raw_path.decode("ascii")
        path, _, query = target.partition("?")
        received = OriginRequest(
            method=request.method,
            target=target,
            path=path,
            query=query,
            headers=Headers(
                [(n.decode("latin-1"), v.decode("latin-1")) for n, v in request.headers.raw]
            ),
            body=request.content,
            connection=0,
        )
        route = origin._record(received)
        status, headers, body = origin._answer(received, route)
        raw = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in headers]
        if not any(name.lower() == b"date" for name, _ in raw):
            raw.append((b"Date", date_now().encode("latin-1")))
        if status in NO_BODY_STATUS or request.method == "HEAD":
            body = b""
        content: t.Any = body
        if not isinstance(body, bytes):
            content = _apieces(body) if asynchronous else iter(body)
        return library.Response(status, headers=raw, content=content)

    return library.MockTransport(handle)
