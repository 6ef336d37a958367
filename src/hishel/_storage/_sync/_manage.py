# GENERATED from the async source by scripts/unasync.py; do not edit.
"""Management on every storage: ``entries()``, ``purge()``, ``clear()``, ``stats()``.

Written once over the backend interface (``heads()`` and ``delete()``), so it works on
every built-in storage and on a store shared by several processes: each call reads the
backend afresh (no index kept in this process) and never reads a body. What a record means
is judged by ``hishel._storage._management``. A Vary index record is not an entry: it is not listed
or counted as one, but its bytes count and ``clear()`` removes it.

A record that cannot be decoded (truncated, its body cut short, corrupt, of an unknown
format version, without a valid signature under the storage's ``signing_key``) never makes
these fail: ``entries()`` skips it, ``stats()`` counts it in ``unreadable``,
``purge(unreadable=True)`` and ``clear()`` remove it. Each is logged once per storage object
as one WARNING line naming its key (a file: its path), the storage and the reason (never its
content): the first ten, so that a store full of them does not flood the log; the others,
and every later meeting, at DEBUG. The privacy secret's record (``SECRET_KEY``) is neither
an entry nor unreadable.

Between listing and deleting, another process may replace an entry under the same key;
``purge`` then removes the newer one (the backend interface has no conditional delete).
"""

from __future__ import annotations

import logging
import typing as t
from datetime import timedelta

from ..._core._clock import Clock
from .._management import (
    ENTRY,
    EntryInfo,
    Listed,
    Purge,
    StorageStats,
    Unreadable,
    counted,
    judge,
    record_bytes,
)
from .._serializers import BaseSerializer
from ._backend import Backend, Record, UnreadableRecord

__all__ = ["Management"]

logger = logging.getLogger("hishel")

_REPORTED_LIMIT = 4096  # unreadable records remembered as reported (then reported again)
_WARNINGS = 10  # unreadable records a storage object logs at WARNING (the rest at DEBUG)
_UNVERIFIED = "unverified"  # a signed record whose key the backend cannot tell


class Management:
    """The management methods of ``BaseStorage`` (a mixin over ``_backend``)."""

    _backend: Backend | None
    _serializer: BaseSerializer
    _signing_key: bytes | None
    _ttl: float | None
    _clock: Clock
    _reserved: frozenset[str] = frozenset()  # keys of records that are not entries
    _reported: set[tuple[str, str]] | None = None
    _warned = 0

    def entries(self) -> t.Iterator[EntryInfo]:
        """Every stored response as an ``EntryInfo``, without reading bodies.

        Entries written by earlier versions of hishel are listed too; Vary index records
        and records that cannot be decoded are not (see ``stats().unreadable``). Read
        afresh from storage at each call.
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
        unreadable: bool = False,
    ) -> int:
        """Remove the matching entries; returns how many records were removed.

        ``url`` (exact, normalised) and ``pattern`` (a glob over ``scheme://host[:port]/path``,
        ``*`` spans any run of characters, as in ``ttl_rules``) choose the entries
        considered; of those, when ``expired`` (past the storage ``ttl``), ``stale`` (past
        ``fresh_until``, or without an HTTP lifetime, and with no ETag or Last-Modified to
        revalidate with) or ``older_than`` (seconds or ``timedelta`` since ``created_at``)
        is given, an entry goes when any of them holds. ``unreadable``: the records that
        cannot be decoded go too (counted with the entries); alone, only they go. At least
        one criterion is needed: ``clear()`` removes everything.
        """
        criteria = Purge.of(
            url=url,
            pattern=pattern,
            expired=expired,
            stale=stale,
            older_than=older_than,
            unreadable=unreadable,
        )
        backend = self._managed()
        now = self._clock.now()
        doomed: list[str] = []
        for key, record in backend.heads():
            judged = self._judge(key, record)
            if isinstance(judged, Unreadable):
                if criteria.unreadable:
                    doomed.append(key)
            elif isinstance(judged, Listed) and criteria.matches(judged, self._ttl, now):
                doomed.append(key)
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
        """How many entries are stored, how many bytes the storage holds (heads and bodies
        of every record, Vary indexes and unreadable records included: what a ``max_size``
        budget counts) and how many records cannot be decoded (``unreadable``).

        Cheaper than listing: each record's layout and signature are checked, but a current
        entry head is counted without being deserialized (so one whose document is corrupt
        inside an intact record counts as an entry until something reads it)."""
        backend = self._managed()
        entries = size = unreadable = 0
        for key, record in backend.heads():
            size += record_bytes(record)
            judged = self._judge(key, record, listing=False)
            entries += judged in (ENTRY, _UNVERIFIED)
            unreadable += isinstance(judged, Unreadable)
        return StorageStats(entries=entries, bytes=size, unreadable=unreadable)

    # -- helpers ------------------------------------------------------------------------------

    def _managed(self) -> Backend:
        if self._backend is None:
            raise NotImplementedError(
                f"{type(self).__name__} has no backend: entries(), purge(), clear() and "
                "stats() work on the built-in storages (a storage that only overrides "
                "store/retrieve/remove/update_metadata must implement them itself)"
            )
        return self._backend

    def _judge(
        self, key: str, record: Record, listing: bool = True
    ) -> Listed | Unreadable | str | None:
        """The record as management sees it: ``Listed`` (an entry; without ``listing``,
        ``ENTRY``), ``Unreadable`` (logged), or a string / None for what is neither (a Vary
        index, the secret, a signed record whose key the backend does not keep)."""
        if key in self._reserved:
            return None
        backend = self._backend
        sk = self._signing_key
        # A signed head under a name that is not its key (a digest of it) cannot be verified
        # (its tag is bound to the key); a record that does not unpack is unreadable anyway.
        keyless = backend is not None and not backend.names_key(key)
        if sk is not None and keyless and not isinstance(record, UnreadableRecord):
            return _UNVERIFIED
        if listing:
            judged: Listed | Unreadable | str = judge(self._serializer, key, record, self._ttl, sk)
        else:
            judged = counted(self._serializer, key, record, sk)
        if isinstance(judged, Unreadable):
            self._report(key, judged)
        return judged

    def _report(self, key: str, bad: Unreadable) -> None:
        """Log an unreadable record: a WARNING the first time this storage object meets it
        (the first ``_WARNINGS`` of them; the rest, and every later meeting, at DEBUG)."""
        reported = self._reported
        if reported is None:
            reported = self._reported = set()
        where = self._backend.record_name(key) if self._backend is not None else repr(key)
        seen = (key, bad.reason) in reported
        if not seen:
            if len(reported) >= _REPORTED_LIMIT:
                reported.clear()
            reported.add((key, bad.reason))
            self._warned = warned = self._warned + 1
            if warned <= _WARNINGS:
                more = " (further ones are logged at DEBUG)" if warned == _WARNINGS else ""
                logger.warning(
                    "hishel: unreadable cache record %s in %s (%s); skipped: "
                    "purge(unreadable=True) or clear() removes it%s",
                    where,
                    self._describe(),
                    bad.reason,
                    more,
                )
                return
        logger.debug("hishel: unreadable cache record %s: %s", where, bad.reason)

    def _describe(self) -> str:
        return type(self).__name__

    def _infos(self, backend: Backend) -> t.Iterator[EntryInfo]:
        for key, record in backend.heads():
            judged = self._judge(key, record)
            if isinstance(judged, Listed):
                yield judged.info
