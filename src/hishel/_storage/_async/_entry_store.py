"""The one interface through which the flow reaches a storage: entries as the flow reads them.

Every storage hands the flow one ``AsyncEntryStore`` (``AsyncBaseStorage.entry_store()``,
built once): a built-in storage one over its backend (``_base``), a user-written storage (the
0.1 way: public methods only) the adapter over those methods (``_public``). The flow holds
that object and calls only the methods below; nothing else of a storage is the flow's.

Entries are typed (``EntryHead``, ``VaryIndex``: ``_codec``); bodies and writers are the
backend's (``AsyncBody``, ``AsyncBackendWriter``: ``_backend``), re-exported here.
"""

from __future__ import annotations

import abc
import typing as t
from dataclasses import dataclass
from datetime import datetime

from .._codec import EntryHead, VaryIndex
from ._backend import AsyncBackendWriter, AsyncBody, body_error, close_body

__all__ = [
    "AsyncBackendWriter",
    "AsyncBody",
    "AsyncEntryStore",
    "AsyncFound",
    "AsyncStorageHandle",
    "body_error",
    "close_body",
]


@dataclass(slots=True)
class AsyncFound:
    """An entry read for the flow: its typed head, an open body, and the version that
    ``AsyncEntryStore.replace_head`` must match."""

    head: EntryHead | VaryIndex
    body: AsyncBody
    version: str
    size: int | None


class AsyncEntryStore(abc.ABC):
    """A storage as the flow uses it.

    ``timeout`` is the seconds one call may hold a request (None: no bound); ``where`` names
    the storage in log lines (host/port, bucket, path: never a secret).
    """

    __slots__ = ("timeout", "where")

    def __init__(self, where: str, timeout: float | None) -> None:
        self.where = where
        self.timeout = timeout

    @abc.abstractmethod
    async def read(self, key: str) -> AsyncFound | None:
        """The entry or Vary index under ``key`` (None: absent, expired or unreadable)."""

    @abc.abstractmethod
    async def open_writer(self, key: str, head: EntryHead) -> AsyncBackendWriter:
        """A writer for a new entry under ``key``; the body streams into it."""

    @abc.abstractmethod
    async def store_index(self, key: str, index: VaryIndex, created_at: datetime) -> None:
        """Store the Vary index of ``key``."""

    @abc.abstractmethod
    async def replace_head(self, key: str, head: EntryHead, version: str) -> bool:
        """Rewrite the head of the entry of ``version`` (not its body); False when gone."""

    @abc.abstractmethod
    async def remove(self, key: str) -> None:
        """Remove the entry under ``key``."""

    @abc.abstractmethod
    async def privacy_secret(self) -> bytes:
        """The random secret credential digests are keyed with (``hishel._core._privacy``),
        the same for every process sharing the storage."""

    def touched(self, key: str) -> None:  # noqa: B027 (optional: most stores keep no recency)
        """The flow counted a use of ``key`` (recency for a byte budget; nothing written)."""


class AsyncStorageHandle(t.Protocol):
    """What the flow holds of a storage: its entry store, and ``aclose`` when it is closed."""

    def entry_store(self) -> AsyncEntryStore: ...

    async def aclose(self) -> None: ...
