"""The two origins: an in-process ``httpx.MockTransport`` and the loopback server process.

Both answer the routes described in ``_server.py`` and count what reached them, so each case
can check that its requests took the path it claims (no origin request on a hit, one 304 per
revalidation, no new TCP connection per revalidation against the server).
"""

from __future__ import annotations

import email.utils
import http.client
import json
import subprocess
import sys
import time
import typing as t
from dataclasses import dataclass
from pathlib import Path

import httpx
from _server import ETAG, PIECE, body

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Counts:
    """What reached the origin; ``connections`` is None for the mock (no TCP)."""

    requests: int
    not_modified: int
    connections: int | None

    def __sub__(self, other: Counts) -> Counts:
        connections = None
        if self.connections is not None and other.connections is not None:
            connections = self.connections - other.connections
        return Counts(
            self.requests - other.requests, self.not_modified - other.not_modified, connections
        )


class Origin(t.Protocol):
    name: str
    base_url: str

    def transport(self, asynchronous: bool) -> t.Any: ...

    def counts(self) -> Counts: ...

    def close(self) -> None: ...


def _fresh_headers(size: int) -> list[tuple[bytes, bytes]]:
    return [
        (b"cache-control", b"max-age=3600"),
        (b"content-type", b"application/octet-stream"),
        (b"content-length", str(size).encode()),
    ]


def _reval_headers(size: int) -> list[tuple[bytes, bytes]]:
    return [
        (b"cache-control", b"max-age=0"),
        (b"etag", ETAG),
        (b"content-type", b"application/octet-stream"),
        (b"content-length", str(size).encode()),
    ]


NOT_MODIFIED = [(b"cache-control", b"max-age=0"), (b"etag", ETAG)]


def _pieces(size: int) -> t.Iterator[bytes]:
    piece = body(PIECE)
    while size > 0:
        yield piece[: min(size, PIECE)]
        size -= PIECE


async def _apieces(size: int) -> t.AsyncIterator[bytes]:
    for piece in _pieces(size):
        yield piece


class MockOrigin:
    """``httpx.MockTransport`` over a handler that returns prebuilt bodies and counts."""

    name = "mock"
    base_url = "http://origin.test"

    def __init__(self) -> None:
        self.requests = 0
        self.not_modified = 0
        self._second = 0
        self._date = b""

    def _with_date(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        now = int(time.time())
        if now != self._second:
            self._second, self._date = now, email.utils.formatdate(now, usegmt=True).encode()
        return [(b"date", self._date), *headers]

    def _answer(self, request: httpx.Request, asynchronous: bool) -> httpx.Response:
        self.requests += 1
        kind, size_text, _ = request.url.path[1:].split("/", 2)
        size = int(size_text)
        if kind in ("reval", "streval"):  # streval: the 200's body is streamed, never held
            if request.headers.get("if-none-match", "").encode() == ETAG:
                self.not_modified += 1
                return httpx.Response(304, headers=self._with_date(NOT_MODIFIED))
            content = body(size)
            if kind == "streval":
                content = _apieces(size) if asynchronous else _pieces(size)
            return httpx.Response(
                200, headers=self._with_date(_reval_headers(size)), content=content
            )
        headers = self._with_date(_fresh_headers(size))
        if kind == "stream":  # the body is never held by the origin
            content = _apieces(size) if asynchronous else _pieces(size)
            return httpx.Response(200, headers=headers, content=content)
        return httpx.Response(200, headers=headers, content=body(size))

    def transport(self, asynchronous: bool) -> httpx.MockTransport:
        return httpx.MockTransport(lambda request: self._answer(request, asynchronous))

    def counts(self) -> Counts:
        return Counts(self.requests, self.not_modified, None)

    def close(self) -> None:
        pass


class ServerOrigin:
    """``_server.py`` in a child process on 127.0.0.1; counters read over a side connection."""

    name = "server"

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, str(HERE / "_server.py")],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        port = int(self._process.stdout.readline())
        self.base_url = f"http://127.0.0.1:{port}"
        self._stats = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def transport(self, asynchronous: bool) -> None:
        return None  # httpx's own connection pool

    def counts(self) -> Counts:
        self._stats.request("GET", "/__stats")
        data = json.loads(self._stats.getresponse().read())
        return Counts(data["requests"], data["not_modified"], data["connections"])

    def close(self) -> None:
        self._stats.close()
        self._process.terminate()
        self._process.wait(10)
