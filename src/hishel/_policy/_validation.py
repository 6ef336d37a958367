"""Validation (RFC 9111 §4.3): conditional requests out, client conditionals in, freshening.

Out (§4.3.1): the cache revalidates with *its* validators, the stored ETag in If-None-Match
and the stored Last-Modified in If-Modified-Since, replacing the client's own cache
validators (so a 304 always speaks about the stored response); If-Match,
If-Unmodified-Since and If-Range are the origin's business and pass through.
In (§4.3.2): a client's If-None-Match (weak comparison), or else If-Modified-Since against
Last-Modified (or Date, or the receipt time), is answered 304 from a stored 200.
Back (§4.3.4, §4.3.5): a 304 (or a HEAD 200) updates the stored response it selects: a strong
ETag must match strongly, a weak one weakly, a Last-Modified exactly; a 304 without any
validator selects the one response we hold, since our request carried only its validators.
The update replaces same-named fields (§3.2) except framing and the fields the stored body
depends upon; the old Age and Date describe the old exchange, so they go with it.
"""

from __future__ import annotations

from ._decisions import DontStore, Freshen
from ._messages import Headers, RequestHead, ResponseHead, StoredHead
from ._options import PolicyOptions
from ._storable import kept_headers
from ._tables import CLIENT_VALIDATORS, NOT_UPDATED_FROM_304

__all__ = ["client_condition_met", "conditional_headers", "freshen"]


def conditional_headers(request: RequestHead, stored: StoredHead) -> Headers:
    """The request's headers with the cache's validators in place of the client's (§4.3.1)."""
    response = stored.response
    headers = [item for item in request.headers if item[0] not in CLIENT_VALIDATORS]
    etag = response.etag
    if etag is not None:
        value = f"W/{etag.opaque}" if etag.weak else etag.opaque
        headers.append(("if-none-match", value))  # RFC 9111 §4.3.1
    if response.last_modified_value is not None:
        headers.append(("if-modified-since", response.last_modified_value))  # RFC 9111 §4.3.1
    return tuple(headers)


def client_condition_met(request: RequestHead, stored: StoredHead) -> bool:
    """Whether the client's own conditional makes the stored 200 a 304 (§4.3.2)."""
    response = stored.response
    if response.status != 200 or request.method not in ("GET", "HEAD"):
        return False  # RFC 9111 §4.3.2: only stored 200s, only GET/HEAD (RFC 9110 §13.2.2)
    tags = request.if_none_match
    if tags is not None:  # RFC 9110 §13.2.2: If-None-Match takes precedence
        etag = response.etag
        return any(  # RFC 9110 §13.1.2: weak comparison; "*" matches what we hold
            tag.opaque == "*" or (etag is not None and tag.weak_match(etag)) for tag in tags
        )
    since = request.if_modified_since
    if since is None:
        return False
    modified: float = stored.response_time  # RFC 9111 §4.3.2: Last-Modified, else Date
    if response.last_modified is not None:
        modified = response.last_modified
    elif response.date is not None:
        modified = response.date
    return modified <= since  # RFC 9110 §13.1.3


def _selection_refused(stored: ResponseHead, new: ResponseHead) -> str | None:
    """Why a 304 does not select the stored response (§4.3.4), or None when it does."""
    etag = new.etag
    if etag is not None:
        if stored.etag is None:
            return "the 304's ETag matches no stored ETag"
        if not etag.weak:
            return None if etag.strong_match(stored.etag) else "strong ETag mismatch"
        return None if etag.weak_match(stored.etag) else "weak ETag mismatch"
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
    incoming = [
        item for item in kept_headers(response, options) if item[0] not in NOT_UPDATED_FROM_304
    ]
    replaced = {name for name, _ in incoming} | {"age", "date"}  # RFC 9111 §3.2, §4.2.3
    kept = [item for item in stored.response.headers if item[0] not in replaced]
    return Freshen(reason, (*kept, *incoming))
