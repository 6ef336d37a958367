"""What the management methods of every storage report, and how they judge a record.

``EntryInfo`` and ``StorageStats`` are the public values (``hishel.EntryInfo``,
``hishel.StorageStats``). The rest is the sync-agnostic part of ``entries()``, ``purge()``,
``clear()`` and ``stats()`` (``hishel._storage._async._manage`` and its generated twin):
judging one backend record (head bytes, never a body): an ``EntryInfo``, a Vary index, or
``Unreadable`` (with a reason fit for a log line: never the record's content), and the purge
criteria. Time is read by the caller, through the storage clock, and passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .. import _policy as policy
from .._core._adapters import stored_head_of
from .._core._keys import normalized_url
from .._core._messages import URL
from ._codec import HEAD_MAGIC, EntryHead, VaryIndex, decode
from ._layout import Record, UnreadableRecord
from ._serializers import BaseSerializer
from ._signing import BadSignature, verify
from ._uses import last_used_of

__all__ = [
    "ENTRY",
    "INDEX",
    "EntryInfo",
    "Listed",
    "Purge",
    "StorageStats",
    "Unreadable",
    "counted",
    "glob_match",
    "judge",
    "record_bytes",
]


@dataclass(frozen=True, slots=True)
class EntryInfo:
    """One stored response, as ``storage.entries()`` lists it (its body is not read).

    Attributes:
        key: the storage key (a varied response's key is that of its variant).
        method, url, status: the request that was answered (``url`` normalised, query
            included) and the stored status code.
        size: bytes the entry takes in storage (head and body).
        created_at: when the entry was first stored.
        last_used_at: the latest of ``created_at``, the last time the response was
            received or revalidated (a 304 moves it) and the last use written back with
            the counted uses (a hit moves it once its process writes its counts back);
            entries of earlier versions did not record their uses' time.
        uses: how many times the entry was served (``Metadata["number_of_uses"]``), as
            last written back: a process writes its counted uses back every few seconds
            and when it closes its storage.
        fresh_until: when it stops being fresh by its HTTP headers alone (max-age,
            Expires; no heuristics); None when it has no HTTP lifetime.
        expires_at: when the storage ``ttl`` removes it; None without a ``ttl``.

    Datetimes are timezone-aware (UTC).
    """

    key: str
    method: str
    url: str
    status: int
    size: int
    created_at: datetime
    last_used_at: datetime
    uses: int
    fresh_until: datetime | None
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class StorageStats:
    """What ``storage.stats()`` counts: ``entries`` (stored responses), ``bytes`` (every
    record the storage holds, heads and bodies, Vary indexes and unreadable records
    included) and ``unreadable`` (records the storage holds but cannot decode: truncated, a
    body cut short, corrupt, of an unknown format version, or without a valid signature
    under the storage's ``signing_key``; ``purge(unreadable=True)`` removes them)."""

    entries: int
    bytes: int
    unreadable: int = 0


@dataclass(frozen=True, slots=True)
class Listed:
    """An entry record judged for management: its info, whether it carries a validator
    (ETag or Last-Modified), and when it was stored by the storage clock (for ttl)."""

    info: EntryInfo
    validated: bool
    stored_at: float


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A record that cannot be decoded, and why (no byte of its content in ``reason``)."""

    reason: str


INDEX = "index"
"""``judge`` of a Vary index record: not an entry."""


def _utc(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def _plain_utc(value: datetime) -> datetime:
    """A plain aware UTC datetime (a serializer loads ``created_at`` naive UTC, as 0.1 did)."""
    c = value.astimezone(timezone.utc) if value.tzinfo is not None else value
    return datetime(
        c.year, c.month, c.day, c.hour, c.minute, c.second, c.microsecond, tzinfo=timezone.utc
    )


def record_bytes(record: Record) -> int:
    """Bytes a record takes: its head and its body (an entry of an earlier version holds
    its body inside the head, with ``size`` 0)."""
    return len(record.head) + record.size


def judge(
    serializer: BaseSerializer,
    key: str,
    record: Record,
    ttl: float | None,
    signing_key: bytes | None,
) -> Listed | Unreadable | str:
    """The ``Listed`` of an entry record, ``INDEX`` for a Vary index record, or
    ``Unreadable``. With a ``signing_key``, a record without a valid tag for ``key`` is
    unreadable before anything in it is deserialized (as on the request path)."""
    if isinstance(record, UnreadableRecord):
        return Unreadable(record.reason)
    try:
        head = decode(serializer, record.head, signing_key=signing_key, key=key).head
        if isinstance(head, VaryIndex):
            return INDEX
        return Listed(_info(key, head, record, ttl), _validated(head), record.stored_at)
    except Exception as exc:
        return Unreadable(_reason(exc))


ENTRY = "entry"
"""``counted`` of an entry record."""
_ENTRY_HEAD = HEAD_MAGIC + b"E"  # hishel._storage._codec's framing of an entry head
_INDEX_HEAD = HEAD_MAGIC + b"V"  # and of a Vary index


def counted(
    serializer: BaseSerializer, key: str, record: Record, signing_key: bytes | None
) -> Unreadable | str:
    """``ENTRY``, ``INDEX`` or ``Unreadable``, as ``stats()`` counts a record: its layout and
    its signature are checked, and a current head is taken at the word of its framing (not
    deserialized: ~8 times cheaper than ``judge``); what the framing cannot tell (entries
    of earlier versions, unknown kinds) is decoded."""
    if isinstance(record, UnreadableRecord):
        return Unreadable(record.reason)
    try:
        prefix = verify(signing_key, key, record.head)[: len(_ENTRY_HEAD)]
        if prefix in (_ENTRY_HEAD, _INDEX_HEAD):
            return ENTRY if prefix == _ENTRY_HEAD else INDEX
        head = decode(serializer, record.head, signing_key=signing_key, key=key).head
    except Exception as exc:
        return Unreadable(_reason(exc))
    return ENTRY if isinstance(head, EntryHead) else INDEX


def _reason(exc: Exception) -> str:
    """Why a head did not decode, for a log line. The codec's own errors say what is wrong
    with the framing or the signature; a serializer's may quote the document (headers), so
    only its type is told."""
    if isinstance(exc, BadSignature) or type(exc) is ValueError:
        return " ".join(str(exc).split())[:200] or type(exc).__name__
    return f"{type(exc).__name__} from the serializer (not a document it can load)"


def _info(key: str, head: EntryHead, record: Record, ttl: float | None) -> EntryInfo:
    stored = stored_head_of(head)
    lifetime = policy.freshness_lifetime(
        stored.response, head.response_time, shared=False, heuristics=False
    )
    fresh_until = None
    if lifetime is not None:  # fresh while current_age < lifetime (RFC 9111 §4.2)
        fresh_until = _utc(head.response_time + lifetime - stored.initial_age)
    created = _plain_utc(head.metadata["created_at"])
    used = last_used_of(head)
    last_used = max(created, _utc(head.response_time), _utc(used) if used else created)
    return EntryInfo(
        key=key,
        method=head.request.method.decode("ascii", "replace"),
        url=normalized_url(head.request.url),
        status=head.status,
        size=record_bytes(record),
        created_at=created,
        last_used_at=last_used,
        uses=int(head.metadata["number_of_uses"]),
        fresh_until=fresh_until,
        expires_at=None if ttl is None else _utc(record.stored_at + ttl),
    )


def _validated(head: EntryHead) -> bool:
    return any(name.lower() in (b"etag", b"last-modified") for name, _ in head.headers)


def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


def glob_match(pattern: str, url: str) -> bool:
    """Whether ``url`` (its ``scheme://host[:port]/path``, the query left out) matches the
    glob ``pattern``, where ``*`` spans any run of characters (as in ``ttl_rules``)."""
    return _glob(pattern).fullmatch(url.partition("?")[0].partition("#")[0]) is not None


def _seconds(value: object) -> float:
    if isinstance(value, timedelta):
        value = value.total_seconds()
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValueError(f"older_than must be seconds >= 0 or a timedelta, not {value!r}")
    return float(value)


def _normal(url: str) -> str:
    try:
        return normalized_url(URL.parse(url))
    except Exception:  # not an absolute URL: compared as given
        return url


@dataclass(frozen=True, slots=True)
class Purge:
    """The criteria of ``purge``, checked at the call (strict with the caller).

    ``url`` and ``pattern`` choose the entries considered; of those, when ``expired``,
    ``stale`` or ``older_than`` is given, an entry goes when any of them holds.
    ``unreadable``: records that cannot be decoded go too (alone, it removes only those).
    """

    url: str | None
    pattern: re.Pattern[str] | None
    expired: bool
    stale: bool
    older_than: float | None
    unreadable: bool = False

    @classmethod
    def of(
        cls,
        *,
        url: str | None,
        pattern: str | None,
        expired: bool,
        stale: bool,
        older_than: float | timedelta | None,
        unreadable: bool = False,
    ) -> Purge:
        if url is not None and not isinstance(url, str):
            raise TypeError(f"url must be a str, not {url!r}")
        if pattern is not None and not isinstance(pattern, str):
            raise TypeError(f"pattern must be a str, not {pattern!r}")
        given = (url, pattern, expired or None, stale or None, older_than, unreadable or None)
        if all(value is None for value in given):
            raise ValueError(
                "purge needs at least one of url, pattern, expired, stale, older_than or "
                "unreadable (clear() removes everything)"
            )
        return cls(
            None if url is None else _normal(url),
            None if pattern is None else _glob(pattern),
            bool(expired),
            bool(stale),
            None if older_than is None else _seconds(older_than),
            bool(unreadable),
        )

    @property
    def considers_entries(self) -> bool:
        """Whether any entry may go (not when ``unreadable`` is the only criterion)."""
        chosen = (self.url, self.pattern, self.older_than)
        return self.expired or self.stale or any(value is not None for value in chosen)

    def matches(self, entry: Listed, ttl: float | None, now: float) -> bool:
        """Whether ``entry`` goes, at ``now`` (storage clock)."""
        if not self.considers_entries:
            return False
        info = entry.info
        if self.url is not None and info.url != self.url:
            return False
        if self.pattern is not None:
            path = info.url.partition("?")[0].partition("#")[0]
            if self.pattern.fullmatch(path) is None:
                return False
        conditions = (self.expired, self.stale, self.older_than is not None)
        if not any(conditions):
            return True
        if self.expired and ttl is not None and now - entry.stored_at >= ttl:
            return True
        if self.stale and not entry.validated:
            fresh_until = info.fresh_until
            if fresh_until is None or now >= fresh_until.timestamp():
                return True
        older_than = self.older_than
        return older_than is not None and now - info.created_at.timestamp() >= older_than
