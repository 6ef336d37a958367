"""How a blob backend lays an entry out in bytes: one record, and a body blob when large.

::

    offset  size
    0       5     magic b"\\x93HSHR"
    5       1     layout version (3)
    6       1     flags: INLINE (the body follows the head in this record)
    7       8     stored_at, epoch seconds (float64) from the storage clock, for ttl
    15      8     body size
    23      32    version: a random hex id, new at every commit; names the body blob
    55      4     head length
    59      ...   head: the codec's bytes (opaque here)
    59+head ...   the body, when INLINE

A small body rides inline, so a hit is one read; a large one lives in a blob named by the
version, written before the record that points at it, so a reader sees the old entry or the
new one. Replacing the head rewrites only this record (and the inline body, which is small).
A blob that does not start with the magic was written by an earlier hishel: it is returned
whole as the head, and the codec decodes it (with its body inside).
"""

from __future__ import annotations

import re
import secrets
import struct
from dataclasses import dataclass

__all__ = [
    "FIXED",
    "Record",
    "footprint",
    "Unpacked",
    "UnreadableRecord",
    "legacy_record",
    "listed_record",
    "new_version",
    "pack",
    "record_length",
    "record_size",
    "stored_at_of",
    "unpack",
    "version_of",
    "with_head",
]

MAGIC = b"\x93HSHR"
LAYOUT_VERSION = 3
INLINE = 1
_FIXED = struct.Struct(">5sBBdQ32sI")
FIXED = _FIXED.size
VERSION_OFFSET = 23  # where the 32 characters of the version start
VERSION_SIZE = 32
_HEX = re.compile(r"[0-9a-f]{32}")
# hishel's previous frame (magic, version 2, ..., stored_at at offset 24): its ttl reading.
_V2_MAGIC = b"\x93HISHEL"
_V2_STORED_AT = struct.Struct(">d")


@dataclass(frozen=True, slots=True)
class Record:
    """An entry as a backend sees it: opaque head bytes, when it was stored, its body size,
    and a version that changes with every commit ("" for entries of earlier versions)."""

    head: bytes
    stored_at: float
    size: int
    version: str


@dataclass(frozen=True, slots=True)
class UnreadableRecord(Record):
    """What a backend's ``heads()`` yields for stored bytes that do not unpack (truncated, a
    cut inline body): ``head`` is those bytes (so they count whole), ``reason`` why."""

    reason: str = ""


@dataclass(frozen=True, slots=True)
class Unpacked:
    """A decoded record; ``inline`` is the body when it rides in the record, else None."""

    record: Record
    inline: bytes | None


def new_version() -> str:
    """A fresh version id (32 hex characters)."""
    return secrets.token_hex(16)


def pack(head: bytes, stored_at: float, version: str, body: bytes | None, size: int) -> bytes:
    """A record; ``body`` is the inline body, or None when it lives in the version's blob."""
    flags = INLINE if body is not None else 0
    fixed = _FIXED.pack(
        MAGIC, LAYOUT_VERSION, flags, stored_at, size, version.encode("ascii"), len(head)
    )
    return b"".join((fixed, head, body or b""))


def version_of(prefix: bytes) -> str:
    """The version of a record from its first ``FIXED`` bytes ("" for other data)."""
    if record_size(prefix) is None:
        return ""
    version = prefix[VERSION_OFFSET : VERSION_OFFSET + VERSION_SIZE].decode("latin-1")
    return version if _HEX.fullmatch(version) else ""


def stored_at_of(prefix: bytes) -> float:
    """The ``stored_at`` of a record from its first ``FIXED`` bytes."""
    if record_size(prefix) is None:
        raise ValueError("not an entry record")
    return float(_FIXED.unpack_from(prefix)[3])


def record_size(prefix: bytes) -> int | None:
    """Bytes of the record up to the end of its head, from its first ``FIXED`` bytes
    (None: not a record of this layout)."""
    if len(prefix) < FIXED or prefix[:5] != MAGIC or prefix[5] != LAYOUT_VERSION:
        return None
    return FIXED + int(_FIXED.unpack_from(prefix)[-1])


def record_length(prefix: bytes) -> int | None:
    """Bytes of the whole record (its head, and its body when INLINE) from its first
    ``FIXED`` bytes (None: not a record of this layout)."""
    end = record_size(prefix)
    if end is None or not prefix[6] & INLINE:
        return end
    return end + int(_FIXED.unpack_from(prefix)[4])


def footprint(prefix: bytes, length: int) -> int:
    """The bytes a record counts for (``hishel._storage._management.record_bytes``: its head and its
    body) from its first ``FIXED`` bytes and its stored length; data of an earlier layout
    counts whole."""
    if record_size(prefix) is None:
        return length
    fields = _FIXED.unpack_from(prefix)
    return int(fields[-1]) + int(fields[4])


def unpack(data: bytes, *, fallback_stored_at: float = 0.0) -> Unpacked:
    """Decode a record (at least its head; the inline body when present).

    Data of an earlier layout is returned whole as the head, with an empty body.
    """
    end = record_size(data)
    if end is None:
        if data[:5] == MAGIC:  # a record, cut before its head, or of a later layout
            if len(data) > 5 and data[5] != LAYOUT_VERSION:
                raise ValueError(
                    f"entry record of layout {data[5]} (this hishel reads {LAYOUT_VERSION})"
                )
            raise ValueError("truncated entry record")
        return Unpacked(legacy_record(data, fallback_stored_at), b"")
    if len(data) < end:
        raise ValueError("truncated entry record")
    _, _, flags, stored_at, size, raw_version, _ = _FIXED.unpack_from(data)
    version = raw_version.decode("latin-1")
    if not _HEX.fullmatch(version):
        raise ValueError("entry record has no valid version")
    record = Record(data[FIXED:end], stored_at, size, version)
    if not flags & INLINE:
        return Unpacked(record, None)
    body = data[end:]
    if len(body) != size:
        raise ValueError(f"entry body is {len(body)} bytes, its record says {size}")
    return Unpacked(record, body)


def with_head(data: bytes, head: bytes, version: str) -> bytes | None:
    """The record ``data`` with another head (stored_at, size and inline body kept), or None
    when ``data`` is not the record of ``version`` (replaced, removed, older or unreadable)."""
    try:
        unpacked = unpack(data)
    except ValueError:  # (no longer the record that was read: a read will remove it)
        return None
    record = unpacked.record
    if not version or record.version != version:
        return None
    return pack(head, record.stored_at, version, unpacked.inline, record.size)


def legacy_record(data: bytes, fallback_stored_at: float) -> Record:
    """A whole blob of an earlier hishel as a record (its ttl reading kept when it has one)."""
    stored_at = fallback_stored_at
    if data[:7] == _V2_MAGIC and len(data) >= 32:
        stored_at = _V2_STORED_AT.unpack_from(data, 24)[0]
    return Record(data, stored_at, 0, "")


def listed_record(data: bytes, fallback_stored_at: float = 0.0) -> Record:
    """The record of stored ``data`` as ``heads()`` yields it: unpacked, or an
    ``UnreadableRecord`` (``heads()`` never raises on bytes it cannot unpack)."""
    try:
        return unpack(data, fallback_stored_at=fallback_stored_at).record
    except ValueError as exc:
        return UnreadableRecord(data, fallback_stored_at, 0, "", str(exc))
