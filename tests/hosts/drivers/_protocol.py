"""The host driver protocol: one cached client of any host library, driven synchronously.

The every-host suite (tests/hosts/test_every_host.py, tests/hosts/test_across_hosts.py) runs
the same flow and storage contract through every host. A host takes part by providing one
module ``tests/hosts/drivers/_<name>.py`` that defines ``DRIVERS: list[Driver]``; the package
collects them (no shared file to edit). A driver opens the host's cached client over a
``StorageSpec`` (the sync or the async storage of one backing store) and answers each request
with an ``Answer``: the status, headers and body the caller saw plus what hishel reported
about the cache (``from_cache``, ``revalidated``, RFC 9211 ``cache_status``). Async hosts run
their calls on an anyio blocking portal, so every test is written once, synchronously.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from typing import Protocol

import hishel

__all__ = ["Answer", "Client", "Driver", "StorageSpec"]


@dataclasses.dataclass(frozen=True)
class Answer:
    """What one request returned, in host-independent terms."""

    status: int
    headers: Mapping[str, str]  # lower-cased names; repeated fields joined with ", "
    body: bytes
    from_cache: bool
    revalidated: bool
    cache_status: str | None  # RFC 9211 Cache-Status value hishel reported


class Client(Protocol):
    """One open cached client, called synchronously by tests."""

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        force_cache: bool = False,
        cache_disabled: bool = False,
        stream: bool = False,
    ) -> Answer:
        """Send one request; ``stream=True`` reads the body chunk by chunk through the
        library's streaming API."""
        ...


class StorageSpec(Protocol):
    """One backing store, openable as a sync or an async storage."""

    name: str  # "memory", "file", "sqlite", "redis", "s3"

    def sync(self) -> hishel.BaseStorage: ...

    def async_(self) -> hishel.AsyncBaseStorage: ...


@dataclasses.dataclass(frozen=True)
class Driver:
    """How to open one host's cached client (see the module docstring)."""

    name: str  # "httpx", "httpx-async", "httpcore", "httpcore-async", "requests", ...
    is_async: bool
    library: str  # the import name needed: "httpx", "httpcore", "httpx2", "httpcore2", "requests"
    open: Callable[[StorageSpec, hishel.Controller | None], AbstractContextManager[Client]]


def joined_headers(pairs: object) -> dict[str, str]:
    """Lower-cased field names, repeated fields joined with ", " (``Answer.headers``).

    ``pairs`` is any iterable of (name, value) pairs, as ``str`` or ``bytes``.
    """
    merged: dict[str, str] = {}
    for name, value in pairs:  # type: ignore[attr-defined]
        key = (name.decode("latin-1") if isinstance(name, bytes) else str(name)).lower()
        text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
        merged[key] = f"{merged[key]}, {text}" if key in merged else text
    return merged
