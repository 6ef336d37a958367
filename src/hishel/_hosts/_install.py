"""``install_cache()`` / ``uninstall_cache()``: every httpx client in the process, and httpx's
module-level functions, through the cache.

Installing replaces ``httpx.Client`` / ``httpx.AsyncClient`` with the caching clients and
``httpx.request``, ``stream``, ``get``, ``options``, ``head``, ``post``, ``put``, ``patch`` and
``delete`` with functions that send through a ``CacheClient``. httpx's functions build a client
per call and close it; their caching twins share one storage per install instead, lent to each
call's client (a lent storage is not closed with the client), so a response stored by one call
is served to the next. Uninstalling puts back the very objects httpx had and closes the storage
the install made. Installing again first uninstalls: installs never stack.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import threading
import typing as t
from dataclasses import dataclass

import httpx

from .._storage._async._storages import AsyncBaseStorage
from .._storage._sync._storages import BaseStorage, FileStorage
from ._async._client import AsyncCacheClient
from ._async._transports import AsyncCacheTransport
from ._controller import Controller
from ._sync._client import CacheClient
from ._sync._transports import CacheTransport

__all__ = ["install_cache", "uninstall_cache"]

_CLASSES = ("Client", "AsyncClient")
_FUNCTIONS = ("request", "stream", "get", "options", "head", "post", "put", "patch", "delete")
# What httpx's module-level functions give the client they build; the rest goes to the request.
_CLIENT_ARGUMENTS = ("cookies", "proxy", "verify", "timeout", "trust_env")


@dataclass
class _Install:
    saved: dict[str, object]  # httpx's attributes as they were, restored by uninstall
    owned: BaseStorage | None  # the storage the install made, closed by uninstall


_installed: _Install | None = None
_lock = threading.Lock()


def install_cache(
    storage: BaseStorage | AsyncBaseStorage | None = None, controller: Controller | None = None
) -> None:
    """Send every httpx client of the process, and ``httpx.get()`` and its siblings, through
    the cache, until ``uninstall_cache()``.

    Args:
        storage: a sync storage (``FileStorage``, ``InMemoryStorage``, ...) shared by every
            ``httpx.Client`` built from now on and by the module-level functions, or an async
            one (``AsyncFileStorage``, ...) shared by every ``httpx.AsyncClient``. Either way it
            is lent, never closed by those clients, and stays yours to close. Without one,
            each client gets its own default ``FileStorage`` (``.hishel_cache``, closed with
            the client) and the module-level functions share one ``FileStorage()`` made here
            and closed by ``uninstall_cache()``.
        controller: the caching rules of those clients and functions (default
            ``Controller()``).

    Code that imported a name before the call (``from httpx import get``) keeps httpx's own.
    Calling it again replaces the previous install (it does not stack).
    """
    if storage is not None and not isinstance(storage, BaseStorage | AsyncBaseStorage):
        raise TypeError(
            "storage must be a hishel storage (for example FileStorage() or "
            f"AsyncFileStorage()), not {type(storage).__name__}"
        )
    if controller is not None and not isinstance(controller, Controller):
        raise TypeError(f"controller must be a hishel.Controller, not {type(controller).__name__}")
    global _installed
    with _lock:
        _uninstall()
        sync_storage = storage if isinstance(storage, BaseStorage) else None
        async_storage = storage if isinstance(storage, AsyncBaseStorage) else None
        owned = FileStorage() if sync_storage is None else None
        shared = sync_storage if sync_storage is not None else owned
        patches: dict[str, object] = {
            "Client": _client_class(CacheClient, CacheTransport, sync_storage, controller),
            "AsyncClient": _client_class(
                AsyncCacheClient, AsyncCacheTransport, async_storage, controller
            ),
        }
        per_call = _client_class(CacheClient, CacheTransport, shared, controller)
        for name in _FUNCTIONS:
            patches[name] = _through_cache(getattr(httpx, name), name, per_call)
        saved = {name: getattr(httpx, name) for name in patches}
        for name, value in patches.items():
            setattr(httpx, name, value)
        _installed = _Install(saved, owned)


def uninstall_cache() -> None:
    """Undo ``install_cache()``: httpx's own ``Client``, ``AsyncClient``, ``get``, ... are put
    back (the very objects), and the storage the install made is closed. Clients built while
    it was installed keep caching until closed. A no-op when nothing is installed."""
    with _lock:
        _uninstall()


def _uninstall() -> None:
    global _installed
    if _installed is None:
        return
    for name, value in _installed.saved.items():
        setattr(httpx, name, value)
    owned, _installed = _installed.owned, None
    if owned is not None:
        owned.close()


def _client_class(
    base: type[t.Any], transport_class: type[t.Any], storage: t.Any, controller: Controller | None
) -> type[t.Any]:
    """``base`` itself, or a subclass defaulting to ``storage`` (lent) and ``controller``."""
    if storage is None and controller is None:
        return base

    def __init__(self: t.Any, **kwargs: t.Any) -> None:
        kwargs.setdefault("storage", storage)
        kwargs.setdefault("controller", controller)
        base.__init__(self, **kwargs)

    def _wrap(self: t.Any, transport: t.Any) -> t.Any:
        wrapped = base._wrap(self, transport)
        if storage is not None and not isinstance(transport, transport_class):
            wrapped._storage_lent = wrapped.storage is storage  # install_cache's, left open
        return wrapped

    namespace = {"__init__": __init__, "_wrap": _wrap, "__doc__": base.__doc__}
    installed = type(base.__name__, (base,), namespace)
    installed.__qualname__ = base.__qualname__
    return installed


def _through_cache(original: t.Any, name: str, client_class: type[t.Any]) -> t.Any:
    """httpx's module-level function ``name``, sending through a ``client_class`` per call."""
    signature = inspect.signature(original)
    method = None if name in ("request", "stream") else name.upper()

    def split(args: tuple[t.Any, ...], kwargs: dict[str, t.Any]) -> tuple[dict[str, t.Any], ...]:
        arguments = signature.bind(*args, **kwargs).arguments  # httpx's TypeError for a typo
        client = {key: arguments.pop(key) for key in _CLIENT_ARGUMENTS if key in arguments}
        if method is not None:
            arguments["method"] = method
        return client, arguments

    if name == "stream":

        @contextlib.contextmanager
        def stream(*args: t.Any, **kwargs: t.Any) -> t.Iterator[httpx.Response]:
            client_arguments, request_arguments = split(args, kwargs)
            with (
                client_class(**client_arguments) as client,
                client.stream(**request_arguments) as response,
            ):
                yield response

        return functools.wraps(original)(stream)

    @functools.wraps(original)
    def send(*args: t.Any, **kwargs: t.Any) -> httpx.Response:
        client_arguments, request_arguments = split(args, kwargs)
        with client_class(**client_arguments) as client:
            return t.cast(httpx.Response, client.request(**request_arguments))

    return send
