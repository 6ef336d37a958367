"""The flow's side of storage: typed entries, the Vary index, failures that become misses.

A response without ``Vary`` is stored under the request's key. A response with ``Vary``
(RFC 9111 §4.1) is stored under a variant key derived from the key, an epoch and the
request's values of the varying fields; the key itself then holds a ``VaryIndex`` naming the
fields and the epoch. Replacing or removing the index orphans every variant of the old epoch
at once, so invalidation never has to enumerate variants.

Storage errors never reach the caller: the breaker (``hishel._storage._breaker``) logs them, and the
flow serves without the cache for a while. Uses are counted without a write per hit
(``hishel._storage._uses``). Freshening after a 304 rewrites only the entry's head.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import secrets
import typing as t
from dataclasses import dataclass
from datetime import datetime

from ... import _policy as policy
from ..._storage._async._entry_store import (
    AsyncBackendWriter,
    AsyncBody,
    AsyncEntryStore,
    AsyncFound,
    close_body,
)
from ..._storage._breaker import Breaker
from ..._storage._codec import REQUEST_TIME, RESPONSE_TIME, EntryHead, VaryIndex
from ..._storage._serializers import Metadata
from ..._storage._uses import UseCounter
from .._adapters import (
    freshened_head,
    stored_fields,
    stored_head_of,
    stored_head_with,
)
from .._clock import Clock
from .._concurrency import async_deadline
from .._keys import FlowKey
from .._messages import EMPTY, URL, BytesBody, Request, Response
from .._privacy import NEVER_STORED, Privacy, has_digest, keyed_fingerprint
from ._streams import AsyncStoredBody, AsyncTeeStream

__all__ = ["AsyncEntries", "AsyncFanoutWriter", "Entry", "Target"]

logger = logging.getLogger("hishel")

T = t.TypeVar("T")


@dataclass(slots=True)
class Entry:
    """A stored response as the flow uses it: where it lives, its typed head, its open
    body, the version a head replacement must match, and the policy's view of it."""

    key: str
    head: EntryHead
    body: AsyncBody
    version: str
    stored: policy.StoredHead
    resolved: Request | None = None  # the stored request with matched digests


def variant_key(key: str, epoch: str, fingerprint: str) -> str:
    digest = hashlib.blake2b(f"{epoch}\n{fingerprint}".encode(), digest_size=16).hexdigest()
    return f"{key}-{digest}"


class AsyncGuardedWriter(AsyncBackendWriter):
    """A storage writer whose failures open the breaker instead of reaching the caller."""

    def __init__(
        self, breaker: Breaker, writer: AsyncBackendWriter, timeout: float | None = None
    ) -> None:
        self._breaker = breaker
        self._writer: AsyncBackendWriter | None = writer
        self._timeout = timeout

    async def write(self, chunk: bytes) -> None:
        writer = self._writer
        if writer is None:
            return
        try:
            with async_deadline(self._timeout):
                await writer.write(chunk)
        except Exception as exc:
            self._writer = None
            self._breaker.failed("write", exc)
            try:
                with async_deadline(self._timeout):
                    await writer.abort()
            except Exception:  # the write already failed; it is logged
                return

    async def commit(self) -> None:
        await self._finish(commit=True)

    async def abort(self) -> None:
        await self._finish(commit=False)

    async def _finish(self, *, commit: bool) -> None:
        writer, self._writer = self._writer, None
        if writer is None:
            return
        try:
            with async_deadline(self._timeout):
                await (writer.commit() if commit else writer.abort())
        except Exception as exc:
            self._breaker.failed("commit" if commit else "abort", exc)


@dataclass(frozen=True, slots=True)
class Target:
    """Where a response is stored: its key, Vary index, request and kept header fields."""

    key: str
    index: VaryIndex | None
    head: policy.RequestHead
    request: Request
    headers: policy.Headers


class AsyncFanoutWriter(AsyncBackendWriter):
    """One body written to several entries (a POST response also stored for GET)."""

    def __init__(self, writers: list[AsyncBackendWriter]) -> None:
        self._writers = writers

    async def write(self, chunk: bytes) -> None:
        for writer in self._writers:
            await writer.write(chunk)

    async def commit(self) -> None:
        for writer in self._writers:
            await writer.commit()

    async def abort(self) -> None:
        for writer in self._writers:
            await writer.abort()


class AsyncEntries:
    """Reads and writes entries for the flow; every storage failure is logged and absorbed."""

    def __init__(
        self,
        store: AsyncEntryStore,
        clock: Clock,
        privacy: Privacy | None = None,
        on_failure: t.Callable[[], None] | None = None,
    ) -> None:
        self.entry_store = store  # the one way to the storage
        self._breaker = Breaker(clock, where=store.where, on_failure=on_failure)
        self._uses = UseCounter(clock)
        self._privacy = privacy or Privacy()

    async def _variant_key(
        self, key: str, epoch: str, head: policy.RequestHead, names: tuple[str, ...]
    ) -> str:
        """The key of ``head``'s variant; keyed by the storage secret when a sensitive
        field is among ``names`` (so a stored key cannot be used to guess a cookie)."""
        fingerprint = policy.vary_fingerprint(head, names)
        if self._privacy.needs_secret(names):
            secret = await self.entry_store.privacy_secret()
            fingerprint = keyed_fingerprint(secret, fingerprint)
        return variant_key(key, epoch, fingerprint)

    def _found_entry(self, key: str, found: AsyncFound) -> Entry:
        """The flow's entry of what storage found under ``key``."""
        head = found.head
        assert isinstance(head, EntryHead)
        body = found.body
        if not isinstance(body, BytesBody):  # streamed from storage: it can fail mid-body
            body = AsyncStoredBody(body, functools.partial(self._drop_broken, key, found.version))
        return Entry(key, head, body, found.version, stored_head_of(head))

    async def _resolved(self, entry: Entry, head: policy.RequestHead) -> Entry:
        """``entry``, digests in its stored request that ``head`` matches replaced by
        ``head``'s values for the policy's Vary comparison (never stored)."""
        views = entry.head.views
        if views.digests is None:
            views.digests = has_digest(entry.head.request)
        if views.digests:
            secret = await self.entry_store.privacy_secret()
            resolved = self._privacy.resolve(entry.head.request, head, secret)
            entry.stored = stored_head_with(entry.head, resolved)
            entry.resolved = resolved
        return entry

    async def _drop_broken(self, key: str, version: str) -> None:
        """Remove the entry under ``key`` whose body failed, unless it was replaced since."""
        found = await self._guard("read", None, self.entry_store.read, key)
        if found is None:
            return
        await close_body(found.body)
        if found.version == version:
            await self.remove(key)

    async def _guard(
        self, what: str, default: T, call: t.Callable[..., t.Awaitable[T]], *args: t.Any
    ) -> T:
        if not self._breaker.available():
            return default
        try:
            with async_deadline(self.entry_store.timeout):  # no storage call holds a request longer
                result = await call(*args)
        except Exception as exc:
            self._breaker.failed(what, exc)
            return default
        self._breaker.succeeded()
        return result

    async def lookup(
        self, key: str, head: policy.RequestHead
    ) -> tuple[Entry | None, VaryIndex | None]:
        """The entry that may answer ``head`` under ``key`` (its variant, under Vary)."""
        if not self._breaker.available():
            return None, None
        try:
            with async_deadline(self.entry_store.timeout):  # no storage call holds a request longer
                entry: Entry | None = None
                index: VaryIndex | None = None
                found = await self.entry_store.read(key)
                if found is not None and isinstance(found.head, VaryIndex):
                    await close_body(found.body)
                    index = found.head
                    key = await self._variant_key(key, index.epoch, head, index.names)
                    found = await self.entry_store.read(key)
                    if found is not None and not isinstance(found.head, EntryHead):
                        await close_body(found.body)
                        found = None
                if found is not None:
                    entry = self._found_entry(key, found)
                    if entry.head.views.digests is not False:  # (usually nothing to resolve)
                        entry = await self._resolved(entry, head)
        except Exception as exc:
            self._breaker.failed("read", exc)
            return None, None
        self._breaker.succeeded()
        return entry, index

    def count_use(self, entry: Entry, now: float) -> tuple[Metadata, bool]:
        """Count one more use of ``entry``, at ``now``: the metadata to serve (it carries the
        new count), and whether the counted uses are due to be written back (``flush_uses``)."""
        self.entry_store.touched(entry.key)  # recency for the byte budget, in memory only
        uses = self._uses
        return uses.count(entry.key, entry.head, entry.version, now), uses.due(now)

    async def flush_uses(self) -> None:
        """Write the counted uses (and when the last was) to storage, a head replacement
        per entry."""
        for key, pending in self._uses.take().items():
            head = pending.written_back(key)
            replace_head = self.entry_store.replace_head
            await self._guard("metadata update", False, replace_head, key, head, pending.version)

    async def freshen(
        self,
        entry: Entry,
        headers: policy.Headers,
        request_time: float,
        response_time: float,
        validator: policy.ResponseHead | None = None,
    ) -> Entry:
        """``entry`` with freshened headers and clock readings (RFC 9111 §4.3.4); only its
        head is rewritten in storage, never its body. ``validator``: the policy's head of the
        response that freshened it (its parsed fields are not parsed again)."""
        old = entry.head
        fields = [
            (n.encode("latin-1"), v.encode("latin-1")) for n, v in headers if n not in NEVER_STORED
        ]
        kept = headers  # (the usual: nothing to leave out)
        if len(fields) != len(headers):
            kept = tuple([item for item in headers if item[0] not in NEVER_STORED])
        head = EntryHead(
            old.status,
            fields,
            # the clock readings as the codec keeps them: the storage keeps this very head
            {**old.extensions, REQUEST_TIME: request_time, RESPONSE_TIME: response_time},
            old.request,
            old.metadata,
            request_time,
            response_time,
        )
        head.views.cleaned = True  # (``kept``: NEVER_STORED taken out above)
        replace_head = self.entry_store.replace_head
        await self._guard("write", False, replace_head, entry.key, head, entry.version)
        resolved = entry.resolved  # the in-memory request the policy compares (Vary)
        old_stored = entry.stored
        # (the 304 first: the fields it brought are most of what the freshened head parses)
        sources = (old_stored.response,) if validator is None else (validator, old_stored.response)
        stored = freshened_head(head, old_stored.request, sources, kept, keep=resolved is None)
        return Entry(entry.key, head, entry.body, entry.version, stored, resolved)

    async def _open_writer(
        self,
        target: Target,
        resp_head: policy.ResponseHead,
        response: Response,
        request_time: float,
        created_at: datetime,
    ) -> AsyncBackendWriter:
        """The storage writer for the entry (``store`` bounds and guards it)."""
        key, index, head, request, headers = (
            target.key,
            target.index,
            target.head,
            target.request,
            target.headers,
        )
        entry_key = key
        names = policy.vary_names(resp_head) or ()
        if names:
            if index is None or index.names != names:
                index = VaryIndex(names, secrets.token_hex(8))
                await self.entry_store.store_index(key, index, created_at)
            entry_key = await self._variant_key(key, index.epoch, head, names)
        privacy = self._privacy
        secret = None
        if names and privacy.needs_secret(n for n, _ in head.headers if n in names):
            secret = await self.entry_store.privacy_secret()
        stored_request = Request(
            request.method,
            privacy.strip_url(request.url),
            privacy.kept_headers(request.headers, head, names, secret),
            EMPTY,
            {},
        )
        response_time = created_at.timestamp()
        extensions = {
            "http_version": response.extensions.get("http_version", b"HTTP/1.1"),
            "reason_phrase": response.extensions.get("reason_phrase", b""),
            REQUEST_TIME: request_time,  # the clock readings, as the codec keeps them
            RESPONSE_TIME: response_time,
        }
        entry = EntryHead(
            response.status,
            stored_fields(headers, response.headers, resp_head),
            extensions,
            stored_request,
            Metadata(cache_key=entry_key, number_of_uses=0, created_at=created_at),
            request_time,
            response_time,
        )
        entry.views.cleaned = True  # (``kept``: ``stored_fields`` took NEVER_STORED out)
        return await self.entry_store.open_writer(entry_key, entry)

    async def store(
        self,
        targets: list[Target],
        response: Response,
        resp_head: policy.ResponseHead,
        request_time: float,
        created_at: datetime,
        on_done: t.Callable[[], None] | None,
    ) -> bool:
        """Store ``response`` under each target: at once when its body is in memory (0.1),
        else teed to storage while the caller reads it (committed at its end). False when
        no storage write could start."""
        writers: list[AsyncBackendWriter] = []
        for target in targets:
            args = (target, resp_head, response, request_time, created_at)
            writer = await self._guard("write", None, self._open_writer, *args)
            if writer is not None:
                writers.append(AsyncGuardedWriter(self._breaker, writer, self.entry_store.timeout))
        if not writers:
            return False
        sink = writers[0] if len(writers) == 1 else AsyncFanoutWriter(writers)
        body = response.content()
        if body is not None:  # already read: stored now, before it is returned
            await sink.write(body)
            await sink.commit()
            return True
        stream = t.cast("t.AsyncIterable[bytes]", response.stream)
        response.stream = AsyncTeeStream(stream, sink, on_done)
        return True

    async def remove(self, key: str) -> None:
        await self._guard("remove", None, self.entry_store.remove, key)

    async def invalidate(self, urls: t.Iterable[str], key_generator: FlowKey) -> None:
        """Remove the stored GET and HEAD responses of each of ``urls`` (RFC 9111 §4.4)."""
        for url in urls:
            for method in (b"GET", b"HEAD"):
                try:
                    key = key_generator(Request(method, URL.parse(url)), b"")
                except Exception:
                    logger.warning("hishel: key_generator failed", exc_info=True)
                    continue
                await self.remove(key)
