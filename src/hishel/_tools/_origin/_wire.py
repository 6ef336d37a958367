"""The origin on the wire: ``http.server`` with keep-alive, exact lengths, streamed bodies."""

from __future__ import annotations

import contextlib
import socket
import socketserver
import sys
import typing as t
from collections.abc import Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ._messages import NO_BODY_STATUS, Headers, OriginRequest, date_now

if t.TYPE_CHECKING:
    from . import Origin


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() drops the connections instead of waiting for them
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, origin: Origin, port: int) -> None:
        self.origin = origin
        super().__init__(("127.0.0.1", port), Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn); not needed here.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: t.Any, client_address: t.Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # the client went away (timeout, closed pool) or the origin was stopped
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: Server

    def setup(self) -> None:
        super().setup()
        self.connection_number = self.server.origin._open(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.origin._closed(self.connection)

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _serve(self) -> None:
        origin = self.server.origin
        path, _, query = self.path.partition("?")
        request = OriginRequest(
            method=self.command,
            target=self.path,
            path=path,
            query=query,
            headers=Headers(self.headers.items()),
            body=self._read_body(),
            connection=self.connection_number,
        )
        route = origin._record(request)
        status, headers, body = origin._answer(request, route)
        if route is not None and (route.hang or route.delay > 0):
            timeout = None if route.hang else route.delay
            if origin._stopping.wait(timeout):  # stopped meanwhile: drop without answering
                self.close_connection = True
                return
        self._write(request, status, headers, body, route.truncate if route else None)

    def _write(
        self,
        request: OriginRequest,
        status: int,
        headers: list[tuple[str, str]],
        body: bytes | Iterable[bytes],
        truncate: int | None,
    ) -> None:
        names = {name.lower() for name, _ in headers}
        out = list(headers)
        if "date" not in names:
            out.append(("Date", date_now()))
        chunked = False
        if status in NO_BODY_STATUS or status < 200:
            body = b""
        elif "content-length" not in names and "transfer-encoding" not in names:
            if isinstance(body, bytes):
                out.append(("Content-Length", str(len(body))))
            else:  # a stream of unknown length
                out.append(("Transfer-Encoding", "chunked"))
                chunked = True
        if request.method == "HEAD":
            body, chunked = b"", False
        if any(n.lower() == "connection" and v.lower() == "close" for n, v in headers):
            self.close_connection = True
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Unknown"
        lines = f"HTTP/1.1 {status} {phrase}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in out)
        head = lines.encode("latin-1") + b"\r\n"
        if truncate is not None:
            data = body if isinstance(body, bytes) else b"".join(body)
            self.wfile.write(head + data[:truncate])
            self.wfile.flush()
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if isinstance(body, bytes):
            self.wfile.write(head + body)
        else:
            self.wfile.write(head)
            for piece in body:
                if chunked:
                    self.wfile.write(b"%x\r\n" % len(piece) + piece + b"\r\n")
                else:
                    self.wfile.write(piece)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve
