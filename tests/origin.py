"""A real HTTP/1.1 origin server for end-to-end tests (pytest plugin, fixture ``origin``).

Each test gets a fresh server on 127.0.0.1 (random free port), served from a background
thread by ``http.server.ThreadingHTTPServer`` with keep-alive and exact ``Content-Length``, so
clients reuse their connections as they would against a real origin. Starting and stopping
takes well under a millisecond, so isolation per test costs nothing.

    def test_revalidation(origin):
        origin.route("/a", body=b"hello", etag="v1", headers={"Cache-Control": "no-cache"})
        with hishel.CacheClient(storage=hishel.InMemoryStorage()) as client:
            client.get(origin.url("/a"))
            response = client.get(origin.url("/a"))
        assert response.extensions["revalidated"]
        assert origin.count("/a") == 2
        assert origin.last_request("/a").headers["If-None-Match"] == '"v1"'

Programming the server:
- ``route(path, status=200, headers=None, body=b"", etag=None, last_modified=None, delay=0.0,
  vary=None, truncate=None, hang=False)``: a static answer. With ``etag`` / ``last_modified``
  the server answers 304 to a matching ``If-None-Match`` / ``If-Modified-Since`` (RFC 9110
  §13.2.2: ``If-Modified-Since`` is ignored when ``If-None-Match`` is present).
- ``handler(path, fn, delay=0.0)``: ``fn(request: OriginRequest) -> (status, headers, body)``.
- A route's path matches the exact request target first (``/a?x=1``), then the path without
  its query. Unrouted paths answer 404. Calling ``route`` again replaces the route.
- Failure modes: ``delay`` (seconds before the response), ``hang=True`` (never answer until the
  server stops: exceeds any client timeout), ``truncate=n`` (announce the full
  ``Content-Length``, send ``n`` body bytes, drop the connection).
- ``stop()`` closes the listening socket and every open connection (clients get "connection
  refused"); ``start()`` listens again on the same port.

Inspecting what reached the origin: ``count(path=None)``, ``requests`` (all, in arrival order),
``requests_to(path)``, ``last_request(path=None)``, ``connections`` (TCP connections accepted,
to check keep-alive), ``clear_requests()``; ``reset()`` also drops the routes.
"""

from __future__ import annotations

import contextlib
import datetime
import email.utils
import selectors
import socket
import socketserver
import sys
import threading
import traceback
import typing as t
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

__all__ = ["Headers", "Origin", "OriginRequest", "origin"]

HeadersArg = Mapping[str, str] | Iterable[tuple[str, str]] | None
HandlerResult = tuple[int, HeadersArg, bytes | str]
HandlerFn = Callable[["OriginRequest"], HandlerResult]

# Headers a 304 does not repeat (RFC 9110 §15.4.5: it carries the validator and caching fields).
_NOT_IN_304 = {"content-length", "content-type", "content-encoding", "content-range"}
_NO_BODY_STATUS = {204, 304}


class Headers(Mapping[str, str]):
    """Case-insensitive, order-preserving header view; repeated fields join with ``", "``."""

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        self._items = [(str(name), str(value)) for name, value in items]

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


@dataclass(frozen=True)
class OriginRequest:
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


def _pairs(headers: HeadersArg) -> list[tuple[str, str]]:
    if headers is None:
        return []
    if isinstance(headers, Mapping):
        return [(str(k), str(v)) for k, v in headers.items()]
    return [(str(k), str(v)) for k, v in headers]


def _http_date(value: str | float | datetime.datetime) -> str:
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


def _quote_etag(etag: str) -> str:
    return etag if etag.startswith(('"', "W/")) else f'"{etag}"'


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def _not_modified(request: OriginRequest, route: _Route) -> bool:
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


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() drops the connections instead of waiting for them
    allow_reuse_address = True

    def __init__(self, origin: Origin, port: int) -> None:
        self.origin = origin
        super().__init__(("127.0.0.1", port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn); not needed here.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: t.Any, client_address: t.Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # the client went away (timeout, closed pool) or the origin was stopped
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

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
        body: bytes,
        truncate: int | None,
    ) -> None:
        names = {name.lower() for name, _ in headers}
        out = list(headers)
        if "date" not in names:
            out.append(("Date", email.utils.formatdate(usegmt=True)))
        if status in _NO_BODY_STATUS or status < 200:
            body = b""
        elif "content-length" not in names and "transfer-encoding" not in names:
            out.append(("Content-Length", str(len(body))))
        if request.method == "HEAD":
            body = b""
        if any(n.lower() == "connection" and v.lower() == "close" for n, v in headers):
            self.close_connection = True
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Unknown"
        head = f"HTTP/1.1 {status} {phrase}\r\n" + "".join(f"{n}: {v}\r\n" for n, v in out)
        if truncate is not None:
            self.wfile.write(head.encode("latin-1") + b"\r\n" + body[:truncate])
            self.wfile.flush()
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(head.encode("latin-1") + b"\r\n" + body)
        self.wfile.flush()

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = _serve


class Origin:
    """A programmable HTTP/1.1 origin on 127.0.0.1; see the module docstring."""

    host = "127.0.0.1"

    def __init__(self) -> None:
        self.port = 0
        self._lock = threading.Lock()
        self._routes: dict[str, _Route] = {}
        self._requests: list[OriginRequest] = []
        self._connections: set[socket.socket] = set()
        self._connection_count = 0
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._wake: tuple[socket.socket, socket.socket] | None = None
        self.errors: list[str] = []  # tracebacks of handler callbacks that raised

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> None:
        """Listen (again): on a random free port the first time, on the same port after."""
        if self._server is not None:
            return
        self._stopping.clear()
        server = _Server(self, self.port)
        self.port = server.server_port
        self._wake = socket.socketpair()
        self._server = server
        self._thread = threading.Thread(
            target=self._accept_loop, args=(server, self._wake[0]), daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Go down: refuse new connections and drop the open ones (and pending answers)."""
        if self._server is None:
            return
        server, self._server = self._server, None
        self._stopping.set()
        assert self._wake is not None and self._thread is not None
        self._wake[1].send(b"x")
        self._thread.join()
        server.server_close()
        for sock in self._wake:
            sock.close()
        self._wake = None
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    close = stop

    def __enter__(self) -> Origin:
        self.start()
        return self

    def __exit__(self, *args: object) -> None:
        self.stop()

    @staticmethod
    def _accept_loop(server: _Server, wake: socket.socket) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(server.socket, selectors.EVENT_READ)
            selector.register(wake, selectors.EVENT_READ)
            while True:
                events = selector.select()
                if any(key.fileobj is wake for key, _ in events):
                    return
                try:
                    conn, address = server.get_request()
                except OSError:
                    continue
                try:
                    server.process_request(conn, address)
                except Exception:
                    server.shutdown_request(conn)

    # -- programming -------------------------------------------------------------------------

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this origin."""
        if not path.startswith("/"):
            path = "/" + path
        return f"http://{self.host}:{self.port}{path}"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def route(
        self,
        path: str,
        status: int = 200,
        headers: HeadersArg = None,
        body: bytes | str = b"",
        etag: str | None = None,
        last_modified: str | float | datetime.datetime | None = None,
        delay: float = 0.0,
        vary: str | Iterable[str] | None = None,
        truncate: int | None = None,
        hang: bool = False,
    ) -> None:
        """Answer ``path`` with a static response (replacing any previous route).

        ``etag`` (quoted if bare) and ``last_modified`` (HTTP-date string, epoch seconds or
        datetime) are sent as ``ETag`` / ``Last-Modified`` and make the server answer 304 to a
        matching conditional GET/HEAD. ``vary`` adds ``Vary``. ``delay`` waits before
        answering; ``hang`` never answers (until ``stop``); ``truncate=n`` sends the full
        ``Content-Length`` but only ``n`` body bytes, then drops the connection.
        """
        pairs = _pairs(headers)
        quoted = _quote_etag(etag) if etag is not None else None
        modified = _http_date(last_modified) if last_modified is not None else None
        if quoted is not None:
            pairs.append(("ETag", quoted))
        if modified is not None:
            pairs.append(("Last-Modified", modified))
        if vary is not None:
            pairs.append(("Vary", vary if isinstance(vary, str) else ", ".join(vary)))
        with self._lock:
            self._routes[path] = _Route(
                status=status,
                headers=pairs,
                body=body.encode() if isinstance(body, str) else bytes(body),
                etag=quoted,
                last_modified=modified,
                delay=delay,
                truncate=truncate,
                hang=hang,
            )

    def handler(self, path: str, fn: HandlerFn, delay: float = 0.0) -> None:
        """Answer ``path`` with ``fn(request) -> (status, headers, body)``.

        ``headers`` is a dict or a list of pairs; ``Date`` and ``Content-Length`` are added
        when missing. No built-in conditional handling: ``fn`` sees every request header.
        If ``fn`` raises, the client gets a 500 and the ``origin`` fixture fails the test.
        """
        with self._lock:
            self._routes[path] = _Route(delay=delay, fn=fn)

    def reset(self) -> None:
        """Forget routes, received requests and errors."""
        with self._lock:
            self._routes.clear()
            self._requests.clear()
            self.errors.clear()

    # -- inspection --------------------------------------------------------------------------

    @property
    def requests(self) -> list[OriginRequest]:
        """Every request received, in arrival order (a copy)."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[OriginRequest]:
        """Requests for ``path``: matched on the full target when ``path`` has a query."""
        key = "target" if "?" in path else "path"
        return [r for r in self.requests if getattr(r, key) == path]

    def count(self, path: str | None = None) -> int:
        """How many requests reached the origin (in total, or for ``path``)."""
        return len(self.requests if path is None else self.requests_to(path))

    def last_request(self, path: str | None = None) -> OriginRequest:
        found = self.requests if path is None else self.requests_to(path)
        if not found:
            raise AssertionError(f"no request reached the origin for {path or 'any path'}")
        return found[-1]

    @property
    def connections(self) -> int:
        """TCP connections accepted so far (keep-alive reuse keeps this low)."""
        with self._lock:
            return self._connection_count

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    # -- called from the handler threads -----------------------------------------------------

    def _open(self, conn: socket.socket) -> int:
        with self._lock:
            self._connections.add(conn)
            self._connection_count += 1
            if self._stopping.is_set():  # accepted just before stop(): drop it too
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
            return self._connection_count

    def _closed(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.discard(conn)

    def _record(self, request: OriginRequest) -> _Route | None:
        with self._lock:
            self._requests.append(request)
            return self._routes.get(request.target) or self._routes.get(request.path)

    def _answer(
        self, request: OriginRequest, route: _Route | None
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        if route is None:
            return 404, [("Content-Type", "text/plain")], f"no route for {request.path}".encode()
        if route.fn is not None:
            try:
                status, headers, body = route.fn(request)
            except Exception:
                with self._lock:
                    self.errors.append(traceback.format_exc())
                return 500, [("Content-Type", "text/plain")], b"handler raised"
            return status, _pairs(headers), body.encode() if isinstance(body, str) else body
        if route.status == 200 and _not_modified(request, route):
            headers = [(n, v) for n, v in route.headers if n.lower() not in _NOT_IN_304]
            return 304, headers, b""
        return route.status, list(route.headers), route.body


@pytest.fixture
def origin() -> Iterator[Origin]:
    """A fresh, running origin server for this test (stopped at teardown)."""
    server = Origin()
    server.start()
    try:
        yield server
    finally:
        server.stop()
    if server.errors:
        pytest.fail("origin handler raised:\n" + "\n".join(server.errors), pytrace=False)
