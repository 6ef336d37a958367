"""The one orchestration: key, storage lookup, policy decision, dispatch.

``AsyncCacheFlow.handle(request, send)`` is shared by the httpx transport and the httpcore
pool; ``send`` forwards a request to the origin. Every caching rule lives in the policy;
this module does the I/O around it: reading and writing storage (failures are logged and
become misses), streaming bodies into storage while the caller reads them (an entry is
committed only once its body is complete), invalidating after unsafe methods, and
setting the ``from_cache`` / ``revalidated`` / ``cache_metadata`` response extensions.

Vary (RFC 9111 §4.1): a response without ``Vary`` is stored under the request's key. A
response with ``Vary`` is stored under a variant key derived from the key, an epoch and
the request's values of the varying fields; the key itself then holds a small index entry
naming the fields and the epoch. Replacing or removing the index orphans every variant
of the old epoch at once, so invalidation never has to enumerate variants.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import typing as t
from dataclasses import dataclass

import httpcore
import httpx

from .. import _policy as policy
from .._controller import Controller, request_head, response_head, stored_head
from .._serializers import Metadata
from ._storages._base import AsyncBaseStorage, AsyncEntryWriter

__all__ = ["AsyncCacheFlow"]

logger = logging.getLogger("hishel")

AsyncSend = t.Callable[[httpcore.Request], t.Awaitable[httpcore.Response]]

# The origin could not be reached or dropped the exchange (httpcore pools raise httpcore's
# errors, httpx transports httpx's).
ORIGIN_ERRORS: tuple[type[Exception], ...] = (
    httpcore.NetworkError,
    httpcore.TimeoutException,
    httpcore.RemoteProtocolError,
    httpcore.ProxyError,
    httpx.TransportError,
)

VARY_INDEX = "hishel_vary_index"
EMPTY_BODY_METHODS = frozenset({"GET", "HEAD"})


@dataclass(slots=True)
class _Entry:
    key: str
    response: httpcore.Response
    request: httpcore.Request
    metadata: Metadata
    head: policy.StoredHead


@dataclass(frozen=True, slots=True)
class _Index:
    names: tuple[str, ...]
    epoch: str


def _raw(headers: policy.Headers) -> list[tuple[bytes, bytes]]:
    return [(n.encode("latin-1"), v.encode("latin-1")) for n, v in headers]


def _variant_key(key: str, epoch: str, fingerprint: str) -> str:
    digest = hashlib.blake2b(f"{epoch}\n{fingerprint}".encode(), digest_size=16).hexdigest()
    return f"{key}-{digest}"


def _log_url(url: str) -> str:
    """The URL without userinfo and query: never log credentials."""
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    authority = authority.rpartition("@")[2]
    return f"{scheme}{sep}{authority}{slash}{path.split('?', 1)[0]}"


def _mark(
    response: httpcore.Response,
    *,
    from_cache: bool,
    revalidated: bool,
    metadata: Metadata | None = None,
) -> httpcore.Response:
    response.extensions["from_cache"] = from_cache
    response.extensions["revalidated"] = revalidated
    if metadata is not None:
        response.extensions["cache_metadata"] = metadata
    return response


async def _close_stream(stream: object) -> None:
    close = getattr(stream, "aclose", None)
    if close is not None:
        await close()


class AsyncTeeStream:
    """Yields the origin's body to the caller while writing it to storage.

    The entry is committed when the body ends; an error, an early close or a body the caller
    never finishes aborts it, so storage never holds a partial body.
    """

    def __init__(self, stream: t.AsyncIterable[bytes], writer: AsyncEntryWriter) -> None:
        self._stream = stream
        self._iterator: t.AsyncIterator[bytes] | None = None
        self._writer: AsyncEntryWriter | None = writer

    def __aiter__(self) -> AsyncTeeStream:
        self._iterator = self._stream.__aiter__()
        return self

    async def __anext__(self) -> bytes:
        assert self._iterator is not None
        try:
            chunk = await self._iterator.__anext__()
        except StopAsyncIteration:
            await self._finish(commit=True)
            raise
        except BaseException:
            await self._finish(commit=False)
            raise
        if self._writer is not None:
            try:
                await self._writer.write(chunk)
            except Exception:
                logger.warning("hishel: storage write failed; response not cached", exc_info=True)
                await self._finish(commit=False)
        return chunk

    async def _finish(self, *, commit: bool) -> None:
        writer, self._writer = self._writer, None
        if writer is None:
            return
        try:
            if commit:
                await writer.commit()
            else:
                await writer.abort()
        except Exception:
            logger.warning("hishel: storage commit failed; response not cached", exc_info=True)

    async def aclose(self) -> None:
        await self._finish(commit=False)
        await _close_stream(self._stream)


class AsyncCacheFlow:
    """The caching orchestration shared by the httpx transport and the httpcore pool."""

    def __init__(self, storage: AsyncBaseStorage, controller: Controller) -> None:
        self._storage = storage
        self._controller = controller

    def needs_body(self, method: str) -> bool:
        """Whether the request body is part of the key (cacheable methods other than GET/HEAD)."""
        return method not in EMPTY_BODY_METHODS and method in self._controller._cacheable_methods

    async def handle(self, request: httpcore.Request, send: AsyncSend) -> httpcore.Response:
        """Answer ``request`` from storage or through ``send``, storing what may be stored."""
        if request.extensions.get("cache_disabled"):
            response = await send(request)
            return _mark(response, from_cache=False, revalidated=False)

        controller = self._controller
        options = controller._options_for(request)
        head = request_head(request)
        if head.method not in options.cacheable_methods:
            response = await send(request)
            await self._invalidate(head, response_head(response))
            self._log(head, "Forward (method is not cacheable)")
            return _mark(response, from_cache=False, revalidated=False)

        body = b""
        if head.method not in EMPTY_BODY_METHODS:
            body = await self._read_body(request)
            request = httpcore.Request(
                request.method,
                request.url,
                headers=request.headers,
                content=body,
                extensions=request.extensions,
            )
        key = controller._key_generator(request, body)
        entry, index = await self._lookup(key, head)
        now = controller._now()
        decision = policy.reuse(head, entry.head if entry else None, options, now)

        match decision:
            case policy.UseStored():
                assert entry is not None
                self._log(head, decision)
                return await self._serve(head, entry, decision, revalidated=False)
            case policy.Revalidate():
                assert entry is not None
                return await self._revalidate(
                    request, head, key, entry, index, decision, options, send
                )
        if entry is not None:
            await _close_stream(entry.response.stream)
        if isinstance(decision, policy.GatewayTimeout):
            self._log(head, decision)
            return _mark(httpcore.Response(504), from_cache=False, revalidated=False)
        return await self._forward(request, head, key, index, options, send, decision)

    # -- reading --------------------------------------------------------------------------

    async def _read_body(self, request: httpcore.Request) -> bytes:
        stream = request.stream
        if isinstance(stream, bytes):
            return stream
        chunks = [chunk async for chunk in t.cast(t.AsyncIterable[bytes], stream)]
        return b"".join(chunks)

    async def _retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None:
        try:
            return await self._storage.retrieve(key)
        except Exception:
            logger.warning("hishel: storage read failed; treating as a miss", exc_info=True)
            return None

    async def _lookup(
        self, key: str, head: policy.RequestHead
    ) -> tuple[_Entry | None, _Index | None]:
        found = await self._retrieve(key)
        if found is None:
            return None, None
        response, request, metadata = found
        epoch = response.extensions.get(VARY_INDEX)
        if epoch is None:
            return self._entry(key, response, request, metadata), None
        await _close_stream(response.stream)
        index = _Index(policy.vary_names(response_head(response)) or (), str(epoch))
        variant_key = _variant_key(key, index.epoch, policy.vary_fingerprint(head, index.names))
        found = await self._retrieve(variant_key)
        if found is None:
            return None, index
        return self._entry(variant_key, *found), index

    def _entry(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> _Entry:
        created = metadata.get("created_at")
        created_at = created.timestamp() if created is not None else None
        return _Entry(key, response, request, metadata, stored_head(response, request, created_at))

    # -- serving from storage ----------------------------------------------------------------

    async def _serve(
        self,
        head: policy.RequestHead,
        entry: _Entry,
        decision: policy.UseStored,
        *,
        revalidated: bool,
        body: bytes | None = None,
    ) -> httpcore.Response:
        metadata: Metadata = {
            "cache_key": entry.metadata.get("cache_key", entry.key),
            "number_of_uses": entry.metadata.get("number_of_uses", 0) + 1,
            "created_at": entry.metadata["created_at"],
        }
        try:
            await self._storage.update_metadata(entry.key, entry.response, entry.request, metadata)
        except Exception:
            logger.warning("hishel: storage metadata update failed", exc_info=True)
        content: bytes | t.AsyncIterable[bytes]
        if decision.status == 304 or head.method == "HEAD":
            await _close_stream(entry.response.stream)
            content = b""
        elif body is not None:
            content = body
        else:
            content = t.cast(t.AsyncIterable[bytes], entry.response.stream)
        extensions = {
            k: v for k, v in entry.response.extensions.items() if not k.startswith("hishel_")
        }
        response = httpcore.Response(
            decision.status, headers=_raw(decision.headers), content=content, extensions=extensions
        )
        return _mark(response, from_cache=True, revalidated=revalidated, metadata=metadata)

    # -- talking to the origin -----------------------------------------------------------------

    async def _revalidate(
        self,
        request: httpcore.Request,
        head: policy.RequestHead,
        key: str,
        entry: _Entry,
        index: _Index | None,
        decision: policy.Revalidate,
        options: policy.PolicyOptions,
        send: AsyncSend,
    ) -> httpcore.Response:
        conditional = httpcore.Request(
            request.method,
            request.url,
            headers=_raw(decision.headers),
            content=request.stream,
            extensions=request.extensions,
        )
        request_time = self._controller._now()
        try:
            response = await send(conditional)
        except ORIGIN_ERRORS:
            if decision.fallback is None:
                await _close_stream(entry.response.stream)
                raise
            self._log(head, decision, "origin unreachable: UseStored (stale)")
            return await self._serve(head, entry, decision.fallback, revalidated=False)
        response_time = self._controller._now()

        if response.status == 304:
            await response.aread()  # an empty body: reading it returns the connection
            await response.aclose()
            return await self._freshen(
                request, head, key, entry, index, response, request_time, response_time, send
            )
        if decision.fallback is not None and decision.fallback_on_5xx and response.status >= 500:
            await response.aread()
            await response.aclose()
            self._log(head, decision, f"origin answered {response.status}: UseStored (stale)")
            return await self._serve(head, entry, decision.fallback, revalidated=False)
        await _close_stream(entry.response.stream)
        return await self._after_response(
            request, head, key, index, response, request_time, response_time, options, decision
        )

    async def _freshen(
        self,
        request: httpcore.Request,
        head: policy.RequestHead,
        key: str,
        entry: _Entry,
        index: _Index | None,
        response: httpcore.Response,
        request_time: float,
        response_time: float,
        send: AsyncSend,
    ) -> httpcore.Response:
        options = self._controller._options_for(request)
        decision = policy.freshen(entry.head, response_head(response), options)
        if not isinstance(decision, policy.Freshen):
            # RFC 9111 §4.3.3: the 304 selects nothing we hold; ask again unconditionally.
            await _close_stream(entry.response.stream)
            return await self._forward(request, head, key, index, options, send, decision)
        body = await entry.response.aread()
        stored_response = httpcore.Response(
            entry.response.status,
            headers=_raw(decision.headers),
            content=body,
            extensions={
                **entry.response.extensions,
                "hishel_request_time": request_time,
                "hishel_response_time": response_time,
            },
        )
        new_head = policy.StoredHead(
            entry.head.request,
            policy.ResponseHead(entry.response.status, decision.headers),
            request_time,
            response_time,
        )
        try:
            await self._storage.store(entry.key, stored_response, entry.request, entry.metadata)
        except Exception:
            logger.warning("hishel: storage write failed after revalidation", exc_info=True)
        self._log(head, "Revalidate (304)", decision)
        fresh = _Entry(entry.key, stored_response, entry.request, entry.metadata, new_head)
        served = policy.UseStored(
            decision.reason,
            entry.response.status,
            policy.served_headers(new_head, self._controller._now()),
            age=0,
        )
        return await self._serve(head, fresh, served, revalidated=True, body=body)

    async def _forward(
        self,
        request: httpcore.Request,
        head: policy.RequestHead,
        key: str,
        index: _Index | None,
        options: policy.PolicyOptions,
        send: AsyncSend,
        why: object,
    ) -> httpcore.Response:
        request_time = self._controller._now()
        response = await send(request)
        response_time = self._controller._now()
        return await self._after_response(
            request, head, key, index, response, request_time, response_time, options, why
        )

    async def _after_response(
        self,
        request: httpcore.Request,
        head: policy.RequestHead,
        key: str,
        index: _Index | None,
        response: httpcore.Response,
        request_time: float,
        response_time: float,
        options: policy.PolicyOptions,
        why: object,
    ) -> httpcore.Response:
        resp_head = response_head(response)
        await self._invalidate(head, resp_head)
        controller = self._controller
        if controller._custom_is_cachable:
            allowed = controller.is_cachable(request, response)
            decision: policy.StoreDecision = policy.storable(head, resp_head, options)
            if allowed and isinstance(decision, policy.DontStore):
                decision = policy.Store("allowed by Controller.is_cachable", resp_head.headers)
            elif not allowed:
                decision = policy.DontStore("refused by Controller.is_cachable")
        else:
            decision = policy.storable(head, resp_head, options)
        self._log(head, why, decision)
        _mark(response, from_cache=False, revalidated=False)
        if isinstance(decision, policy.Store):
            writer = await self._open_writer(
                key,
                index,
                head,
                resp_head,
                decision,
                request,
                response,
                request_time,
                response_time,
            )
            if writer is not None:
                response.stream = AsyncTeeStream(
                    t.cast(t.AsyncIterable[bytes], response.stream), writer
                )
        return response

    # -- writing ---------------------------------------------------------------------------------

    async def _open_writer(
        self,
        key: str,
        index: _Index | None,
        head: policy.RequestHead,
        resp_head: policy.ResponseHead,
        decision: policy.Store,
        request: httpcore.Request,
        response: httpcore.Response,
        request_time: float,
        response_time: float,
    ) -> AsyncEntryWriter | None:
        controller = self._controller
        stored_request = httpcore.Request(request.method, request.url, headers=request.headers)
        created_at = controller._created_at(response_time)
        entry_key = key
        try:
            names = policy.vary_names(resp_head) or ()
            if names:
                if index is None or index.names != names:
                    index = _Index(names, secrets.token_hex(8))
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
                    await self._storage.store(key, marker, stored_request, meta)
                fingerprint = policy.vary_fingerprint(head, names)
                entry_key = _variant_key(key, index.epoch, fingerprint)
            stored_response = httpcore.Response(
                response.status,
                headers=_raw(decision.headers),
                extensions={
                    "http_version": response.extensions.get("http_version", b"HTTP/1.1"),
                    "reason_phrase": response.extensions.get("reason_phrase", b""),
                    "hishel_request_time": request_time,
                    "hishel_response_time": response_time,
                },
            )
            metadata: Metadata = {
                "cache_key": entry_key,
                "number_of_uses": 0,
                "created_at": created_at,
            }
            return await self._storage._open_writer(
                entry_key, stored_response, stored_request, metadata
            )
        except Exception:
            logger.warning("hishel: storage unavailable; response not cached", exc_info=True)
            return None

    async def _invalidate(self, head: policy.RequestHead, resp_head: policy.ResponseHead) -> None:
        # RFC 9111 §4.4: the policy names the URIs; each loses its stored GET and HEAD.
        for url in policy.invalidated_urls(head, resp_head):
            for method in EMPTY_BODY_METHODS:
                try:
                    key = self._controller._key_generator(httpcore.Request(method, url), b"")
                    await self._storage.remove(key)
                except Exception:
                    logger.warning("hishel: storage remove failed", exc_info=True)

    def _log(self, head: policy.RequestHead, *steps: object) -> None:
        """The one DEBUG line of a request: each decision taken, with its reason."""
        if logger.isEnabledFor(logging.DEBUG):
            text = "; ".join(
                step if isinstance(step, str) else f"{type(step).__name__} ({step.reason})"  # type: ignore[attr-defined]
                for step in steps
            )
            logger.debug("%s %s: %s", head.method, _log_url(head.url), text)
