"""The one loopback origin of the project: tests, the demo and the benchmarks all use it.

Stdlib only (plus httpx for ``transport()``), so ``python -m hishel demo`` can run it; the test
suite wraps it in the pytest fixture ``origin`` (tests/origin.py).

Each test gets a fresh server on 127.0.0.1 (random free port), served from a background
thread by ``http.server.ThreadingHTTPServer`` with keep-alive and exact ``Content-Length``, so
clients reuse their connections as they would against a real origin. Starting and stopping
takes well under a millisecond, so isolation per test costs nothing.

    with Origin() as origin:               # or the ``origin`` fixture in tests
        ...

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
- ``handler(path, fn, delay=0.0)``: ``fn(request: OriginRequest) -> (status, headers, body)``;
  ``body`` may be an iterable of byte pieces, streamed as they come (with the handler's own
  ``Content-Length``, else chunked), never joined: a large body is never held.
- A route or handler registered as ``/prefix/*`` answers every path under ``/prefix/``.
- A route's path matches the exact request target first (``/a?x=1``), then the path without
  its query. Unrouted paths answer 404. Calling ``route`` again replaces the route.
- Failure modes: ``delay`` (seconds before the response), ``hang=True`` (never answer until the
  server stops: exceeds any client timeout), ``truncate=n`` (announce the full
  ``Content-Length``, send ``n`` body bytes, drop the connection).
- ``Origin(port=0)``: a random free port, or a fixed one (``OSError`` if it is taken).
- ``transport(asynchronous=False)``: an ``httpx.MockTransport`` answering from the same routes
  and counters in-process, no socket (``delay``, ``hang`` and ``truncate`` are not applied).
- ``stop()`` closes the listening socket and every open connection (clients get "connection
  refused"); ``start()`` listens again on the same port.

Inspecting what reached the origin: ``count(path=None)``, ``requests`` (all, in arrival order),
``requests_to(path)``, ``last_request(path=None)``, ``answered(status)`` (answers with that
status, e.g. 304s), ``connections`` (TCP connections accepted,
to check keep-alive), ``clear_requests()``; ``reset()`` also drops the routes.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import selectors
import socket
import threading
import traceback
import typing as t
from collections import Counter
from collections.abc import Iterable

from ._messages import (
    NOT_IN_304,
    Body,
    HandlerFn,
    Headers,
    HeadersArg,
    OriginRequest,
    _Route,
    http_date,
    not_modified,
    pairs,
    quote_etag,
)
from ._wire import Server

__all__ = ["Body", "Headers", "Origin", "OriginRequest"]

Answer = tuple[int, list[tuple[str, str]], bytes | Iterable[bytes]]


class Origin:
    """A programmable HTTP/1.1 origin on 127.0.0.1; see the module docstring."""

    host = "127.0.0.1"

    def __init__(self, port: int = 0, keep_requests: bool = True) -> None:
        self.port = port
        self.keep_requests = keep_requests  # False: counters only (long benchmark runs)
        self._counts: Counter[str] = Counter()  # by path and by full target
        self._lock = threading.Lock()
        self._routes: dict[str, _Route] = {}
        self._prefixes: list[tuple[str, _Route]] = []
        self._requests: list[OriginRequest] = []
        self._connections: set[socket.socket] = set()
        self._connection_count = 0
        self._stopping = threading.Event()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._wake: tuple[socket.socket, socket.socket] | None = None
        self._statuses: Counter[int] = Counter()
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
        server = Server(self, self.port)
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
    def _accept_loop(server: Server, wake: socket.socket) -> None:
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
        fields = pairs(headers)
        quoted = quote_etag(etag) if etag is not None else None
        modified = http_date(last_modified) if last_modified is not None else None
        if quoted is not None:
            fields.append(("ETag", quoted))
        if modified is not None:
            fields.append(("Last-Modified", modified))
        if vary is not None:
            fields.append(("Vary", vary if isinstance(vary, str) else ", ".join(vary)))
        with self._lock:
            self._routes[path] = _Route(
                prefix=path.endswith("/*"),
                status=status,
                headers=fields,
                body=body.encode() if isinstance(body, str) else bytes(body),
                etag=quoted,
                last_modified=modified,
                delay=delay,
                truncate=truncate,
                hang=hang,
            )
            self._index_prefixes()

    def handler(self, path: str, fn: HandlerFn, delay: float = 0.0) -> None:
        """Answer ``path`` with ``fn(request) -> (status, headers, body)``.

        ``headers`` is a dict or a list of pairs; ``Date`` and ``Content-Length`` are added
        when missing. No built-in conditional handling: ``fn`` sees every request header.
        If ``fn`` raises, the client gets a 500 and the ``origin`` fixture fails the test.
        """
        with self._lock:
            self._routes[path] = _Route(delay=delay, fn=fn, prefix=path.endswith("/*"))
            self._index_prefixes()

    def reset(self) -> None:
        """Forget routes, received requests and errors."""
        with self._lock:
            self._routes.clear()
            self._prefixes.clear()
            self._requests.clear()
            self._counts.clear()
            self._statuses.clear()
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
        """How many requests reached the origin (in total, or for ``path``, matched on the full
        target when ``path`` has a query)."""
        with self._lock:
            return self._counts[" total" if path is None else path]

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

    def answered(self, status: int) -> int:
        """How many answers had ``status`` (e.g. 304 for the revalidations that matched)."""
        with self._lock:
            return self._statuses[status]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()
            self._counts.clear()
            self._statuses.clear()

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
            if self.keep_requests:
                self._requests.append(request)
            counts = self._counts
            counts[" total"] += 1
            counts[request.path] += 1
            if request.target != request.path:
                counts[request.target] += 1
            found = self._routes.get(request.target) or self._routes.get(request.path)
            if found is None:
                for prefix, route in self._prefixes:
                    if request.path.startswith(prefix):
                        return route
            return found

    def _index_prefixes(self) -> None:
        """Prefix routes, longest first (called with the lock held)."""
        found = [(path[:-1], route) for path, route in self._routes.items() if route.prefix]
        self._prefixes = sorted(found, key=lambda item: len(item[0]), reverse=True)

    def _answer(self, request: OriginRequest, route: _Route | None) -> Answer:
        status, headers, body = self._compute(request, route)
        with self._lock:
            self._statuses[status] += 1
        return status, headers, body

    def _compute(self, request: OriginRequest, route: _Route | None) -> Answer:
        if route is None:
            return 404, [("Content-Type", "text/plain")], f"no route for {request.path}".encode()
        if route.fn is not None:
            try:
                status, headers, body = route.fn(request)
            except Exception:
                with self._lock:
                    self.errors.append(traceback.format_exc())
                return 500, [("Content-Type", "text/plain")], b"handler raised"
            fields = headers if isinstance(headers, list) else pairs(headers)
            return status, fields, body.encode() if isinstance(body, str) else body
        if route.status == 200 and not_modified(request, route):
            headers = [(n, v) for n, v in route.headers if n.lower() not in NOT_IN_304]
            return 304, headers, b""
        return route.status, list(route.headers), route.body

    # -- in process, no socket ---------------------------------------------------------------

    def transport(self, asynchronous: bool = False, library: str = "httpx") -> t.Any:
        """An ``httpx.MockTransport`` over the same routes and counters (no delay, hang or
        truncation); ``asynchronous`` makes streamed bodies async iterables. ``library``: the
        module whose ``MockTransport`` it is (``"httpx2"``: the same API under that name)."""
        from ._mock import mock_transport

        return mock_transport(self, asynchronous, importlib.import_module(library))
