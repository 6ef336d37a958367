"""Validators and conditional requests (RFC 9111 §4.3.1, §4.3.2; RFC 9110 §8.8, §13.1).

Validators (§4.3.1): the entity-tag in ETag and the timestamp in Last-Modified. An ETag is
parsed once (a malformed, unquoted one is kept as an opaque strong tag); comparison is strong
("both entity-tags are not weak and their opaque-tags match character-by-character") or weak
("their opaque-tags match character-by-character, regardless of either or both being tagged
as weak"), RFC 9110 §8.8.3.2.
Out (§4.3.1): the cache revalidates with *its* validators, the stored ETag in If-None-Match
and the stored Last-Modified in If-Modified-Since, replacing the client's own cache
validators (so a 304 always speaks about the stored response); If-Match,
If-Unmodified-Since and If-Range are the origin's business and pass through. A stored
response with neither is revalidated with its Date in If-Modified-Since: "caches
occasionally generate the field value based on other data, such as the Date header field of
the cached message ..., particularly when the cached message does not contain a
Last-Modified header field" (RFC 9110 §13.1.3); the 304 to it carries no validator and so
selects the one response held (§4.3.4). Without Date either, nothing can be asked.
In (§4.3.2): a client's If-None-Match (weak comparison), or else If-Modified-Since is
answered 304 from a stored 200: "If a request contains an If-Modified-Since header field and
the Last-Modified header field is not present in a stored response, a cache SHOULD use the
stored response's Date field value (or, if no Date field is present, the time that the stored
response was received) to evaluate the conditional" (§4.3.2).
"""

from __future__ import annotations

from collections.abc import Sequence

from ._dates import format_http_date
from ._directives import split_members
from ._messages import EntityTag, Headers, RequestHead, ResponseHead, StoredHead
from ._tables import CLIENT_VALIDATORS

__all__ = [
    "can_revalidate",
    "client_condition_met",
    "conditional_headers",
    "has_validator",
    "parse_etag",
    "parse_etag_list",
    "strong_match",
    "weak_match",
]


def parse_etag(value: str) -> EntityTag:
    """Parse an ETag value; an unquoted (malformed) tag is kept as an opaque strong tag."""
    value = value.strip()
    if value.startswith("W/"):
        return EntityTag(True, value[2:].lstrip())
    return EntityTag(False, value)


def parse_etag_list(values: Sequence[str]) -> tuple[EntityTag, ...]:
    """Entity tags of an ``If-None-Match`` / ``If-Match`` list; ``*`` is kept as a tag."""
    return tuple(parse_etag(m) for v in values for m in split_members(v))


def strong_match(one: EntityTag, other: EntityTag) -> bool:
    """RFC 9110 §8.8.3.2 strong comparison."""
    return not one.weak and not other.weak and one.opaque == other.opaque


def weak_match(one: EntityTag, other: EntityTag) -> bool:
    """RFC 9110 §8.8.3.2 weak comparison."""
    return one.opaque == other.opaque


def has_validator(response: ResponseHead) -> bool:
    """Whether the response carries a validator the cache can revalidate with (§4.3.1)."""
    return response.etag is not None or response.last_modified is not None


def can_revalidate(response: ResponseHead) -> bool:
    """Whether the cache can make a conditional request for the response: a validator, or
    a Date to send as If-Modified-Since (RFC 9110 §13.1.3)."""
    return has_validator(response) or response.date is not None


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
    elif etag is None and response.date is not None:  # (If-None-Match would win, §13.1.3)
        since = format_http_date(response.date)
        headers.append(("if-modified-since", since))  # RFC 9110 §13.1.3: its Date instead
    return tuple(headers)


def client_condition_met(request: RequestHead, stored: StoredHead) -> bool:
    """Whether the client's own conditional makes the stored 200 a 304 (§4.3.2)."""
    tags, since = request.if_none_match, request.if_modified_since
    if tags is None and since is None:
        return False  # (not a conditional request)
    response = stored.response
    if response.status != 200 or request.method not in ("GET", "HEAD"):
        return False  # RFC 9111 §4.3.2: only stored 200s, only GET/HEAD (RFC 9110 §13.2.2)
    if tags is not None:  # RFC 9110 §13.2.2: If-None-Match takes precedence
        etag = response.etag
        return any(  # RFC 9110 §13.1.2: weak comparison; "*" matches what we hold
            tag.opaque == "*" or (etag is not None and weak_match(tag, etag)) for tag in tags
        )
    if since is None:
        return False
    modified: float = stored.response_time  # RFC 9111 §4.3.2: else the time it was received
    if response.last_modified is not None:
        modified = response.last_modified
    elif response.date is not None:
        modified = response.date  # RFC 9111 §4.3.2: no Last-Modified: its Date
    return modified <= since  # RFC 9110 §13.1.3
