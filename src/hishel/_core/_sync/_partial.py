# GENERATED from the async source by scripts/unasync.py; do not edit.
"""Partial content (RFC 9111 §3.3, §3.4): 206s stored as partial entries, answered, completed.

A 206 to a GET with a single byte range and a strong validator is kept under the key's
partial twin (``key + PARTIAL``), so it never answers a request the policy would answer
from a complete 200. Parts are looked for on range requests, and on every GET miss once
this flow kept one (so a plain miss costs no second storage read). A later range request
wholly inside the part is answered from it; a request that starts inside it and wants more
sends ``Range: bytes=N-`` (with ``If-Range`` on the strong validator) for the rest only,
and the two parts, when the policy combines them, become one complete 200 entry under the
key itself (the part is removed). Parts whose bodies do not have the length their
``Content-Range`` announced are discarded. Combining
reads both parts into memory: partial entries are for ranges, not for huge bodies.
"""

from __future__ import annotations

import typing as t

from ... import _policy as policy
from ..._storage._sync._entry_store import close_body
from .._adapters import raw_headers, response_head
from .._config import FlowConfig
from .._messages import BytesBody, Request, Response
from .._status import Outcome
from ._entries import Entries, Entry, Target
from ._exchange import Exchange, Mark
from ._streams import SliceStream

__all__ = ["PARTIAL", "Partials"]

PARTIAL = "~partial"


def _read(body: t.Iterable[bytes]) -> bytes:
    try:
        return b"".join([chunk for chunk in body])
    finally:
        close_body(body)


class Partials:
    """What the flow does with partial content."""

    def __init__(self, entries: Entries, config: FlowConfig, mark: Mark) -> None:
        self._entries = entries
        self._config = config
        self._mark = mark
        self._stored_here = False  # whether this flow ever kept a part

    def worth_a_look(self, head: policy.RequestHead) -> bool:
        """Whether a stored part may help ``head``: a range request, or any GET once this
        flow kept a part (a miss costs no second storage read otherwise)."""
        return self._stored_here or head.ranged

    def store(
        self,
        ex: Exchange,
        response: Response,
        resp_head: policy.ResponseHead,
        request_time: float,
    ) -> None:
        """Keep a 206 as the partial entry of ``ex.key`` when the policy allows (§3.3)."""
        decision = policy.storable_partial(ex.head, resp_head, ex.options)
        part = policy.received_part(resp_head)
        if not isinstance(decision, policy.Store) or part is None:
            return
        body = response.read()  # a part is checked before it is kept
        response.close()  # (the connection goes back to the pool)
        response.stream = BytesBody(body)
        if not policy.body_matches(part, len(body)):
            return  # RFC 9110 §14.4: a part that is not what it says is discarded
        self._stored_here = True
        target = Target(ex.key + PARTIAL, None, ex.head, ex.request, decision.headers)
        created = self._config.created_at(self._config.now())
        self._entries.store([target], response, resp_head, request_time, created, None)

    def answer(self, ex: Exchange) -> Response | None:
        """The answer from (or completing) the stored part; None when it cannot help."""
        entry, _ = self._entries.lookup(ex.key + PARTIAL, ex.head)
        if entry is None:
            return None
        stored = entry.stored.response
        part = policy.received_part(stored)
        now = self._config.now()
        decision = policy.reuse(ex.head, entry.stored, ex.options, now)
        if part is None or not isinstance(decision, policy.UseStored):
            close_body(entry.body)
            return None
        ranged = policy.answer_partial(ex.head, stored, part, decision.headers)
        if ranged is not None:  # RFC 9111 §3.3: wholly within what is stored
            metadata, due = self._entries.count_use(entry, now)
            if due:
                self._entries.flush_uses()
            content = SliceStream(entry.body, ranged.start, ranged.stop)
            response = Response(206, raw_headers(ranged.headers), content, {})
            response.extensions["cache_metadata"] = metadata
            return self._mark(response, Outcome(hit=True))
        missing = policy.missing_range(ex.head, part)
        if missing is None:
            close_body(entry.body)
            return None
        return self._complete(ex, entry, part, missing)

    def _complete(
        self, ex: Exchange, entry: Entry, part: policy.Part, missing: str
    ) -> Response | None:
        """Ask for the rest only, and combine the parts (RFC 9111 §3.3, §3.4)."""
        stored = entry.stored.response
        dropped = (b"range", b"if-range")
        headers = [(n, v) for n, v in ex.request.headers if n.lower() not in dropped]
        headers.append((b"Range", missing.encode("latin-1")))
        etags = [v for n, v in stored.headers if n == "etag"]
        validator = etags[0] if etags else stored.last_modified_value
        if validator:
            headers.append((b"If-Range", validator.encode("latin-1")))  # RFC 9110 §13.1.5
        request = Request(
            ex.request.method,
            ex.request.url,
            headers,
            ex.request.stream,
            ex.request.extensions,
            ex.request.origin,
        )
        request_time = self._config.now()
        response = ex.send(request)
        new = response_head(response)
        combined = policy.combine(stored, part, new, ex.options)
        if not isinstance(combined, policy.Combined):
            close_body(entry.body)
            self._entries.remove(ex.key + PARTIAL)  # changed, or replaced by a 200
            if response.status == 200:
                return self._whole(ex, response, new, request_time)
            response.read()  # not what the caller asked for: ask as the caller did
            response.close()
            return None
        parts = {"stored": _read(entry.body), "new": response.read()}
        response.close()
        received = policy.received_part(new)
        if received is None or not policy.body_matches(received, len(parts["new"])):
            return None  # RFC 9110 §14.4: never combined; the request goes as it was
        body = b"".join(parts[name][start:stop] for name, start, stop in combined.pieces)
        return self._store_combined(ex, combined, body, request_time)

    def _whole(
        self,
        ex: Exchange,
        response: Response,
        resp_head: policy.ResponseHead,
        request_time: float,
    ) -> Response:
        decision = policy.storable(ex.head, resp_head, ex.options)
        if isinstance(decision, policy.Store):
            target = Target(ex.key, None, ex.head, ex.request, decision.headers)
            created = self._config.created_at(self._config.now())
            self._entries.store([target], response, resp_head, request_time, created, None)
        return self._mark(response, Outcome(fwd="partial", fwd_status=200, stored=True))

    def _store_combined(
        self, ex: Exchange, combined: policy.Combined, body: bytes, request_time: float
    ) -> Response:
        complete = combined.status == 200
        key = ex.key if complete else ex.key + PARTIAL
        raw = raw_headers(combined.headers)
        stored = Response(combined.status, raw, BytesBody(body), {})
        resp_head = response_head(stored)
        target = Target(key, None, ex.head, ex.request, combined.headers)
        created = self._config.created_at(self._config.now())
        self._entries.store([target], stored, resp_head, request_time, created, None)
        if complete:
            self._entries.remove(ex.key + PARTIAL)
        status, headers, content = combined.status, raw, BytesBody(body)
        if complete and ex.head.ranged:
            ranged = policy.answer_range(ex.head, resp_head, combined.headers)
            if ranged is not None:  # the caller asked for a range of the whole
                status, headers = ranged.status, raw_headers(ranged.headers)
                content = BytesBody(body[ranged.start : ranged.stop])
        response = Response(status, headers, content, {})
        return self._mark(response, Outcome(fwd="partial", fwd_status=206, stored=True))
