# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The one orchestration: key, storage lookup, policy decision, dispatch.

``CacheFlow.handle(request, send)`` is shared by the httpx transport and the httpcore
pool; ``send`` forwards a request to the origin. Every caching rule lives in the policy;
this module does the I/O around it: it asks the policy with what storage holds, then serves
the stored response, sends a conditional request and freshens, sends and maybe stores
(streaming the body into storage as the caller reads it), or answers 504. It invalidates
after unsafe methods and sets the ``from_cache`` / ``revalidated`` / ``cache_metadata``
response extensions. Opt-in: stale-while-revalidate refreshes run in the background
(one per key, a few at a time), and concurrent misses for one key make one origin request.
"""

from __future__ import annotations

import dataclasses
import logging
import typing as t
from dataclasses import dataclass

import httpcore
import httpx

from .. import _policy as policy
from .._concurrency import Event, Lock, spawn
from .._controller import Controller, request_head, response_head
from .._models import BytesBody, make_request, make_response, raw_headers
from ._entries import Entries, Entry, Index
from ._storages._base import BaseStorage
from ._streams import SliceStream, TeeStream, close_stream

__all__ = ["CacheFlow"]

logger = logging.getLogger("hishel")

Send = t.Callable[[httpcore.Request], httpcore.Response]

# The origin could not be reached or dropped the exchange (httpcore pools raise httpcore's
# errors, httpx transports httpx's).
ORIGIN_ERRORS: tuple[type[Exception], ...] = (
    httpcore.NetworkError,
    httpcore.TimeoutException,
    httpcore.RemoteProtocolError,
    httpcore.ProxyError,
    httpx.TransportError,
)

EMPTY_BODY_METHODS = frozenset({"GET", "HEAD"})
MAX_BACKGROUND_REFRESHES = 8
COALESCE_WAIT = 30.0  # seconds a coalesced request waits for the leader's body


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
    metadata: t.Any = None,
) -> httpcore.Response:
    response.extensions["from_cache"] = from_cache
    response.extensions["revalidated"] = revalidated
    if metadata is not None:
        response.extensions["cache_metadata"] = metadata
    return response


def _as_stream(content: bytes | t.Iterable[bytes]) -> t.Iterable[bytes]:
    return BytesBody(content) if isinstance(content, bytes) else content


@dataclass(slots=True)
class _Exchange:
    """One request on its way through the cache."""

    request: httpcore.Request
    head: policy.RequestHead
    options: policy.PolicyOptions
    key: str
    send: Send
    entry: Entry | None = None
    index: Index | None = None


class CacheFlow:
    """The caching orchestration shared by the httpx transport and the httpcore pool."""

    def __init__(self, storage: BaseStorage, controller: Controller) -> None:
        self._storage = storage
        self._controller = controller
        self._entries = Entries(storage)
        self._lock = Lock()
        self._inflight: dict[str, Event] = {}
        self._refreshing: set[str] = set()

    def close(self) -> None:
        """Write back what is pending and close the storage."""
        self._entries.flush_uses()
        self._storage.close()

    def needs_body(self, method: str) -> bool:
        """Whether the request body is part of the key (cacheable methods other than GET/HEAD)."""
        return method not in EMPTY_BODY_METHODS and method in self._controller._cacheable_methods

    def handle(self, request: httpcore.Request, send: Send) -> httpcore.Response:
        """Answer ``request`` from storage or through ``send``, storing what may be stored."""
        if request.extensions.get("cache_disabled"):
            return _mark(send(request), from_cache=False, revalidated=False)
        controller = self._controller
        options = controller._options_for(request)
        head = request_head(request)
        method = head.method
        # RFC 9111 §4.3.5 / §4: a stored GET answers (and is freshened by) HEAD.
        head_by_get = method == "HEAD" and "GET" in options.cacheable_methods
        if method not in options.cacheable_methods and not head_by_get:
            response = send(request)
            self._invalidate(head, response_head(response))
            self._log(head, "Forward (method is not cacheable)")
            return _mark(response, from_cache=False, revalidated=False)

        body = b""
        keyed = request
        if head_by_get and method not in options.cacheable_methods:
            keyed = httpcore.Request("GET", request.url, headers=request.headers)
        elif method not in EMPTY_BODY_METHODS:
            body = self._read_body(request)
            request = keyed = httpcore.Request(
                request.method,
                request.url,
                headers=request.headers,
                content=body,
                extensions=request.extensions,
            )
        ex = _Exchange(request, head, options, controller._key_generator(keyed, body), send)
        return self._answer(ex, coalesce=controller._coalesce_requests)

    def _answer(self, ex: _Exchange, *, coalesce: bool) -> httpcore.Response:
        ex.entry, ex.index = self._entries.lookup(ex.key, ex.head)
        stored = ex.entry.head if ex.entry else None
        decision = policy.reuse(ex.head, stored, ex.options, self._controller._now())
        match decision:
            case policy.UseStored():
                assert ex.entry is not None
                self._log(ex.head, decision)
                return self._serve(ex, ex.entry, decision, revalidated=False)
            case policy.Revalidate():
                return self._revalidate(ex, decision)
            case policy.GatewayTimeout():
                self._drop_entry(ex)
                self._log(ex.head, decision)
                return _mark(httpcore.Response(504), from_cache=False, revalidated=False)
        if coalesce and ex.entry is None:
            return self._coalesced(ex, decision)
        return self._forward(ex, decision)  # the stored entry is closed after the answer

    def _drop_entry(self, ex: _Exchange) -> None:
        if ex.entry is not None:
            close_stream(ex.entry.response.stream)

    def _read_body(self, request: httpcore.Request) -> bytes:
        stream = request.stream
        if isinstance(stream, bytes):
            return stream
        chunks = [chunk for chunk in t.cast(t.Iterable[bytes], stream)]
        return b"".join(chunks)

    # -- serving from storage ------------------------------------------------------------

    def _serve(
        self,
        ex: _Exchange,
        entry: Entry,
        decision: policy.UseStored,
        *,
        revalidated: bool,
        body: bytes | None = None,
    ) -> httpcore.Response:
        metadata = self._entries.count_use(entry)
        status, headers = decision.status, decision.headers
        content: bytes | t.Iterable[bytes]
        if body is not None:
            content = body
        else:
            content = t.cast(t.Iterable[bytes], entry.response.stream)
        if status == 200 and any(name == "range" for name, _ in ex.head.headers):
            ranged = policy.answer_range(ex.head, entry.head.response, headers)
            if ranged is not None:  # RFC 9110 §14: a 206 (or 416) cut from the stored 200
                status, headers = ranged.status, ranged.headers
                content = SliceStream(_as_stream(content), ranged.start, ranged.stop)
        if status in (304, 416) or ex.head.method == "HEAD":
            close_stream(content)
            content = b""
        extensions = {
            k: v for k, v in entry.response.extensions.items() if not k.startswith("hishel_")
        }
        response = make_response(status, raw_headers(headers), content, extensions)
        return _mark(response, from_cache=True, revalidated=revalidated, metadata=metadata)

    # -- revalidation ----------------------------------------------------------------------

    def _revalidate(self, ex: _Exchange, decision: policy.Revalidate) -> httpcore.Response:
        entry = ex.entry
        assert entry is not None
        if decision.background and decision.fallback is not None:
            # RFC 5861 §3: serve stale now, refresh in the background (bounded).
            started = self._start_refresh(ex, decision)
            note = "refreshing in the background" if started else "a refresh is under way"
            self._log(ex.head, decision, f"UseStored (stale; {note})")
            return self._serve(ex, entry, decision.fallback, revalidated=False)
        conditional = make_request(
            ex.request.method,
            ex.request.url,
            raw_headers(decision.headers),
            ex.request.stream,
            ex.request.extensions,
        )
        request_time = self._controller._now()
        try:
            response = ex.send(conditional)
        except ORIGIN_ERRORS:
            if decision.fallback is None:
                close_stream(entry.response.stream)
                raise
            self._log(ex.head, decision, "origin unreachable: UseStored (stale)")
            return self._serve(ex, entry, decision.fallback, revalidated=False)
        response_time = self._controller._now()

        if response.status == 304:
            response.read()  # an empty body: reading it returns the connection
            response.close()
            return self._freshen(ex, entry, response, request_time, response_time)
        if (
            decision.fallback is not None
            and decision.fallback_on_5xx
            and response.status in policy.STALE_IF_ERROR_STATUSES
        ):
            response.read()
            response.close()
            self._log(ex.head, decision, f"origin answered {response.status}: UseStored (stale)")
            return self._serve(ex, entry, decision.fallback, revalidated=False)
        return self._after_response(ex, response, request_time, response_time, decision)

    def _freshen(
        self,
        ex: _Exchange,
        entry: Entry,
        response: httpcore.Response,
        request_time: float,
        response_time: float,
    ) -> httpcore.Response:
        decision = policy.freshen(entry.head, response_head(response), ex.options)
        if not isinstance(decision, policy.Freshen):
            # RFC 9111 §4.3.3: the 304 selects nothing we hold; ask again unconditionally.
            return self._forward(ex, decision)
        fresh, body = self._entries.replace_headers(
            entry, decision.headers, request_time, response_time
        )
        now = self._controller._now()
        served = policy.reuse(ex.head, fresh.head, ex.options, now)
        if not isinstance(served, policy.UseStored):
            # Usable once (this exchange validated it) even if it is stale again at once.
            headers = policy.served_headers(fresh.head, now)
            served = policy.UseStored(decision.reason, fresh.head.response.status, headers, 0)
        self._log(ex.head, "Revalidate (304)", decision)
        return self._serve(ex, fresh, served, revalidated=True, body=body)

    def _start_refresh(self, ex: _Exchange, decision: policy.Revalidate) -> bool:
        with self._lock:
            if ex.key in self._refreshing or len(self._refreshing) >= MAX_BACKGROUND_REFRESHES:
                return False
            self._refreshing.add(ex.key)
        foreground = dataclasses.replace(
            decision, fallback=None, fallback_on_5xx=False, background=False
        )
        refresh = _Exchange(ex.request, ex.head, ex.options, ex.key, ex.send)
        spawn(self._refresh, refresh, foreground)
        return True

    def _refresh(self, ex: _Exchange, decision: policy.Revalidate) -> None:
        try:
            ex.entry, ex.index = self._entries.lookup(ex.key, ex.head)
            if ex.entry is None:
                response = self._forward(ex, decision)
            else:
                response = self._revalidate(ex, decision)
            response.read()  # reading to the end commits the entry
            response.close()
        except Exception:
            logger.warning("hishel: background refresh failed", exc_info=True)
        finally:
            with self._lock:
                self._refreshing.discard(ex.key)

    # -- forwarding and storing ----------------------------------------------------------------

    def _coalesced(self, ex: _Exchange, why: object) -> httpcore.Response:
        """One origin request per key at a time; followers wait, then read what it stored."""
        event = Event()
        with self._lock:
            leader = self._inflight.setdefault(ex.key, event)
        if leader is not event:
            leader.wait(COALESCE_WAIT)
            return self._answer(ex, coalesce=False)

        def release() -> None:
            self._inflight.pop(ex.key, None)
            event.set()

        try:
            response = self._forward(ex, why, on_done=release)
        except BaseException:
            release()
            raise
        if not isinstance(response.stream, TeeStream):
            release()
        return response

    def _forward(
        self,
        ex: _Exchange,
        why: object,
        on_done: t.Callable[[], None] | None = None,
    ) -> httpcore.Response:
        request_time = self._controller._now()
        response = ex.send(ex.request)
        response_time = self._controller._now()
        return self._after_response(ex, response, request_time, response_time, why, on_done)

    def _after_response(
        self,
        ex: _Exchange,
        response: httpcore.Response,
        request_time: float,
        response_time: float,
        why: object,
        on_done: t.Callable[[], None] | None = None,
    ) -> httpcore.Response:
        head = ex.head
        resp_head = response_head(response)
        self._invalidate(head, resp_head)
        if ex.entry is not None:
            if head.method == "HEAD" and response.status == 200:
                self._freshen_by_head(ex, ex.entry, resp_head, request_time, response_time)
            close_stream(ex.entry.response.stream)
        decision = self._storable(ex, response, resp_head)
        self._log(head, why, decision)
        _mark(response, from_cache=False, revalidated=False)
        if isinstance(decision, policy.Store):
            writer = self._entries.open_writer(
                ex.key,
                ex.index,
                head,
                resp_head,
                decision.headers,
                ex.request,
                response,
                request_time,
                self._controller._created_at(response_time),
            )
            if writer is not None:
                stream = t.cast(t.Iterable[bytes], response.stream)
                response.stream = TeeStream(stream, writer, on_done)
        return response

    def _storable(
        self, ex: _Exchange, response: httpcore.Response, resp_head: policy.ResponseHead
    ) -> policy.StoreDecision:
        decision = policy.storable(ex.head, resp_head, ex.options)
        controller = self._controller
        if not controller._custom_is_cachable:
            return decision
        # A Controller subclass overriding the 0.1 is_cachable has the last word.
        if not controller.is_cachable(ex.request, response):
            return policy.DontStore("refused by Controller.is_cachable")
        if isinstance(decision, policy.DontStore):
            return policy.Store("allowed by Controller.is_cachable", resp_head.headers)
        return decision

    def _freshen_by_head(
        self,
        ex: _Exchange,
        entry: Entry,
        resp_head: policy.ResponseHead,
        request_time: float,
        response_time: float,
    ) -> None:
        decision = policy.freshen(entry.head, resp_head, ex.options)  # RFC 9111 §4.3.5
        if isinstance(decision, policy.Freshen):
            self._entries.replace_headers(
                entry, decision.headers, request_time, response_time
            )

    def _invalidate(self, head: policy.RequestHead, resp_head: policy.ResponseHead) -> None:
        # RFC 9111 §4.4: the policy names the URIs; each loses its stored GET and HEAD.
        for url in policy.invalidated_urls(head, resp_head):
            for method in EMPTY_BODY_METHODS:
                try:
                    key = self._controller._key_generator(httpcore.Request(method, url), b"")
                except Exception:
                    logger.warning("hishel: key_generator failed", exc_info=True)
                    continue
                self._entries.remove(key)

    def _log(self, head: policy.RequestHead, *steps: object) -> None:
        """The one DEBUG line of a request: each decision taken, with its reason."""
        if logger.isEnabledFor(logging.DEBUG):
            text = "; ".join(
                step if isinstance(step, str) else f"{type(step).__name__} ({step.reason})"  # type: ignore[attr-defined]
                for step in steps
            )
            logger.debug("%s %s: %s", head.method, _log_url(head.url), text)
