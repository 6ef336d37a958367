# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The one interface through which the flow reaches a storage: entries as the flow reads them.

Every storage hands the flow one ``EntryStore`` (``BaseStorage.entry_store()``,
built once): a built-in storage one over its backend (``_base``), a user-written storage (the
0.1 way: public methods only) the adapter over those methods (``_public``). The flow holds
that object and calls only the methods below; nothing else of a storage is the flow's.

Entries are typed (``EntryHead``, ``VaryIndex``: ``_codec``); bodies and writers are the
backend's (``Body``, ``BackendWriter``: ``_backend``), re-exported here.
"""

from __future__ import annotations

import abc
import typing as t
from dataclasses import dataclass
from datetime import datetime

from .._codec import EntryHead, VaryIndex
from ._backend import BackendWriter, Body, body_error, close_body

__all__ = [
    "BackendWriter",
    "Body",
    "EntryStore",
    "Found",
    "StorageHandle",
    "body_error",
    "close_body",
]


@dataclass(slots=True)
class Found:
    """An entry read for the flow: its typed head, an open body, and the version that
    ``EntryStore.replace_head`` must match."""

    head: EntryHead | VaryIndex
    body: Body
    version: str
    size: int | None


class EntryStore(abc.ABC):
    """A storage as the flow uses it.

    ``timeout`` is the seconds one call may hold a request (None: no bound); ``where`` names
    the storage in log lines (host/port, bucket, path: never a secret).
    """

    __slots__ = ("timeout", "where")

    def __init__(self, where: str, timeout: float | None) -> None:
        self.where = where
        self.timeout = timeout

    @abc.abstractmethod
    def read(self, key: str) -> Found | None:
        """The entry or Vary index under ``key`` (None: absent, expired or unreadable)."""

    @abc.abstractmethod
    def open_writer(self, key: str, head: EntryHead) -> BackendWriter:
        """A writer for a new entry under ``key``; the body streams into it."""

    @abc.abstractmethod
    def store_index(self, key: str, index: VaryIndex, created_at: datetime) -> None:
        """Store the Vary index of ``key``."""

    @abc.abstractmethod
    def replace_head(self, key: str, head: EntryHead, version: str) -> bool:
        """Rewrite the head of the entry of ``version`` (not its body); False when gone."""

    @abc.abstractmethod
    def remove(self, key: str) -> None:
        """Remove the entry under ``key``."""

    @abc.abstractmethod
    def privacy_secret(self) -> bytes:
        """The random secret credential digests are keyed with (``hishel._core._privacy``),
        the same for every process sharing the storage."""

    def touched(self, key: str) -> None:  # noqa: B027 (optional: most stores keep no recency)
        """The flow counted a use of ``key`` (recency for a byte budget; nothing written)."""


class StorageHandle(t.Protocol):
    """What the flow holds of a storage: its entry store, and ``close`` when it is closed."""

    def entry_store(self) -> EntryStore: ...

    def close(self) -> None: ...
