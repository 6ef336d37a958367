"""Freshening a stored response (RFC 9111 §4.3.3-§4.3.5), and what to serve after it.

A 304 (or a HEAD 200) updates the stored response it selects: a strong ETag must match
strongly, a weak one weakly, a Last-Modified exactly; a 304 without any validator selects
the one response we hold, since our request carried only its validators. "A 304 (Not
Modified) response status code indicates that the stored response can be updated and
reused" (§4.3.3). The update replaces same-named fields (§3.2) except framing and the fields
the stored body depends upon; the old Age and Date describe the old exchange, so they go
with it. Once freshened, the response answers this exchange even when it is stale again at
once: a cache may reuse a stored response that is "successfully validated" (§4).
"""

from __future__ import annotations

from ._decisions import DontStore, Freshen, UseStored
from ._freshness import current_age, freshness_lifetime
from ._messages import RequestHead, ResponseHead, StoredHead
from ._options import PolicyOptions
from ._reuse import reuse
from ._served import served_fields
from ._storable import kept_headers
from ._tables import MAX_DELTA, NOT_UPDATED_FROM_304
from ._targeted import for_this_cache
from ._validation import strong_match, weak_match

__all__ = ["freshen", "validated_reuse"]


def _selection_refused(stored: ResponseHead, new: ResponseHead) -> str | None:
    """Why a 304 does not select the stored response (§4.3.4), or None when it does."""
    etag = new.etag
    if etag is not None:
        if stored.etag is None:
            return "the 304's ETag matches no stored ETag"
        if not etag.weak:
            return None if strong_match(etag, stored.etag) else "strong ETag mismatch"
        return None if weak_match(etag, stored.etag) else "weak ETag mismatch"
    if new.last_modified is not None and new.last_modified != stored.last_modified:
        return "Last-Modified mismatch"
    return None


def _head_refused(stored: ResponseHead, new: ResponseHead) -> str | None:
    """Why a HEAD response does not update the stored GET response (§4.3.5), or None."""
    if new.etag is not None and new.etag != stored.etag:
        return "HEAD ETag differs: stored response is stale"
    if new.last_modified is not None and new.last_modified != stored.last_modified:
        return "HEAD Last-Modified differs: stored response is stale"
    length = [v.strip() for n, v in new.headers if n == "content-length"]
    if length and length != [v.strip() for n, v in stored.headers if n == "content-length"]:
        return "HEAD Content-Length differs: stored response is stale"
    return None


def freshen(
    stored: StoredHead, response: ResponseHead, options: PolicyOptions
) -> Freshen | DontStore:
    """Update the stored response from a 304 (§4.3.4) or a HEAD 200 (§4.3.5).

    ``Freshen.headers`` is the complete new header tuple of the stored response.
    """
    if response.status == 304:
        refused = _selection_refused(stored.response, response)  # RFC 9111 §4.3.4
        reason = "304 selects the stored response"
    elif response.status == 200:
        refused = _head_refused(stored.response, response)  # RFC 9111 §4.3.5
        reason = "HEAD response matches the stored response"
    else:
        return DontStore(f"a {response.status} does not freshen a stored response")
    if refused is not None:
        return DontStore(refused)
    kept = for_this_cache(response, options)  # RFC 9213 §2.2: its private=... fields
    incoming = [item for item in kept_headers(kept, options) if item[0] not in NOT_UPDATED_FROM_304]
    replaced = {name for name, _ in incoming} | {"age", "date"}  # RFC 9111 §3.2, §4.2.3
    old = [item for item in stored.response.headers if item[0] not in replaced]
    return Freshen(reason, (*old, *incoming))


def validated_reuse(
    head: RequestHead, stored: StoredHead, options: PolicyOptions, now: float
) -> UseStored:
    """What to serve this exchange from ``stored``, just freshened by a 304 (§4.3.3, §4).

    The usual answer of ``reuse`` when it is ``UseStored`` (a fresh response, or a 304 for
    the client's own conditional); otherwise the stored response, usable once because this
    exchange validated it.
    """
    decision = reuse(head, stored, options, now, validating=True)
    if isinstance(decision, UseStored):
        return decision
    age = min(int(current_age(stored, now)), MAX_DELTA)
    lifetime = freshness_lifetime(
        stored.response,
        stored.response_time,
        shared=options.shared,
        heuristics=options.allow_heuristics,
        default=options.default_lifetime,
    )
    return UseStored(  # RFC 9111 §4: "successfully validated"
        "usable once: this exchange validated it",
        stored.response.status,
        served_fields(stored),
        age,
        ttl=None if lifetime is None else int(lifetime - age),  # RFC 9211 §2.4
        as_stored=True,
    )
