# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The shell interface: what a client library's module writes to put the cache in front of it.

A host module (one per library: httpx, httpcore, requests; httpx2's and httpcore2's are
generated from httpx's and httpcore's) is a subclass of ``Host`` over that library's
request and response types. It writes four things, all conversion at the edge and none a
caching rule:

``request_in(request)``
    the library's request as a core ``Request`` (``hishel._core._messages``): method, URL
    parts, header byte pairs as the library holds them (not copied), its body stream, its
    extensions. Called once per request; a body the key needs (``body_keyed``) is read here.
``send(request)``
    a core ``Request`` through the wrapped transport / pool / adapter, answered as a core
    ``Response`` whose body still streams, with ``origin`` set to the library's own response
    (so ``response_out`` can hand it back when the core passes it through).
``response_out(response)``
    the library's response, built once from the core's: straight from the stored entry on a
    hit, the origin's own (``response.origin``) with the core's body when passed through.
``origin_errors`` / ``read_error``
    the library's errors: those meaning the origin could not be reached (the core falls
    back to a stale response on them, RFC 5861 §4), and the one a body that stops mid-read
    raises in that library: ``body_out(stream)`` gives a core body that raises it in place of
    the core's ``StoredBodyError`` (a stored body that failed).

``handle`` (given) is the whole of a shell's request path: in, through the flow, out (the
httpx and httpcore shells write the same path out in ``handle_request``, saving its
two coroutines on every request). The flow, the storages and the policy are shared;
everything else a host module holds is the library's own API (constructor arguments,
``close``, context management, ``repr``).
"""

from __future__ import annotations

import abc
import typing as t

from ..._core._messages import BytesBody, Request, Response, StoredBodyError, Stream

__all__ = ["FlowHandle", "Host", "HostBody", "Send"]

HostRequest = t.TypeVar("HostRequest")
HostResponse = t.TypeVar("HostResponse")

Send = t.Callable[[Request], Response]


class FlowHandle(t.Protocol):
    """The core as a shell calls it: one request answered, ``send`` reaching the origin."""

    def __call__(self, request: Request, send: Send) -> Response: ...


class HostBody:
    """A core body handed to a library: a stored body that stops mid-read raises the
    library's read error (``error``, built with the message) instead of the core's."""

    __slots__ = ("_error", "_stream")

    def __init__(self, stream: t.Iterable[bytes], error: type[Exception]) -> None:
        self._stream = stream
        self._error = error

    def __iter__(self) -> t.Iterator[bytes]:
        try:
            for chunk in self._stream:
                yield chunk
        except StoredBodyError as exc:
            raise self._error(str(exc)) from exc

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class Host(abc.ABC, t.Generic[HostRequest, HostResponse]):
    """A client library's shell over the core (see the module docstring for what a host
    module writes)."""

    origin_errors: t.ClassVar[tuple[type[Exception], ...]] = ()
    """The library's errors meaning the origin could not be reached or dropped the exchange."""

    read_error: t.ClassVar[type[Exception]] = OSError
    """What a body that stops mid-read raises in the library (built with a message)."""

    @abc.abstractmethod
    def request_in(self, request: HostRequest) -> Request:
        """The library's request as a core request (once, at the edge)."""

    @abc.abstractmethod
    def send(self, request: Request) -> Response:
        """``request`` through the wrapped transport; the body of the answer streams."""

    @abc.abstractmethod
    def response_out(self, response: Response) -> HostResponse:
        """The library's response, built once from the core's."""

    def body_out(self, stream: Stream) -> t.Iterable[bytes]:
        """``stream`` (a core body) as the library gets it: failing with ``read_error``."""
        if isinstance(stream, BytesBody):  # held in memory: it cannot fail
            return stream
        return HostBody(t.cast("t.Iterable[bytes]", stream), self.read_error)

    def handle(self, request: HostRequest, flow: FlowHandle) -> HostResponse:
        """``request`` answered through ``flow``: converted in, handled, converted out."""
        return self.response_out(flow(self.request_in(request), self.send))
