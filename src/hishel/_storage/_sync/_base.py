# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The storage interface (seed), written once over the byte-level backend interface.

A built-in storage is a backend (``_backend``: keys, bytes, ttl) plus the codec (``_codec``):
the seed's public methods (``store``, ``retrieve``, ``remove``, ``update_metadata``, ``close``)
are written here, once. The flow reaches a storage only through ``entry_store()`` (the
interface in ``_entry_store``): typed entries, no body read to rewrite a head.

A user-written storage (the 0.1 way: subclass ``BaseStorage`` and override the public
methods) has no backend; then its entry store is the adapter over its public methods.

Every storage takes a ``clock`` (``now() -> float``) read for ttl, and ``max_size``, a byte
budget (``_budget``): every writer of a storage with one reports its commit to the budget,
which evicts past it. An entry that cannot be decoded is a miss, logged as one WARNING line
(the traceback only at DEBUG), and removed. Without a budget a backend may keep heads as values.
"""

from __future__ import annotations

import logging
import typing as t
from datetime import datetime, timedelta, timezone
from functools import partial

import httpcore

from ..._core._clock import Clock, check_clock
from ..._core._describe import storage_repr
from ..._core._memos import DecodedHeads
from ..._core._messages import BytesBody
from .._checks import check_number, check_ttl, expired, positional_01
from .._codec import (
    Decoded,
    EntryHead,
    VaryIndex,
    decode,
    encode,
    from_models,
    kept,
)
from .._serializers import (
    BaseSerializer,
    JSONSerializer,
    Metadata,
    Models,
    models_of,
    response_body,
)
from .._signing import signing_key_bytes
from ._backend import Backend, BackendWriter, close_body
from ._budget import Budget
from ._entry_store import EntryStore, Found
from ._manage import Management
from ._public import PublicEntryStore
from ._secret import KEEP, SECRET_KEY, stored_secret

__all__ = [
    "SECRET_KEY",
    "BaseStorage",
    "StorageOptions",
]

logger = logging.getLogger("hishel")

_S = t.TypeVar("_S", bound="BaseStorage")
_PUBLIC = ("store", "retrieve", "remove", "update_metadata")


def _retrieved(head: EntryHead, body: t.Any) -> Models:
    """What ``retrieve`` gives: the 0.1 API's httpcore models of a stored entry."""
    request, metadata = head.request, head.metadata
    return models_of(head.status, head.headers, head.extensions, request, metadata, body)


def _read_all(response: httpcore.Response) -> bytes:
    try:
        return response_body(response)
    except RuntimeError:  # not read yet: read it here
        return b"".join([chunk for chunk in response.iter_stream()])


class StorageOptions(t.TypedDict, total=False):
    """The keyword arguments every storage takes (see ``BaseStorage``)."""

    serializer: BaseSerializer | None
    ttl: int | float | timedelta | None
    clock: Clock | None
    signing_key: str | bytes | None
    max_size: int | None


class BaseStorage(Management):
    """Base class of the storages.

    ``serializer`` writes entry heads (default ``JSONSerializer``); ``ttl`` is a storage-level
    expiry (seconds or ``timedelta``) counted from ``store``, independent of HTTP freshness
    (``update_metadata`` does not restart it); ``clock`` is read for ttl; ``signing_key`` (str
    or bytes) signs every entry head with HMAC-SHA256: an unsigned or tampered entry is a miss,
    removed, never deserialized. ``max_size`` (bytes, an int >= 1; None: no budget) caps
    ``stats().bytes``, the heads and bodies of every record, evicting the least recently used.
    """

    _backend: Backend | None = None
    _reserved = KEEP  # (management leaves the secret alone)
    _timeout: float | None = None  # seconds a storage call may hold a request (None: no bound)
    _entries: EntryStore | None = None
    _overrides_public = False  # a subclass overrides a public method: the flow goes through it

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._overrides_public = any(
            getattr(cls, name) is not getattr(BaseStorage, name) for name in _PUBLIC
        )

    @positional_01("serializer", "ttl")
    def __init__(
        self,
        *,
        serializer: BaseSerializer | None = None,
        ttl: int | float | timedelta | None = None,
        clock: Clock | None = None,
        signing_key: str | bytes | None = None,
        max_size: int | None = None,
    ) -> None:
        if serializer is not None and not callable(getattr(serializer, "loads", None)):
            raise TypeError(f"serializer must be a BaseSerializer, not {serializer!r}")
        self._serializer = serializer or JSONSerializer()
        self._ttl = check_ttl("ttl", ttl)
        self._clock: Clock = check_clock(clock)
        self._signing_key = signing_key_bytes(signing_key)
        self._decoded: DecodedHeads[Decoded] = DecodedHeads()
        limit = check_number("max_size", max_size, minimum=1, integer=True)
        self._budget: Budget | None = None
        if limit is not None:  # (the secret record is never evicted)
            self._budget = Budget(int(limit), self._serializer, self._clock, KEEP)

    # -- the public interface (seed) ---------------------------------------------------------

    def store(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata | None = None,
    ) -> None:
        """Store ``response`` (with its body) and ``request`` under ``key``."""
        backend = self._need_backend()
        head = from_models(response, request, self._metadata(key, metadata))
        body = _read_all(response)
        writer = self._open_head_writer(backend, key, head)
        try:
            writer.write(body)
        except BaseException:
            writer.abort()
            raise
        writer.commit()

    def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None:
        """The entry stored under ``key``, or ``None`` (absent, expired or unreadable)."""
        found = self._backend_read(self._need_backend(), key)
        if found is None:
            return None
        if isinstance(found.head, VaryIndex):
            close_body(found.body)
            return None
        return _retrieved(found.head, found.body)

    def remove(self, key: str | httpcore.Response) -> None:
        """Remove the entry under ``key`` (or the key in a served response's metadata)."""
        self._need_backend().delete(self._key_of(key))

    def update_metadata(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> None:
        """Replace the metadata of an existing entry; a no-op when it is absent.

        Only the head is rewritten: the body is not, and ttl is not restarted.
        """
        backend = self._need_backend()
        found = self._backend_read(backend, key)
        if found is None:
            return
        close_body(found.body)
        if isinstance(found.head, EntryHead):
            head = found.head.with_metadata(metadata)
            self._backend_replace_head(backend, key, head, found.version)

    def close(self) -> None:
        """Release what the storage holds (connections, files)."""
        if self._backend is not None:
            self._backend.close()

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    # -- what the flow uses ---------------------------------------------------------------------

    def entry_store(self) -> EntryStore:
        """(internal) This storage as the flow reaches it, built once on first use: over its
        backend, or over its public methods when it has none or a subclass overrides them."""
        store = self._entries
        if store is None:
            backend = self._backend
            where, budget = self._describe(), getattr(self, "_budget", None)
            if backend is None or self._overrides_public:
                touch = None if budget is None else budget.touch
                store = PublicEntryStore(self, where, self._timeout, touch)
            else:
                store = _AsyncBackendEntryStore(self, backend, where, budget)
            self._entries = store
        return store

    def _backend_read(self, backend: Backend, key: str) -> Found | None:
        """The entry under ``key``; undecodable entries are a logged miss, and removed."""
        if key == SECRET_KEY:
            return None  # reserved: never an entry, never removed as unreadable
        try:
            found = backend.read_value(key)
        except ValueError as exc:  # a record that does not decode (truncated, garbage)
            self._unreadable(key, exc)
            return None
        if found is None:
            return None
        record, body, value = found
        if self._ttl is not None and expired(record.stored_at, self._ttl, self._now()):
            close_body(body)
            return None
        if value is not None:  # kept as the value it decodes to (an in-process backend)
            assert isinstance(value, (EntryHead, VaryIndex))
            return Found(value, body, record.version, record.size)
        try:
            decoded: Decoded = self._decode(key, record.head)
        except Exception as exc:
            close_body(body)
            self._unreadable(key, exc)
            return None
        if decoded.body is not None:  # an entry of an earlier version: its body was inside
            close_body(body)
            return Found(decoded.head, BytesBody(decoded.body), "", len(decoded.body))
        return Found(decoded.head, body, record.version, record.size)

    def _unreadable(self, key: str, exc: Exception) -> None:
        logger.warning(
            "hishel: unreadable cache entry (%s: %s); treated as a miss and removed",
            type(exc).__name__,
            exc,
        )
        logger.debug("hishel: why the entry could not be read", exc_info=exc)
        backend = self._backend
        if backend is not None:
            backend.delete(key)

    def _backend_replace_head(
        self, backend: Backend, key: str, head: EntryHead, version: str
    ) -> bool:
        if version:
            value = kept(head)
            encoded = partial(self._encode, key, value, True)
            return backend.replace_value(key, value, encoded, version)
        found = self._backend_read(backend, key)
        if found is None or found.version:
            if found is not None:
                close_body(found.body)
            return False
        body = b"".join([chunk for chunk in found.body])
        writer = self._open_writer(backend, key, self._encode(key, head))
        writer.write(body)
        writer.commit()
        return True

    def _open_writer(
        self, backend: Backend, key: str, head: bytes
    ) -> BackendWriter:
        """A backend writer for ``head`` under ``key``; with a budget, it reports its commit."""
        writer = backend.open_writer(key, head, self._now())
        budget = self._budget
        return writer if budget is None else budget.wrap(backend, key, len(head), writer)

    def _open_head_writer(
        self, backend: Backend, key: str, head: EntryHead | VaryIndex
    ) -> BackendWriter:
        """A writer for ``head``, which a backend may keep as a value (not with a budget)."""
        if self._budget is not None:
            return self._open_writer(backend, key, self._encode(key, head))
        value = kept(head)
        encoded = partial(self._encode, key, value, True)
        return backend.open_value_writer(key, value, encoded, self._now())

    # -- helpers ------------------------------------------------------------------------------
    def __repr__(self) -> str:
        return storage_repr(self)

    def _describe(self) -> str:
        """Where this storage keeps entries, for log lines (host/port, bucket, path)."""
        return type(self).__name__

    def _encode(self, key: str, head: EntryHead | VaryIndex, is_kept: bool = False) -> bytes:
        """The bytes this storage writes for ``head`` under ``key``; what reading them back
        gives is ``kept(head)`` (``_memos.DecodedHeads``: as the in-memory storage keeps
        it), so the entry a 304 or a store just wrote is not decoded again."""
        sk = self._signing_key
        value = head if is_kept else kept(head)
        data = encode(self._serializer, value, signing_key=sk, key=key, is_kept=True)
        self._decoded.put(key, data, Decoded(value))
        return data

    def _decode(self, key: str, data: bytes) -> Decoded:
        """The value of the head bytes ``data`` read under ``key`` (``_memos.DecodedHeads``:
        the head of an entry read again is decoded once)."""
        found = self._decoded.get(key, data)
        if found is not None:
            return found
        decoded = decode(self._serializer, data, signing_key=self._signing_key, key=key)
        if decoded.body is None:  # (an entry of an earlier version holds its body: not kept)
            self._decoded.put(key, data, decoded)
        return decoded

    def _need_backend(self) -> Backend:
        if self._backend is None:
            raise NotImplementedError(
                f"{type(self).__name__} must implement store, retrieve, remove and "
                "update_metadata (or be built on a backend)"
            )
        return self._backend

    def _now(self) -> float:
        return self._clock.now()

    def _metadata(self, key: str, metadata: Metadata | None) -> Metadata:
        if metadata is not None:
            return metadata
        created_at = datetime.fromtimestamp(self._now(), tz=timezone.utc)
        return Metadata(cache_key=key, number_of_uses=0, created_at=created_at)

    @staticmethod
    def _key_of(key: str | httpcore.Response) -> str:
        if isinstance(key, str):
            return key
        metadata = key.extensions.get("cache_metadata")
        if not isinstance(metadata, dict) or "cache_key" not in metadata:
            raise ValueError("this response was not served from storage: pass its key instead")
        return str(metadata["cache_key"])


class _AsyncBackendEntryStore(EntryStore):
    """The entry store of a built-in storage: straight to its backend, through the codec."""

    __slots__ = ("_backend", "_budget", "_secret", "_storage")

    def __init__(
        self,
        storage: BaseStorage,
        backend: Backend,
        where: str,
        budget: Budget | None,
    ) -> None:
        super().__init__(where, storage._timeout)
        self._storage = storage
        self._backend = backend
        self._budget = budget
        self._secret: bytes | None = None

    def read(self, key: str) -> Found | None:
        return self._storage._backend_read(self._backend, key)  # (its read itself, not wrapped)

    def open_writer(self, key: str, head: EntryHead) -> BackendWriter:
        return self._storage._open_head_writer(self._backend, key, head)

    def store_index(self, key: str, index: VaryIndex, created_at: datetime) -> None:
        writer = self._storage._open_head_writer(self._backend, key, index)
        writer.commit()

    def replace_head(self, key: str, head: EntryHead, version: str) -> bool:
        """Entries of earlier versions (``version`` "") are rewritten whole."""
        return self._storage._backend_replace_head(self._backend, key, head, version)

    def remove(self, key: str) -> None:
        self._backend.delete(key)

    def privacy_secret(self) -> bytes:
        """Kept in the storage under ``SECRET_KEY`` (``_secret``), made on first use."""
        if self._secret is None:
            storage = self._storage
            secret = stored_secret(self._backend, storage._signing_key, storage._open_writer)
            self._secret = secret
        return self._secret

    def touched(self, key: str) -> None:
        if self._budget is not None:
            self._budget.touch(key)
