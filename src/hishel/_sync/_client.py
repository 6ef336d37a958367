# GENERATED from the async source by scripts/unasync.py; do not edit.
"""httpx clients whose transports (default, ``transport=``, proxies, mounts) are cached."""

from __future__ import annotations

import typing as t

import httpx

from .._controller import Controller
from ._storages import BaseStorage, FileStorage
from ._transports import CacheTransport

__all__ = ["CacheClient"]


class CacheClient(httpx.Client):
    """An ``httpx.Client`` with an HTTP cache.

    Args:
        storage: where responses are kept (default ``FileStorage()``).
        controller: the caching rules (default ``Controller()``).

    Every other argument is passed to ``httpx.Client`` unchanged.
    """

    def __init__(
        self,
        *args: t.Any,
        storage: BaseStorage | None = None,
        controller: Controller | None = None,
        **kwargs: t.Any,
    ) -> None:
        self._storage = storage
        self._controller = controller
        super().__init__(*args, **kwargs)

    def _wrap(self, transport: httpx.BaseTransport) -> CacheTransport:
        if isinstance(transport, CacheTransport):
            return transport
        if self._storage is None:
            self._storage = FileStorage()  # one default storage for every transport
        return CacheTransport(transport, self._storage, self._controller)

    def _init_transport(self, *args: t.Any, **kwargs: t.Any) -> httpx.BaseTransport:
        return self._wrap(super()._init_transport(*args, **kwargs))

    def _init_proxy_transport(self, *args: t.Any, **kwargs: t.Any) -> httpx.BaseTransport:
        return self._wrap(super()._init_proxy_transport(*args, **kwargs))
