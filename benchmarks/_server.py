"""A loopback HTTP/1.1 keep-alive origin, run as its own process (stdlib only).

    python benchmarks/_server.py          # prints the port on the first stdout line

Routes (``SIZE`` is a byte count):
- ``GET /fresh/SIZE/anything``: 200, ``Cache-Control: max-age=3600``, SIZE bytes.
- ``GET /reval/SIZE/anything``: 200, ``Cache-Control: max-age=0`` and an ETag; a request whose
  ``If-None-Match`` matches gets a bodiless 304.
- ``GET /stream/SIZE/anything``: like ``fresh`` but written in 64 KiB pieces from one buffer.
- ``GET /__stats``: JSON counters ``requests``, ``not_modified``, ``connections`` (TCP
  connections accepted). Requests to ``/__*`` are not counted, their connection is.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ETAG = b'"bench-v1"'
PIECE = 64 * 1024
PATTERN = bytes(range(256)) * 4096  # 1 MiB


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = 0
        self.not_modified = 0
        self.connections = 0

    def as_json(self) -> bytes:
        with self.lock:
            data = {
                "requests": self.requests,
                "not_modified": self.not_modified,
                "connections": self.connections,
            }
        return json.dumps(data).encode()


STATS = Stats()
_BODIES: dict[int, bytes] = {}
_DATE: list[object] = [0, b""]


def body(size: int) -> bytes:
    found = _BODIES.get(size)
    if found is None:
        found = _BODIES[size] = (PATTERN * (size // len(PATTERN) + 1))[:size]
    return found


def date() -> bytes:
    now = int(time.time())
    if _DATE[0] != now:
        _DATE[0], _DATE[1] = now, email.utils.formatdate(now, usegmt=True).encode()
    return _DATE[1]  # type: ignore[return-value]


def head(status: bytes, headers: list[tuple[bytes, bytes]]) -> bytes:
    lines = [b"HTTP/1.1 " + status, b"Date: " + date()]
    lines += [name + b": " + value for name, value in headers]
    return b"\r\n".join(lines) + b"\r\n\r\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        with STATS.lock:
            STATS.connections += 1

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/__stats"):
            data = STATS.as_json()
            self._send(b"200 OK", [(b"Content-Type", b"application/json")], data)
            return
        try:
            kind, size_text, _ = self.path[1:].split("/", 2)
            size = int(size_text)
        except ValueError:
            self._send(b"404 Not Found", [], b"")
            return
        with STATS.lock:
            STATS.requests += 1
        length = str(size).encode()
        if kind == "reval":
            if self.headers.get("If-None-Match", "").encode() == ETAG:
                with STATS.lock:
                    STATS.not_modified += 1
                self.wfile.write(
                    head(b"304 Not Modified", [(b"Cache-Control", b"max-age=0"), (b"ETag", ETAG)])
                )
                return
            headers = [(b"Cache-Control", b"max-age=0"), (b"ETag", ETAG)]
        else:
            headers = [(b"Cache-Control", b"max-age=3600")]
        headers += [(b"Content-Type", b"application/octet-stream")]
        if kind == "stream":
            piece = body(PIECE)
            self.wfile.write(head(b"200 OK", [*headers, (b"Content-Length", length)]))
            left = size
            while left > 0:
                self.wfile.write(piece[: min(left, PIECE)])
                left -= PIECE
            return
        self._send(b"200 OK", headers, body(size))

    def _send(self, status: bytes, headers: list[tuple[bytes, bytes]], data: bytes) -> None:
        length = str(len(data)).encode()
        self.wfile.write(head(status, [*headers, (b"Content-Length", length)]) + data)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    print(server.server_address[1], flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
