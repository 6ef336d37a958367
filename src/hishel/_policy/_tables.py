"""The tables the policy consults: status codes, methods and header-field sets.

Rules read as membership tests (``status in HEURISTICALLY_CACHEABLE``) so that what the cache
does with a status code, a method or a field is decided here, once, and never by a chain of
``if`` statements spread over the policy. Names are lower-case; methods are upper-case.
"""

from __future__ import annotations

__all__ = [
    "CLIENT_VALIDATORS",
    "HEURISTICALLY_CACHEABLE",
    "HEURISTICALLY_CACHEABLE_STATUS_CODES",
    "HEURISTIC_CAP",
    "HEURISTIC_FRACTION",
    "HIGHEST_STATUS",
    "HOP_BY_HOP",
    "MAX_DELTA",
    "PERMANENT_REDIRECTS",
    "METHOD_ANSWERS",
    "NO_CONTENT_STATUSES",
    "NOT_UPDATED_FROM_304",
    "SAFE_METHODS",
    "SENT_WITH_304",
    "STALE_IF_ERROR_STATUSES",
    "UNDERSTOOD_STATUS_CODES",
    "VARY_CASE_INSENSITIVE",
]

MAX_DELTA = 2**31
"""RFC 9111 §1.3: delta-seconds (and any overflowing age) saturate at 2**31 ("infinity")."""

HEURISTICALLY_CACHEABLE_STATUS_CODES: tuple[int, ...] = (
    200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501,
)  # fmt: skip
"""RFC 9110 §15.1: status codes defined as heuristically cacheable."""

HEURISTICALLY_CACHEABLE = frozenset(HEURISTICALLY_CACHEABLE_STATUS_CODES)
# hishel 0.1 kept these, with no caching field at all, for as long as the storage keeps
# them: a heuristic RFC 9111 §4.2.2 permits for these heuristically cacheable codes.
PERMANENT_REDIRECTS = frozenset({301, 308})

HEURISTIC_FRACTION = 0.1
"""RFC 9111 §4.2.2: heuristic lifetime = 10% of the time since Last-Modified ..."""

HEURISTIC_CAP = 86400
"""... capped at one day, so an old Last-Modified never makes a response fresh for months."""

UNDERSTOOD_STATUS_CODES = frozenset({
    100, 101,
    200, 201, 202, 203, 204, 205, 206,
    300, 301, 302, 303, 304, 305, 306, 307, 308,
    400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416,
    417, 418, 421, 422, 426,
    500, 501, 502, 503, 504, 505,
})  # fmt: skip
"""RFC 9110 §18.3: the status codes RFC 9110 defines; this cache implements their semantics."""

HIGHEST_STATUS = 599
"""RFC 9110 §15: a status code is a three-digit integer from 100 to 599. With
``cacheable_status_codes=None`` every final one (200-599), known or not, may be stored when
its headers allow it (RFC 9111 §3); 206 and 304 have their own rules."""

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
"""RFC 9110 §9.2.1. Every other method, known or not, is unsafe (RFC 9111 §4.4)."""

METHOD_ANSWERS = {"GET": frozenset({"GET", "HEAD"}), "HEAD": frozenset({"HEAD"})}
"""RFC 9111 §4: which presented methods a response stored for a method may answer (a stored
GET also answers HEAD). Any other method answers only itself."""

HOP_BY_HOP = frozenset({
    "connection", "keep-alive", "proxy-connection", "te", "transfer-encoding", "upgrade",
    "trailer", "proxy-authenticate", "proxy-authorization", "proxy-authentication-info",
})  # fmt: skip
"""RFC 9110 §7.6.1 and RFC 9111 §3.1: never stored (plus whatever ``Connection`` names)."""

NOT_UPDATED_FROM_304 = HOP_BY_HOP | {"content-length", "content-encoding", "content-range"}
"""RFC 9111 §3.2: fields a 304 / HEAD response never replaces in the stored response: framing
(Content-Length, Transfer-Encoding), fields the stored body depends upon (Content-Encoding)
and fields the recipient processes away (Content-Range)."""

SENT_WITH_304 = frozenset({
    "cache-control", "content-location", "date", "etag", "expires", "vary", "age",
    "last-modified",
})  # fmt: skip
"""RFC 9110 §15.4.5: the fields a 304 this cache generates carries."""

NO_CONTENT_STATUSES = frozenset({204, 304, 416})
"""RFC 9110 §6.4.1: final statuses whose served response has no content (1xx never has any):
204, 304, and the 416 this cache generates from a stored response (RFC 9110 §15.5.17)."""

CLIENT_VALIDATORS = frozenset({"if-none-match", "if-modified-since"})
"""RFC 9111 §4.3.1: the client's cache validators, replaced by the cache's own when it
revalidates (If-Match, If-Unmodified-Since and If-Range are for the origin and pass through)."""

VARY_CASE_INSENSITIVE = frozenset({"accept-encoding", "accept-charset", "accept-language"})
"""RFC 9111 §4.1: selecting fields whose values compare case-insensitively (codings,
charsets and language tags are case-insensitive)."""

# RFC 5861 §4: the statuses that count as an error for stale-if-error.
STALE_IF_ERROR_STATUSES = frozenset({500, 502, 503, 504})
