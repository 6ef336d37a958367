"""hishel for requests: ``CacheSession``, a ``requests.Session`` that caches responses, and
``CacheAdapter``, the transport adapter it mounts (mount it on any session yourself).

They share hishel's sync storages and ``Controller`` with the httpx clients: an entry stored
through one is served through the other. Their responses are ``CacheResponse`` (requests'
``Response`` with ``from_cache``, ``revalidated``, ``cache_status``, ``cache_metadata``).
Needs the ``requests`` extra (``pip install "hishel[requests]"``); importing ``hishel`` alone
never imports requests.

``CacheSession.request`` hands ``force_cache`` / ``cache_disabled`` to the adapter's ``send``
through a context variable set for the call, so the redirects it follows carry them too.
"""

from __future__ import annotations

try:
    import requests
except ImportError as exc:  # pragma: no cover - exercised in a subprocess
    raise ImportError(
        'hishel.requests needs the requests library: pip install "hishel[requests]"'
    ) from exc

import contextvars
import typing as t

from .._core._describe import shell_repr
from .._hosts._controller import Controller
from .._hosts._requests import CacheAdapter, CacheResponse
from .._storage._sync._storages import BaseStorage

__all__ = ["CacheAdapter", "CacheResponse", "CacheSession"]

_OPTIONS: contextvars.ContextVar[dict[str, bool] | None] = contextvars.ContextVar(
    "hishel_requests_options", default=None
)  # the force_cache / cache_disabled of the CacheSession.request under way in this context


class CacheSession(requests.Session):
    """A ``requests.Session`` that caches responses: a ``CacheAdapter`` mounted for
    ``http://`` and ``https://``. ``close()`` (or leaving ``with``) closes the storage.

    ``request()`` and the verb methods also take ``force_cache`` (store and reuse regardless
    of caching headers) and ``cache_disabled`` (go to the origin, store nothing).

    Args:
        storage: where responses are kept (a sync storage; default ``FileStorage()``).
        controller: the caching rules (default ``Controller()``).
    """

    def __init__(
        self, storage: BaseStorage | None = None, controller: Controller | None = None
    ) -> None:
        super().__init__()
        self._cache_adapter = CacheAdapter(storage, controller)
        self.mount("http://", self._cache_adapter)
        self.mount("https://", self._cache_adapter)

    @property
    def storage(self) -> BaseStorage:
        """The storage this session keeps responses in."""
        return self._cache_adapter.storage

    @property
    def controller(self) -> Controller:
        """The Controller deciding what is stored and reused."""
        return self._cache_adapter.controller

    def request(
        self,
        method: str | bytes,
        url: str | bytes,
        *args: t.Any,
        force_cache: bool | None = None,
        cache_disabled: bool | None = None,
        **kwargs: t.Any,
    ) -> CacheResponse:
        """``requests.Session.request`` with the cache's ``force_cache`` / ``cache_disabled``."""
        # (a CacheResponse from the CacheAdapter mounted for http:// and https://)
        if force_cache is None and cache_disabled is None and _OPTIONS.get() is None:
            return t.cast(CacheResponse, super().request(method, url, *args, **kwargs))
        options = {"force_cache": force_cache, "cache_disabled": cache_disabled}
        token = _OPTIONS.set({k: v for k, v in options.items() if v is not None} or None)
        try:
            return t.cast(CacheResponse, super().request(method, url, *args, **kwargs))
        finally:
            _OPTIONS.reset(token)

    def send(self, request: requests.PreparedRequest, **kwargs: t.Any) -> requests.Response:
        options = _OPTIONS.get()
        if options and isinstance(self.get_adapter(request.url or ""), CacheAdapter):
            kwargs.update(options)
        return super().send(request, **kwargs)

    def get(self, url: str | bytes, **kwargs: t.Any) -> CacheResponse:
        kwargs.setdefault("allow_redirects", True)
        return self.request("GET", url, **kwargs)

    def options(self, url: str | bytes, **kwargs: t.Any) -> CacheResponse:
        kwargs.setdefault("allow_redirects", True)
        return self.request("OPTIONS", url, **kwargs)

    def head(self, url: str | bytes, **kwargs: t.Any) -> CacheResponse:
        kwargs.setdefault("allow_redirects", False)
        return self.request("HEAD", url, **kwargs)

    def post(
        self, url: str | bytes, data: t.Any = None, json: t.Any = None, **kwargs: t.Any
    ) -> CacheResponse:
        return self.request("POST", url, data=data, json=json, **kwargs)

    def put(self, url: str | bytes, data: t.Any = None, **kwargs: t.Any) -> CacheResponse:
        return self.request("PUT", url, data=data, **kwargs)

    def patch(self, url: str | bytes, data: t.Any = None, **kwargs: t.Any) -> CacheResponse:
        return self.request("PATCH", url, data=data, **kwargs)

    def delete(self, url: str | bytes, **kwargs: t.Any) -> CacheResponse:
        return self.request("DELETE", url, **kwargs)

    def __repr__(self) -> str:
        return shell_repr(self, None, self.storage, self.controller)
