# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The one orchestration: key, storage lookup, policy decision, dispatch.

``CacheFlow.handle(request, send)`` is shared by every shell (``hishel._hosts``): it works
on the core's own messages (``_core._messages``) and ``send`` forwards one to the origin.
Every caching rule lives in the policy; this module does the I/O around it: it asks the
policy with what storage holds and matches on the decision: serve the stored response, send a
conditional request and freshen, send and maybe store (streaming the body into storage as the
caller reads it), or answer 504. It invalidates after unsafe methods and sets the
``from_cache`` / ``revalidated`` / ``cache_metadata`` response extensions. Opt-in:
stale-while-revalidate refreshes run in the background (one per key, a few at a time), and
concurrent misses for one key make one origin request.
"""

from __future__ import annotations

import logging
import typing as t

from ... import _policy as policy
from ..._storage._sync._entry_store import StorageHandle, close_body
from .._adapters import raw_headers, request_head, request_headers, response_head, served_of
from .._concurrency import spawn
from .._config import FlowConfig
from .._keys import generate_key, keyed_url
from .._memos import RequestHeads
from .._messages import BytesBody, Request, Response
from .._status import CacheStats, Marker, Outcome, StatsCounter
from ._entries import Entries, Entry, Target
from ._exchange import (
    Send,
    Exchange,
    as_get,
    asks,
    forwarded_extensions,
    log_steps,
    read_body,
    served_extensions,
    storable,
)
from ._inflight import Inflight
from ._partial import Partials
from ._streams import SliceStream, TeeStream

__all__ = ["CacheFlow"]

logger = logging.getLogger("hishel")

EMPTY_BODY_METHODS = frozenset({"GET", "HEAD"})


class CacheFlow:
    """The caching orchestration shared by every shell."""

    def __init__(
        self,
        storage: StorageHandle,
        config: FlowConfig,
        origin_errors: tuple[type[Exception], ...] = (),
    ) -> None:
        """``config``: the caching options (a Controller's, ``flow_config``);
        ``origin_errors``: the host's errors meaning the origin could not be reached or
        dropped the exchange (a stale response may answer them, RFC 5861 §4)."""
        self._storage = storage
        self._origin_errors = origin_errors
        self._config = config
        self._stats = StatsCounter()
        self._entries = Entries(
            storage.entry_store(), self._config.clock, self._config.privacy, self._stats.error
        )
        self._mark = Marker(self._stats, config.cache_status_header)
        self._partials = Partials(self._entries, self._config, self._mark)
        self._inflight = Inflight()
        self._heads = RequestHeads(self._parsed)  # (``_memos``: its measured gain)
        # the methods whose request body is part of the key (cacheable, other than GET/HEAD):
        # a shell reads such a body before ``handle``
        self.body_keyed = config.options.cacheable_methods - EMPTY_BODY_METHODS

    @property
    def stats(self) -> CacheStats:
        """What this flow did since it was built."""
        return self._stats.snapshot()

    def close(self, *, storage: bool = True) -> None:
        """Write back what is pending and close the storage (unless ``storage`` is False)."""
        self._entries.flush_uses()
        if storage:
            self._storage.close()

    def _parsed(self, request: Request) -> tuple[policy.RequestHead, str | None]:
        """The policy's head of ``request``, and its key when that is the default key of a
        GET (method and URL: a function of the same parts)."""
        if request.method == b"GET" and self._config.key_generator is generate_key:
            url, key = keyed_url(request)  # (the URL normalised once for both)
            return request_head(request, url), key
        return request_head(request), None

    def handle(self, request: Request, send: Send) -> Response:
        """Answer ``request`` from storage or through ``send``, storing what may be stored."""
        if request.extensions.get("cache_disabled"):
            response = send(request)
            return self._mark(response, Outcome(fwd="bypass", fwd_status=response.status))
        config = self._config
        options = config.options_for(request)
        head, key = self._heads.head(request)
        keyed = policy.keyed_method(head.method, options)
        if keyed is None:
            response = send(request)
            urls = policy.invalidated_urls(head, response_head(response))  # RFC 9111 §4.4
            self._entries.invalidate(urls, self._config.key_generator)
            log_steps(head, "Forward (method is not cacheable)")
            return self._mark(response, Outcome(fwd="method", fwd_status=response.status))

        body = b""
        key_request = request
        if keyed == "GET" and key is not None:  # (the default key, known with the head)
            ex = Exchange(request, head, options, key, send)
            return self._answer(ex, coalesce=config.coalesce)
        if keyed != head.method:  # RFC 9111 §4.3.5: a stored GET answers this HEAD
            key_request = Request(keyed.encode("ascii"), request.url, request.headers)
        elif head.method not in EMPTY_BODY_METHODS:
            body = read_body(request)
            request = key_request = Request(
                request.method,
                request.url,
                request.headers,
                BytesBody(body),
                request.extensions,
                request.origin,
            )
        ex = Exchange(request, head, options, config.key_generator(key_request, body), send)
        return self._answer(ex, coalesce=config.coalesce)

    def _answer(self, ex: Exchange, *, coalesce: bool) -> Response:
        ex.entry, ex.index = self._entries.lookup(ex.key, ex.head)
        if ex.entry is None and ex.head.method == "GET" and self._partials.worth_a_look(ex.head):
            answered = self._partials.answer(ex)  # RFC 9111 §3.3
            if answered is not None:
                log_steps(ex.head, "answered from or completed with a stored part (§3.3)")
                return answered
        stored = ex.entry.stored if ex.entry else None
        decision = policy.reuse(ex.head, stored, ex.options, now := self._config.now())
        match decision:
            case policy.UseStored():
                assert ex.entry is not None
                log_steps(ex.head, decision)
                return self._serve(ex, ex.entry, decision, now)
            case policy.Revalidate():
                ex.fwd = "request" if asks(ex.head) else "stale"
                return self._revalidate(ex, decision)
            case policy.GatewayTimeout():
                if ex.entry is not None:
                    close_body(ex.entry.body)
                log_steps(ex.head, decision)
                return self._mark(Response(504, []), Outcome(detail="only-if-cached"))
            case policy.Forward():
                if ex.entry is not None:
                    ex.fwd = "request" if asks(ex.head) else "stale"
                elif ex.index is not None:
                    ex.fwd = "vary-miss"
                if coalesce and ex.entry is None:
                    return self._coalesced(ex, decision)
                return self._forward(ex, decision)  # the entry is closed after the answer
            case _:
                t.assert_never(decision)

    # -- serving from storage ------------------------------------------------------------

    def _serve(
        self,
        ex: Exchange,
        entry: Entry,
        decision: policy.UseStored,
        now: float,
        *,
        revalidated: bool = False,
        detail: str | None = None,
    ) -> Response:
        metadata, due = self._entries.count_use(entry, now)
        if due:
            self._entries.flush_uses()
        status, ascii_fields = decision.status, False
        content: t.Iterable[bytes] = entry.body
        fields: list[tuple[bytes, bytes]] | None = None
        if status == 200 and ex.head.ranged:
            ranged = policy.answer_range(ex.head, entry.stored.response, decision.headers)
            if ranged is not None:  # RFC 9110 §14: a 206 (or 416) cut from the stored 200
                status = ranged.status
                content = SliceStream(content, ranged.start, ranged.stop)
                fields = raw_headers(ranged.headers)
        if fields is None:  # the entry's own fields (encoded once) or the 304's, and Age
            if decision.as_stored:
                fields = served_of(entry.head, entry.stored)
                ascii_fields = entry.head.views.served_ascii  # (and so is Age)
            else:
                fields = raw_headers(decision.fields)
            fields.append((b"age", b"%d" % decision.age))
        if not policy.carries_body(ex.head.method, status):
            close_body(content)
            content = BytesBody(b"")
        response = Response(status, fields, content, served_extensions(entry))
        response.ascii_fields = ascii_fields
        ttl, collapsed = decision.ttl, ex.collapsed
        if revalidated:  # RFC 9211 §2.2: fwd says why it went to the origin (stale or request)
            outcome = Outcome(
                fwd=ex.fwd, fwd_status=304, ttl=ttl, collapsed=collapsed, revalidated=True
            )
            return self._mark(response, outcome, metadata)
        return self._mark.hit(response, metadata, ttl, decision.stale, collapsed, detail)

    # -- revalidation ----------------------------------------------------------------------

    def _revalidate(self, ex: Exchange, decision: policy.Revalidate) -> Response:
        entry = ex.entry
        assert entry is not None
        if decision.background and decision.fallback is not None:
            # RFC 5861 §3: serve stale now, refresh in the background (bounded).
            started = self._start_refresh(ex, decision)
            note = "refreshing in the background" if started else "a refresh is under way"
            log_steps(ex.head, decision, f"UseStored (stale; {note})")
            return self._serve(ex, entry, decision.fallback, self._config.now())
        conditional = Request(
            ex.request.method,
            ex.request.url,
            request_headers(ex.request.headers, decision.headers, ex.head.headers),
            ex.request.stream,
            forwarded_extensions(ex.request.extensions),
            ex.request.origin,
        )
        request_time = self._config.now()
        try:
            response = ex.send(conditional)
        except self._origin_errors:
            if decision.fallback is None:
                close_body(entry.body)
                raise
            log_steps(ex.head, decision, "origin unreachable: UseStored (stale)")
            detail = "origin unreachable"
            return self._serve(ex, entry, decision.fallback, request_time, detail=detail)
        response_time = self._config.now()

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
            log_steps(ex.head, decision, f"origin answered {response.status}: UseStored (stale)")
            detail = f"origin answered {response.status}"
            return self._serve(ex, entry, decision.fallback, response_time, detail=detail)
        return self._after_response(ex, response, request_time, response_time, decision)

    def _freshen(
        self,
        ex: Exchange,
        entry: Entry,
        response: Response,
        request_time: float,
        response_time: float,
    ) -> Response:
        stored = entry.stored
        validator = response_head(response, stored.response)
        decision = policy.freshen(stored, validator, ex.options)
        match decision:
            case policy.Freshen():
                fresh = self._entries.freshen(
                    entry, decision.headers, request_time, response_time, validator
                )
                now = self._config.now()
                served = policy.validated_reuse(ex.head, fresh.stored, ex.options, now)
                log_steps(ex.head, "Revalidate (304)", decision)
                return self._serve(ex, fresh, served, now, revalidated=True)
            case policy.DontStore():
                # RFC 9111 §4.3.3: the 304 selects nothing we hold; ask again unconditionally.
                return self._forward(ex, decision)
            case _:
                t.assert_never(decision)

    def _start_refresh(self, ex: Exchange, decision: policy.Revalidate) -> bool:
        if not self._inflight.start_refresh(ex.key):
            return False
        foreground = decision._replace(fallback=None, fallback_on_5xx=False, background=False)
        refresh = Exchange(ex.request, ex.head, ex.options, ex.key, ex.send)
        spawn(self._refresh, refresh, foreground)
        return True

    def _refresh(self, ex: Exchange, decision: policy.Revalidate) -> None:
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
            self._inflight.end_refresh(ex.key)

    # -- forwarding and storing ----------------------------------------------------------------

    def _coalesced(self, ex: Exchange, why: object) -> Response:
        """One origin request per key at a time; followers wait, then read what it stored."""
        release = self._inflight.lead(ex.key)
        if release is None:  # another request led: read what it stored
            ex.collapsed = True
            return self._answer(ex, coalesce=False)
        try:
            response = self._forward(ex, why, on_done=release)
        except BaseException:
            release()
            raise
        if not isinstance(response.stream, TeeStream):
            release()
        return response

    def _forward(
        self, ex: Exchange, why: object, on_done: t.Callable[[], None] | None = None
    ) -> Response:
        request_time = self._config.now()
        response = ex.send(ex.request)
        response_time = self._config.now()
        return self._after_response(ex, response, request_time, response_time, why, on_done)

    def _after_response(
        self,
        ex: Exchange,
        response: Response,
        request_time: float,
        response_time: float,
        why: object,
        on_done: t.Callable[[], None] | None = None,
    ) -> Response:
        head = ex.head
        resp_head = response_head(response)
        urls = policy.invalidated_urls(head, resp_head)  # RFC 9111 §4.4
        if urls:  # (none after a safe method)
            self._entries.invalidate(urls, self._config.key_generator)
        if ex.entry is not None:
            if head.method == "HEAD" and response.status == 200:
                self._freshen_by_head(ex, ex.entry, resp_head, request_time, response_time)
            close_body(ex.entry.body)
        decision = storable(ex, response, resp_head, self._config.is_cachable)
        log_steps(head, why, decision)
        targets: list[Target] = []
        match decision:
            case policy.Store():
                targets.append(Target(ex.key, ex.index, head, ex.request, decision.headers))
            case policy.DontStore():
                pass
            case _:
                t.assert_never(decision)
        if response.status == 206 and head.method == "GET":
            self._partials.store(ex, response, resp_head, request_time)
        if head.method == "POST":
            also = policy.stored_for_get(head, resp_head, ex.options)
            if isinstance(also, policy.Store):  # RFC 9110 §9.3.3: it answers GET of its URI
                targets.append(as_get(ex, also, self._config.key_generator))
        stored = False
        if targets:
            created = self._config.created_at(self._config.now())
            stored = self._entries.store(
                targets, response, resp_head, request_time, created, on_done
            )
        outcome = Outcome(fwd=ex.fwd, fwd_status=response.status, stored=stored)
        return self._mark(response, outcome)

    def _freshen_by_head(
        self,
        ex: Exchange,
        entry: Entry,
        resp_head: policy.ResponseHead,
        request_time: float,
        response_time: float,
    ) -> None:
        decision = policy.freshen(entry.stored, resp_head, ex.options)  # RFC 9111 §4.3.5
        if isinstance(decision, policy.Freshen):
            self._entries.freshen(
                entry, decision.headers, request_time, response_time, resp_head
            )
