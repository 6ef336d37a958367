# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The httpcore shell: an httpcore request interface over the flow."""

from __future__ import annotations

import typing as t

import httpcore
from httpcore._sync.interfaces import RequestInterface

from ..._core._describe import shell_repr
from ..._core._messages import Request, Response
from ..._storage._sync._storages import BaseStorage
from .._controller import Controller
from .._httpcore import core_request, core_response, httpcore_request, httpcore_response
from ._host import Host
from ._shell import Shell

__all__ = ["CacheConnectionPool"]


class CacheConnectionPool(
    Shell, Host[httpcore.Request, httpcore.Response], RequestInterface
):
    """An httpcore connection pool (or any request interface) that caches responses.

    Args:
        pool: the httpcore pool or request interface to wrap.
        storage: where responses are kept (default ``FileStorage()``).
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
        pool: RequestInterface,
        storage: BaseStorage | None = None,
        controller: Controller | None = None,
    ) -> None:
        self._pool = pool
        self._build(storage, controller)

    def handle_request(self, request: httpcore.Request) -> httpcore.Response:
        # (``handle``'s path, without its two coroutines: the conversion in is plain)
        return self.response_out(self._flow.handle(core_request(request), self.send))

    def request_in(self, request: httpcore.Request) -> Request:
        return core_request(request)

    def send(self, request: Request) -> Response:
        return core_response(self._pool.handle_request(httpcore_request(request)))

    def response_out(self, response: Response) -> httpcore.Response:
        return httpcore_response(response, self.body_out(response.stream))

    def close(self) -> None:
        self._flow.close()
        close = getattr(self._pool, "close", None)
        if close is not None:
            close()

    def __repr__(self) -> str:
        return shell_repr(self, self._pool, self._storage, self._controller)

    def __enter__(self) -> CacheConnectionPool:
        return self

    def __exit__(self, *args: t.Any) -> None:
        self.close()
