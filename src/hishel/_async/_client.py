"""httpx clients whose transports (default, ``transport=``, proxies, mounts) are cached."""

from __future__ import annotations

import typing as t

import httpx

from .._controller import Controller
from ._storages import AsyncBaseStorage, AsyncFileStorage
from ._transports import AsyncCacheTransport

__all__ = ["AsyncCacheClient"]


class AsyncCacheClient(httpx.AsyncClient):
    """An ``httpx.AsyncClient`` with an HTTP cache.

    Args:
        storage: where responses are kept (default ``AsyncFileStorage()``).
        controller: the caching rules (default ``Controller()``).

    Every other argument is passed to ``httpx.AsyncClient`` unchanged.
    """

    def __init__(
        self,
        *args: t.Any,
        storage: AsyncBaseStorage | None = None,
        controller: Controller | None = None,
        **kwargs: t.Any,
    ) -> None:
        self._storage = storage
        self._controller = controller
        super().__init__(*args, **kwargs)

    def _wrap(self, transport: httpx.AsyncBaseTransport) -> AsyncCacheTransport:
        if isinstance(transport, AsyncCacheTransport):
            return transport
        if self._storage is None:
            self._storage = AsyncFileStorage()  # one default storage for every transport
        return AsyncCacheTransport(transport, self._storage, self._controller)

    def _init_transport(self, *args: t.Any, **kwargs: t.Any) -> httpx.AsyncBaseTransport:
        return self._wrap(super()._init_transport(*args, **kwargs))

    def _init_proxy_transport(self, *args: t.Any, **kwargs: t.Any) -> httpx.AsyncBaseTransport:
        return self._wrap(super()._init_proxy_transport(*args, **kwargs))
