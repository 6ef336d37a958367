"""The httpcore shell: an httpcore request interface over the flow."""

from __future__ import annotations

import typing as t

import httpcore
from httpcore._async.interfaces import AsyncRequestInterface

from ..._core._describe import shell_repr
from ..._core._messages import Request, Response
from ..._storage._async._storages import AsyncBaseStorage
from .._controller import Controller
from .._httpcore import core_request, core_response, httpcore_request, httpcore_response
from ._host import AsyncHost
from ._shell import AsyncShell

__all__ = ["AsyncCacheConnectionPool"]


class AsyncCacheConnectionPool(
    AsyncShell, AsyncHost[httpcore.Request, httpcore.Response], AsyncRequestInterface
):
    """An httpcore connection pool (or any request interface) that caches responses.

    Args:
        pool: the httpcore pool or request interface to wrap.
        storage: where responses are kept (default ``AsyncFileStorage()``).
        controller: the caching rules (default ``Controller()``).
    """

    origin_errors = (
        httpcore.NetworkError,
        httpcore.TimeoutException,
        httpcore.RemoteProtocolError,
        httpcore.ProxyError,
    )
    read_error = httpcore.ReadError

    def __init__(
        self,
        pool: AsyncRequestInterface,
        storage: AsyncBaseStorage | None = None,
        controller: Controller | None = None,
    ) -> None:
        self._pool = pool
        self._build(storage, controller)

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        # (``handle``'s path, without its two coroutines: the conversion in is plain)
        return self.response_out(await self._flow.handle(core_request(request), self.send))

    async def request_in(self, request: httpcore.Request) -> Request:
        return core_request(request)

    async def send(self, request: Request) -> Response:
        return core_response(await self._pool.handle_async_request(httpcore_request(request)))

    def response_out(self, response: Response) -> httpcore.Response:
        return httpcore_response(response, self.body_out(response.stream))

    async def aclose(self) -> None:
        await self._flow.aclose()
        close = getattr(self._pool, "aclose", None)
        if close is not None:
            await close()

    def __repr__(self) -> str:
        return shell_repr(self, self._pool, self._storage, self._controller)

    async def __aenter__(self) -> AsyncCacheConnectionPool:
        return self

    async def __aexit__(self, *args: t.Any) -> None:
        await self.aclose()
