# GENERATED from the async source by scripts/unasync.py; do not edit.
"""Management on every storage: ``entries()``, ``purge()``, ``clear()``, ``stats()``.

Written once over the backend interface (``heads()`` and ``delete()``), so it works on
every built-in storage and on a store shared by several processes: each call reads the
backend afresh (no index kept in this process) and never reads a body. What a record means
is judged by ``hishel._management``. A Vary index record is not an entry: it is not listed
or counted as one, but its bytes count and ``clear()`` removes it. A record that cannot be
decoded is skipped (logged at DEBUG) and removed by ``clear()``.

Between listing and deleting, another process may replace an entry under the same key;
``purge`` then removes the newer one (the backend interface has no conditional delete).
"""

from __future__ import annotations

import logging
import typing as t
from datetime import timedelta

from ..._clock import Clock
from ..._management import (
    EntryInfo,
    Listed,
    Purge,
    StorageStats,
    counts_as_entry,
    listed,
    record_bytes,
)
from ..._serializers import BaseSerializer
from ._backend import Backend, Record

__all__ = ["Management"]

logger = logging.getLogger("hishel")


class Management:
    """The management methods of ``BaseStorage`` (a mixin over ``_backend``)."""

    _backend: Backend | None
    _serializer: BaseSerializer
    _ttl: float | None
    _clock: Clock

    def entries(self) -> t.Iterator[EntryInfo]:
        """Every stored response as an ``EntryInfo``, without reading bodies.

        Entries written by earlier versions of hishel are listed too; Vary index records
        and records that cannot be decoded are not. Read afresh from storage at each call.
        """
        return self._infos(self._managed())

    def purge(
        self,
        *,
        url: str | None = None,
        pattern: str | None = None,
        expired: bool = False,
        stale: bool = False,
        older_than: float | timedelta | None = None,
    ) -> int:
        """Remove the matching entries; returns how many were removed.

        ``url`` (exact, normalised) and ``pattern`` (a glob over ``scheme://host[:port]/path``,
        ``*`` spans any run of characters, as in ``ttl_rules``) choose the entries
        considered; of those, when ``expired`` (past the storage ``ttl``), ``stale`` (past
        ``fresh_until``, or without an HTTP lifetime, and with no ETag or Last-Modified to
        revalidate with) or ``older_than`` (seconds or ``timedelta`` since ``created_at``)
        is given, an entry goes when any of them holds. At least one criterion is needed:
        ``clear()`` removes everything.
        """
        criteria = Purge.of(
            url=url, pattern=pattern, expired=expired, stale=stale, older_than=older_than
        )
        backend = self._managed()
        now = self._clock.now()
        doomed = [
            item.info.key
            for item in self._listed(backend)
            if criteria.matches(item, self._ttl, now)
        ]
        for key in doomed:
            backend.delete(key)
        return len(doomed)

    def clear(self) -> int:
        """Remove everything the storage holds (Vary indexes and unreadable records too);
        returns how many entries were removed."""
        backend = self._managed()
        keys: list[str] = []
        entries = 0
        for key, record in backend.heads():
            keys.append(key)
            entries += isinstance(self._judge(key, record), Listed)
        for key in keys:
            backend.delete(key)
        return entries

    def stats(self) -> StorageStats:
        """How many entries are stored and how many bytes the storage holds (heads and
        bodies of every record, Vary indexes and unreadable records included): what a
        ``max_size`` budget counts.

        Cheaper than listing: a current entry head is counted without being deserialized
        (so a damaged one counts until something reads it and removes it)."""
        backend = self._managed()
        entries = size = 0
        for _, record in backend.heads():
            size += record_bytes(record)
            entries += counts_as_entry(self._serializer, record)
        return StorageStats(entries=entries, bytes=size)

    # -- helpers ------------------------------------------------------------------------------

    def _managed(self) -> Backend:
        if self._backend is None:
            raise NotImplementedError(
                f"{type(self).__name__} has no backend: entries(), purge(), clear() and "
                "stats() work on the built-in storages (a storage that only overrides "
                "store/retrieve/remove/update_metadata must implement them itself)"
            )
        return self._backend

    def _judge(self, key: str, record: Record) -> Listed | str | None:
        try:
            return listed(self._serializer, key, record, self._ttl)
        except Exception as exc:
            logger.debug("hishel: skipping unreadable cache entry %s (%s)", key, exc)
            return None

    def _listed(self, backend: Backend) -> t.Iterator[Listed]:
        for key, record in backend.heads():
            judged = self._judge(key, record)
            if isinstance(judged, Listed):
                yield judged

    def _infos(self, backend: Backend) -> t.Iterator[EntryInfo]:
        for item in self._listed(backend):
            yield item.info
