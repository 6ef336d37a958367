"""The flow's side of storage: entries, the Vary index, and failures that become misses.

A response without ``Vary`` is stored under the request's key. A response with ``Vary``
(RFC 9111 §4.1) is stored under a variant key derived from the key, an epoch and the
request's values of the varying fields; the key itself then holds a small index entry naming
the fields and the epoch. Replacing or removing the index orphans every variant of the old
epoch at once, so invalidation never has to enumerate variants.

Storage errors never reach the caller: they are logged and read as a miss (or a write that
did not happen). After a failure the storage is left alone for ``STORAGE_COOLDOWN`` seconds,
so a storage that is down (and slow to say so) costs one request its latency, not every one.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

import httpcore

from .. import _policy as policy
from .._controller import response_head, stored_head
from .._models import make_response, raw_headers
from .._serializers import Metadata
from ._storages._base import AsyncBaseStorage, AsyncEntryWriter
from ._streams import close_stream

__all__ = ["AsyncEntries", "Entry", "Index"]

logger = logging.getLogger("hishel")

VARY_INDEX = "hishel_vary_index"
STORAGE_COOLDOWN = 5.0  # seconds without storage calls after a storage failure
USE_FLUSH_INTERVAL = 5.0  # seconds between write-backs of counted uses
MAX_PENDING_USES = 1024  # entries with uses counted but not yet written back


@dataclass(slots=True)
class Entry:
    """A stored response as the flow uses it: where it lives, what it is, its head."""

    key: str
    response: httpcore.Response
    request: httpcore.Request
    metadata: Metadata
    head: policy.StoredHead


@dataclass(slots=True)
class _PendingUses:
    """Uses of one stored entry counted in this process and not yet written back."""

    entry: Entry
    created_at: datetime
    base: int  # number_of_uses as stored
    count: int = 0


@dataclass(frozen=True, slots=True)
class Index:
    """The Vary index stored under a key: the varying field names and the variants' epoch."""

    names: tuple[str, ...]
    epoch: str


def variant_key(key: str, epoch: str, fingerprint: str) -> str:
    digest = hashlib.blake2b(f"{epoch}\n{fingerprint}".encode(), digest_size=16).hexdigest()
    return f"{key}-{digest}"


def _entry(
    key: str, response: httpcore.Response, request: httpcore.Request, metadata: Metadata
) -> Entry:
    created = metadata.get("created_at")
    created_at = created.timestamp() if created is not None else None
    return Entry(key, response, request, metadata, stored_head(response, request, created_at))


class AsyncGuardedWriter(AsyncEntryWriter):
    """A storage writer whose failures count against the storage (see ``_failed``)."""

    def __init__(self, entries: AsyncEntries, writer: AsyncEntryWriter) -> None:
        self._entries = entries
        self._writer: AsyncEntryWriter | None = writer

    async def _call(self, what: str, chunk: bytes = b"") -> None:
        writer = self._writer
        if writer is None:
            return
        try:
            if what == "write":
                await writer.write(chunk)
                return
            self._writer = None
            await (writer.commit() if what == "commit" else writer.abort())
        except Exception:
            self._writer = None
            self._entries._failed(what)
            if what == "write":
                with contextlib.suppress(Exception):
                    await writer.abort()

    async def write(self, chunk: bytes) -> None:
        await self._call("write", chunk)

    async def commit(self) -> None:
        await self._call("commit")

    async def abort(self) -> None:
        await self._call("abort")


class AsyncEntries:
    """Reads and writes entries for the flow; every storage failure is logged and absorbed."""

    def __init__(self, storage: AsyncBaseStorage) -> None:
        self.storage = storage
        self._down_until = 0.0
        self._uses: dict[str, _PendingUses] = {}
        self._flushed_at = time.monotonic()

    def _available(self) -> bool:
        return self._down_until == 0.0 or time.monotonic() >= self._down_until

    def _failed(self, what: str) -> None:
        self._down_until = time.monotonic() + STORAGE_COOLDOWN
        logger.warning(
            "hishel: storage %s failed; serving without the cache for %.0f s",
            what,
            STORAGE_COOLDOWN,
            exc_info=True,
        )

    async def _retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None:
        if not self._available():
            return None
        try:
            return await self.storage.retrieve(key)
        except Exception:
            self._failed("read")
            return None

    async def lookup(self, key: str, head: policy.RequestHead) -> tuple[Entry | None, Index | None]:
        """The entry that may answer ``head`` under ``key`` (its variant, under Vary)."""
        found = await self._retrieve(key)
        if found is None:
            return None, None
        response, request, metadata = found
        epoch = response.extensions.get(VARY_INDEX)
        if epoch is None:
            return _entry(key, response, request, metadata), None
        await close_stream(response.stream)
        index = Index(policy.vary_names(response_head(response)) or (), str(epoch))
        key = variant_key(key, index.epoch, policy.vary_fingerprint(head, index.names))
        found = await self._retrieve(key)
        return (None if found is None else _entry(key, *found)), index

    async def count_use(self, entry: Entry) -> Metadata:
        """Count one more use of ``entry``; the metadata to serve carries the new count.

        Uses are written back in batches (``flush_uses``: every ``USE_FLUSH_INTERVAL``
        seconds, when many keys are pending, and on close), so a hit costs storage no
        write at all: no commit in SQLite, no second round trip to Redis or S3.
        """
        created_at = entry.metadata["created_at"]
        base = entry.metadata.get("number_of_uses", 0)
        pending = self._uses.get(entry.key)
        if pending is None or pending.created_at != created_at or pending.base != base:
            pending = self._uses[entry.key] = _PendingUses(entry, created_at, base)
        pending.entry = entry
        pending.count += 1
        metadata: Metadata = {
            "cache_key": entry.metadata.get("cache_key", entry.key),
            "number_of_uses": base + pending.count,
            "created_at": created_at,
        }
        if (
            len(self._uses) >= MAX_PENDING_USES
            or time.monotonic() - self._flushed_at >= USE_FLUSH_INTERVAL
        ):
            await self.flush_uses()
        return metadata

    async def flush_uses(self) -> None:
        """Write the counted uses to storage (a small metadata write per entry)."""
        pending, self._uses = self._uses, {}
        self._flushed_at = time.monotonic()
        for key, uses in pending.items():
            if not self._available():
                return
            entry = uses.entry
            metadata: Metadata = {
                "cache_key": entry.metadata.get("cache_key", key),
                "number_of_uses": uses.base + uses.count,
                "created_at": uses.created_at,
            }
            try:
                await self.storage.update_metadata(key, entry.response, entry.request, metadata)
            except Exception:
                self._failed("metadata update")

    async def replace_headers(
        self,
        entry: Entry,
        headers: policy.Headers,
        request_time: float,
        response_time: float,
    ) -> tuple[Entry, bytes]:
        """Store ``entry`` again with freshened headers and clock readings (§4.3.4)."""
        body = await entry.response.aread()
        extensions = {
            **entry.response.extensions,
            "hishel_request_time": request_time,
            "hishel_response_time": response_time,
        }
        response = make_response(entry.response.status, raw_headers(headers), body, extensions)
        head = policy.StoredHead(
            entry.head.request,
            policy.ResponseHead(entry.response.status, headers),
            request_time,
            response_time,
        )
        if self._available():
            try:  # through the writer: storages keep what they are handed, without copies
                stored = make_response(
                    entry.response.status, raw_headers(headers), b"", dict(extensions)
                )
                writer = await self.storage._open_writer(
                    entry.key, stored, entry.request, entry.metadata
                )
                await writer.write(body)
                await writer.commit()
            except Exception:
                self._failed("write")
        return Entry(entry.key, response, entry.request, entry.metadata, head), body

    async def open_writer(
        self,
        key: str,
        index: Index | None,
        head: policy.RequestHead,
        resp_head: policy.ResponseHead,
        headers: policy.Headers,
        request: httpcore.Request,
        response: httpcore.Response,
        request_time: float,
        created_at: datetime,
    ) -> AsyncEntryWriter | None:
        """Start storing ``response`` for ``request``; ``None`` when storage is unavailable."""
        if not self._available():
            return None
        stored_request = httpcore.Request(request.method, request.url, headers=request.headers)
        entry_key = key
        try:
            names = policy.vary_names(resp_head) or ()
            if names:
                if index is None or index.names != names:
                    index = Index(names, secrets.token_hex(8))
                    marker = httpcore.Response(
                        200,
                        headers=[(b"vary", ", ".join(names).encode("latin-1"))],
                        content=b"",
                        extensions={VARY_INDEX: index.epoch},
                    )
                    meta: Metadata = {
                        "cache_key": key,
                        "number_of_uses": 0,
                        "created_at": created_at,
                    }
                    await self.storage.store(key, marker, stored_request, meta)
                entry_key = variant_key(key, index.epoch, policy.vary_fingerprint(head, names))
            stored_response = httpcore.Response(
                response.status,
                headers=raw_headers(headers),
                extensions={
                    "http_version": response.extensions.get("http_version", b"HTTP/1.1"),
                    "reason_phrase": response.extensions.get("reason_phrase", b""),
                    "hishel_request_time": request_time,
                    "hishel_response_time": created_at.timestamp(),
                },
            )
            metadata: Metadata = {
                "cache_key": entry_key,
                "number_of_uses": 0,
                "created_at": created_at,
            }
            writer = await self.storage._open_writer(
                entry_key, stored_response, stored_request, metadata
            )
        except Exception:
            self._failed("write")
            return None
        return AsyncGuardedWriter(self, writer)

    async def remove(self, key: str) -> None:
        if not self._available():
            return
        try:
            await self.storage.remove(key)
        except Exception:
            self._failed("remove")
