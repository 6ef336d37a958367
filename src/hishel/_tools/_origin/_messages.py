"""What the loopback origin receives and answers: headers, requests, routes, 304 rules."""

from __future__ import annotations

import datetime
import email.utils
import time
import typing as t
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

__all__ = ["Body", "HandlerFn", "HandlerResult", "Headers", "HeadersArg", "OriginRequest"]

HeadersArg = Mapping[str, str] | Iterable[tuple[str, str]] | None
Body = bytes | str | Iterable[bytes]  # an iterable is streamed piece by piece, never joined
HandlerResult = tuple[int, HeadersArg, Body]
HandlerFn = Callable[["OriginRequest"], HandlerResult]

# Headers a 304 does not repeat (RFC 9110 §15.4.5: it carries the validator and caching fields).
NOT_IN_304 = {"content-length", "content-type", "content-encoding", "content-range"}
NO_BODY_STATUS = {204, 304}


class Headers(Mapping[str, str]):
    """Case-insensitive, order-preserving header view; repeated fields join with ``", "``."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._items = list(items)  # str pairs, as http.server and httpx give them

    def __getitem__(self, name: str) -> str:
        values = self.get_list(name)
        if not values:
            raise KeyError(name)
        return ", ".join(values)

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for name, _ in self._items:
            if name.lower() not in seen:
                seen.add(name.lower())
                yield name

    def __len__(self) -> int:
        return len({name.lower() for name, _ in self._items})

    def get_list(self, name: str) -> list[str]:
        """Every value of ``name``, in order."""
        lowered = name.lower()
        return [value for key, value in self._items if key.lower() == lowered]

    @property
    def raw(self) -> list[tuple[str, str]]:
        """The header pairs as received."""
        return list(self._items)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


class OriginRequest(t.NamedTuple):
    """One request as the origin received it."""

    method: str
    target: str  # path with query, as sent
    path: str  # without the query
    query: str
    headers: Headers
    body: bytes
    connection: int  # sequence number of the TCP connection that carried it (1, 2, ...)


@dataclass
class _Route:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    truncate: int | None = None
    hang: bool = False
    fn: HandlerFn | None = None
    prefix: bool = False  # registered as "/path/*": matches every path under it


def pairs(headers: HeadersArg) -> list[tuple[str, str]]:
    if headers is None:
        return []
    if isinstance(headers, Mapping):
        return [(str(k), str(v)) for k, v in headers.items()]
    return [(str(k), str(v)) for k, v in headers]


def http_date(value: str | float | datetime.datetime) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return email.utils.format_datetime(value.astimezone(datetime.timezone.utc), usegmt=True)
    return email.utils.formatdate(value, usegmt=True)


def _parse_date(value: str) -> datetime.datetime | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed


def quote_etag(etag: str) -> str:
    return etag if etag.startswith(('"', "W/")) else f'"{etag}"'


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def not_modified(request: OriginRequest, route: _Route) -> bool:
    """RFC 9110 §13.2.2 steps 3 and 4, for GET and HEAD."""
    if request.method not in ("GET", "HEAD"):
        return False
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        if route.etag is None:
            return False
        candidates = [tag.strip() for tag in if_none_match.split(",")]
        if "*" in candidates:
            return True
        # weak comparison (RFC 9110 §8.8.3.2)
        return _opaque(route.etag) in {_opaque(tag) for tag in candidates}
    if_modified_since = request.headers.get("If-Modified-Since")
    if if_modified_since is not None and route.last_modified is not None:
        since = _parse_date(if_modified_since)
        modified = _parse_date(route.last_modified)
        return since is not None and modified is not None and modified <= since
    return False


_DATE: list[tuple[int, str]] = [(0, "")]


def date_now() -> str:
    """The current HTTP-date, formatted once per second."""
    now = int(time.time())
    second, text = _DATE[0]
    if second != now:
        text = email.utils.formatdate(now, usegmt=True)
        _DATE[0] = (now, text)
    return text
