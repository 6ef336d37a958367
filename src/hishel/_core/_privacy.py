"""What of a request is kept at rest: only what matching needs, credentials only as digests.

A stored request keeps its method, its URL (less the ``ignored_parameters``) and only the
header fields the response's ``Vary`` names (RFC 9111 §4.1). Of those, the sensitive ones
(Authorization, Proxy-Authorization, Cookie and the Controller's ``sensitive_headers``) are
kept as ``hishel-hmac-sha256:<hex>``: an HMAC, under the storage's random secret, of the
field's normalised Vary value. On lookup, the incoming request's value is digested the same
way and, when it matches, stands in for the digest in memory, so the policy compares plain
values as usual. ``Set-Cookie`` is never stored. The secret lives in the storage itself
(``AsyncEntryStore.privacy_secret``), so every process sharing the storage matches.
"""

from __future__ import annotations

import hashlib
import hmac
import typing as t
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from .. import _policy as policy
from ._messages import URL, Request, RequestParts

__all__ = [
    "ALWAYS_SENSITIVE",
    "DIGEST_PREFIX",
    "NEVER_STORED",
    "Privacy",
    "digest",
    "is_digest",
]

ALWAYS_SENSITIVE = frozenset({"authorization", "proxy-authorization", "cookie"})
NEVER_STORED = frozenset({"set-cookie", "set-cookie2"})
_NEVER_STORED_RAW = frozenset(name.encode("latin-1") for name in NEVER_STORED)
_SENSITIVE_RAW = frozenset(name.encode("latin-1") for name in ALWAYS_SENSITIVE)
DIGEST_PREFIX = "hishel-hmac-sha256:"

RawHeaders = list[tuple[bytes, bytes]]


def digest(secret: bytes, name: str, head: policy.RequestHead) -> str:
    """The keyed digest of ``head``'s value of the field ``name`` (its Vary form)."""
    line = policy.vary_fingerprint(head, (name,))
    mac = hmac.new(secret, line.encode("utf-8"), hashlib.sha256).hexdigest()
    return DIGEST_PREFIX + mac


def is_digest(value: bytes | str) -> bool:
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    return text.startswith(DIGEST_PREFIX)


def keyed_fingerprint(secret: bytes, fingerprint: str) -> str:
    """A Vary fingerprint that names sensitive values, keyed so it cannot be guessed offline."""
    return hmac.new(secret, fingerprint.encode("utf-8"), hashlib.sha256).hexdigest()


def _names(names: t.Iterable[str]) -> frozenset[str]:
    if isinstance(names, str | bytes):
        raise TypeError("expected a list of names, e.g. ('X-Api-Key',), not a single string")
    out = set()
    for name in names:
        if not isinstance(name, str) or not name:
            raise TypeError(f"expected non-empty strings, not {name!r}")
        out.add(name.lower())
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Privacy:
    """The Controller's ``sensitive_headers`` and ``ignored_parameters``, as the flow uses them."""

    sensitive: frozenset[str] = ALWAYS_SENSITIVE
    ignored: frozenset[str] = frozenset()

    @classmethod
    def of(cls, sensitive: t.Iterable[str] = (), ignored: t.Iterable[str] = ()) -> Privacy:
        return cls(ALWAYS_SENSITIVE | _names(sensitive), _names(ignored))

    def needs_secret(self, names: t.Iterable[str]) -> bool:
        return any(name in self.sensitive for name in names)

    # -- URLs --------------------------------------------------------------------------------

    def strip_url(self, url: URL) -> URL:
        """``url`` without the ignored query parameters (the others in their order)."""
        if not self.ignored or b"?" not in url.target:
            return url
        path, _, query = url.target.partition(b"?")
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in self.ignored]
        if len(kept) == len(pairs):
            return url
        target = path + (b"?" + urlencode(kept).encode("latin-1") if kept else b"")
        return URL(url.scheme, url.host, url.port, target)

    def strip_request(self, request: Request) -> Request:
        """``request`` keyed without the ignored parameters (same object when none apply)."""
        url = self.strip_url(request.url)
        if url is request.url:
            return request
        return Request(request.method, url, request.headers, request.stream, request.extensions)

    # -- headers -----------------------------------------------------------------------------

    def kept_headers(
        self,
        raw: t.Sequence[tuple[bytes, bytes]],
        head: policy.RequestHead,
        names: t.Iterable[str],
        secret: bytes | None,
    ) -> RawHeaders:
        """The request fields kept at rest: the Vary-named ones, sensitive ones as digests."""
        wanted = frozenset(names)
        if not wanted:
            return []
        kept: RawHeaders = []
        digested: set[str] = set()
        for name, value in raw:
            lower = name.decode("latin-1").lower()
            if lower not in wanted:
                continue
            if lower not in self.sensitive:
                kept.append((name, value))
            elif secret is not None and lower not in digested:
                digested.add(lower)
                kept.append((name, digest(secret, lower, head).encode("latin-1")))
        return kept

    def resolve(self, stored: RequestParts, head: policy.RequestHead, secret: bytes) -> Request:
        """``stored`` with each digest the incoming ``head`` matches replaced by its values
        (in memory only), so the policy compares them; unmatched digests stay (no match)."""
        headers: RawHeaders = []
        for name, value in stored.headers:
            lower = name.decode("latin-1").lower()
            if is_digest(value) and hmac.compare_digest(
                value.decode("latin-1"), digest(secret, lower, head)
            ):
                headers.extend((name, v.encode("latin-1")) for n, v in head.headers if n == lower)
            else:
                headers.append((name, value))
        url = stored.url
        return Request(stored.method, URL(url.scheme, url.host, url.port, url.target), headers)


def has_digest(request: RequestParts) -> bool:
    return any(is_digest(value) for _, value in request.headers)


def without_set_cookie(headers: RawHeaders) -> RawHeaders:
    """Response fields less those never stored."""
    return [(n, v) for n, v in headers if n.lower() not in _NEVER_STORED_RAW]


def safe_request_headers(headers: t.Sequence[tuple[bytes, bytes]]) -> RawHeaders:
    """Request fields less plain credentials (the codec's net for the public ``store``)."""
    return [(n, v) for n, v in headers if n.lower() not in _SENSITIVE_RAW or is_digest(v)]
