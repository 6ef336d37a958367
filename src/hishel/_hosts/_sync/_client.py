# GENERATED from the async source by scripts/unasync.py; do not edit.
"""httpx clients whose transports (default, ``transport=``, proxies, mounts) are cached."""

from __future__ import annotations

import ssl
import typing as t

import httpx
from httpx._config import DEFAULT_LIMITS, DEFAULT_MAX_REDIRECTS, DEFAULT_TIMEOUT_CONFIG
from httpx._types import (
    AuthTypes,
    CertTypes,
    CookieTypes,
    HeaderTypes,
    ProxyTypes,
    QueryParamTypes,
    TimeoutTypes,
)

from ..._core._describe import shell_repr
from ..._core._status import CacheStats
from ..._storage._sync._storages import BaseStorage, FileStorage
from .._controller import Controller
from .._reading import send_reading_at_once
from ._transports import CacheTransport

__all__ = ["CacheClient"]

EventHook = t.Callable[..., t.Any]


class CacheClient(httpx.Client):
    """An ``httpx.Client`` with an HTTP cache.

    Args:
        storage: where responses are kept (default ``FileStorage()``), shared by every
            transport of the client.
        controller: the caching rules (default ``Controller()``).

    Every other argument is ``httpx.Client``'s, declared here with httpx's types (so a
    misspelt keyword is a type error) and passed on unchanged. The transports httpx builds or
    is given (the default one, ``transport=``, proxy transports and every ``mounts=`` value)
    are wrapped in ``CacheTransport``.
    """

    def __init__(
        self,
        *,
        storage: BaseStorage | None = None,
        controller: Controller | None = None,
        auth: AuthTypes | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        verify: ssl.SSLContext | str | bool = True,
        cert: CertTypes | None = None,
        http1: bool = True,
        http2: bool = False,
        proxy: ProxyTypes | None = None,
        mounts: t.Mapping[str, httpx.BaseTransport | None] | None = None,
        timeout: TimeoutTypes = DEFAULT_TIMEOUT_CONFIG,
        follow_redirects: bool = False,
        limits: httpx.Limits = DEFAULT_LIMITS,
        max_redirects: int = DEFAULT_MAX_REDIRECTS,
        event_hooks: t.Mapping[str, list[EventHook]] | None = None,
        base_url: httpx.URL | str = "",
        transport: httpx.BaseTransport | None = None,
        trust_env: bool = True,
        default_encoding: str | t.Callable[[bytes], str] = "utf-8",
    ) -> None:
        self._storage = storage
        self._controller = controller
        if mounts is not None:
            mounts = {
                pattern: None if mounted is None else self._wrap(mounted)
                for pattern, mounted in mounts.items()
            }
        super().__init__(
            auth=auth,
            params=params,
            headers=headers,
            cookies=cookies,
            verify=verify,
            cert=cert,
            http1=http1,
            http2=http2,
            proxy=proxy,
            mounts=mounts,
            timeout=timeout,
            follow_redirects=follow_redirects,
            limits=limits,
            max_redirects=max_redirects,
            event_hooks=event_hooks,
            base_url=base_url,
            transport=transport,
            trust_env=trust_env,
            default_encoding=default_encoding,
        )

    send = send_reading_at_once(httpx.Client.send, httpx.USE_CLIENT_DEFAULT)

    @property
    def stats(self) -> CacheStats:
        """What this client's cache transports did since they were built, summed."""
        seen: set[int] = set()
        total = CacheStats()
        for transport in [self._transport, *self._mounts.values()]:
            if isinstance(transport, CacheTransport) and id(transport) not in seen:
                seen.add(id(transport))
                total = total + transport.stats
        return total

    @property
    def storage(self) -> BaseStorage:
        """The storage of the transport this client uses by default (read-only)."""
        return self._cache_transport().storage

    @property
    def controller(self) -> Controller:
        """The Controller of the transport this client uses by default (read-only)."""
        return self._cache_transport().controller

    def __repr__(self) -> str:
        transport = self._transport
        if not isinstance(transport, CacheTransport):
            return super().__repr__()
        return shell_repr(self, None, transport.storage, transport.controller)

    def _cache_transport(self) -> CacheTransport:
        transport = self._transport
        if not isinstance(transport, CacheTransport):  # (a subclass replaced it)
            raise AttributeError(f"{type(self).__name__} has no cache transport by default")
        return transport

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
