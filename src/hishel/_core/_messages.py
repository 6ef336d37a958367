"""hishel's own message types: what the core speaks, whatever the client library.

A shell (``hishel._hosts``) converts its library's request into a ``Request`` once, at the
edge, and builds its library's response once from the ``Response`` the core answers. The
types are plain slotted values over parts the host already validated (no re-checking, no
copies): a method and a ``URL`` as bytes, header fields as ``(name, value)`` byte pairs in
the order written, a body stream (``AsyncByteStream`` or ``SyncByteStream``: bytes
iterated once, then closed) and the extensions mapping the caller and the host share.

The attribute names are httpcore's (``method``, ``url.target``, ``status``, ``stream``,
``extensions``), the vocabulary hishel's 0.1 API and its users already read; this module
imports no client library.
"""

from __future__ import annotations

import typing as t
import urllib.parse

__all__ = [
    "URL",
    "AsyncByteStream",
    "RequestParts",
    "ResponseParts",
    "URLParts",
    "BytesBody",
    "HeaderList",
    "Request",
    "Response",
    "StoredBodyError",
    "SyncByteStream",
]

HeaderList = t.Sequence[tuple[bytes, bytes]]
"""Header fields as the host holds them: ``(name, value)`` byte pairs, in order."""


@t.runtime_checkable
class AsyncByteStream(t.Protocol):
    """An async body: its chunks, iterated once; ``aclose`` releases what it holds."""

    def __aiter__(self) -> t.AsyncIterator[bytes]: ...

    async def aclose(self) -> None: ...


@t.runtime_checkable
class SyncByteStream(t.Protocol):
    """A sync body: its chunks, iterated once; ``close`` releases what it holds."""

    def __iter__(self) -> t.Iterator[bytes]: ...

    def close(self) -> None: ...


class URLParts(t.Protocol):
    """What the core reads of a URL: the core's own, or a host's with the same parts."""

    @property
    def scheme(self) -> bytes: ...
    @property
    def host(self) -> bytes: ...
    @property
    def port(self) -> int | None: ...
    @property
    def target(self) -> bytes: ...


class RequestParts(t.Protocol):
    """What the core reads of a request head (the core's, or a stored 0.1 one)."""

    @property
    def method(self) -> bytes: ...
    @property
    def url(self) -> URLParts: ...
    @property
    def headers(self) -> HeaderList: ...


class ResponseParts(t.Protocol):
    """What the core reads of a response head (the core's, or a 0.1 one)."""

    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> HeaderList: ...
    @property
    def extensions(self) -> t.MutableMapping[str, t.Any]: ...


Stream = AsyncByteStream | SyncByteStream | t.AsyncIterable[bytes] | t.Iterable[bytes]


class BytesBody:
    """A body held in memory, readable by sync and async code, any number of times."""

    __slots__ = ("content",)

    def __init__(self, content: bytes) -> None:
        self.content = content

    def __iter__(self) -> t.Iterator[bytes]:
        yield self.content

    async def __aiter__(self) -> t.AsyncIterator[bytes]:
        yield self.content

    def close(self) -> None:
        pass

    async def aclose(self) -> None:
        pass


EMPTY = BytesBody(b"")


class StoredBodyError(Exception):
    """A stored body that stops mid-read (lost from storage, or replaced longer ago than a
    reader's grace). Raised by the storages' body readers whatever the backend raised; each
    shell raises its library's own read error in its place (``AsyncHost.read_error``), and the
    0.1 storage API raises httpcore's."""


class URL:
    """An absolute URL as its parts: ``target`` is the path and query as sent on the wire;
    ``port`` is None when the URL does not name one."""

    __slots__ = ("host", "port", "scheme", "target")

    def __init__(self, scheme: bytes, host: bytes, port: int | None, target: bytes) -> None:
        self.scheme = scheme
        self.host = host
        self.port = port
        self.target = target

    @classmethod
    def parse(cls, url: str) -> URL:
        """The parts of an absolute URL written as text (an empty path is ``/``)."""
        parsed = urllib.parse.urlparse(url.encode("ascii"))
        target = (parsed.path or b"/") + (b"?" + parsed.query if parsed.query else b"")
        return cls(parsed.scheme, parsed.hostname or b"", parsed.port, target)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, URL):
            return NotImplemented
        return (self.scheme, self.host, self.port, self.target) == (
            other.scheme,
            other.host,
            other.port,
            other.target,
        )

    def __hash__(self) -> int:
        return hash((self.scheme, self.host, self.port, self.target))

    def __bytes__(self) -> bytes:
        authority = self.host if self.port is None else self.host + b":%d" % self.port
        return self.scheme + b"://" + authority + self.target

    def __repr__(self) -> str:
        return f"URL({bytes(self).decode('latin-1')!r})"


class Request:
    """A request head and its body: what a shell hands the core.

    ``origin`` is the host's own request this one was converted from; the core keeps it on
    the requests it derives for the origin (a conditional one, a body read into memory), so
    a shell can send its own request again with what the core changed.
    """

    __slots__ = ("extensions", "headers", "method", "origin", "stream", "url")

    def __init__(
        self,
        method: bytes,
        url: URL,
        headers: HeaderList = (),
        stream: Stream = EMPTY,
        extensions: t.MutableMapping[str, t.Any] | None = None,
        origin: object = None,
    ) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.stream = stream
        self.extensions = {} if extensions is None else extensions
        self.origin = origin

    def __repr__(self) -> str:
        return f"<Request [{self.method!r}]>"


class Response:
    """A response head and its body: what the core answers a shell with.

    ``origin`` is the host's own response this one was converted from, while the core
    passes it through unchanged (a shell may hand it back with the core's body instead of
    building another); None for a response the core built (from storage, a 504).
    ``ascii_fields``: its header fields are known to be all ASCII (a hit of an entry whose
    fields are), so a shell may tell its library so instead of letting it look.
    """

    __slots__ = ("ascii_fields", "extensions", "headers", "origin", "status", "stream")

    def __init__(
        self,
        status: int,
        headers: HeaderList = (),
        stream: Stream = EMPTY,
        extensions: t.MutableMapping[str, t.Any] | None = None,
        origin: object = None,
    ) -> None:
        self.status = status
        self.headers = headers
        self.stream = stream
        self.extensions = {} if extensions is None else extensions
        self.origin = origin
        self.ascii_fields = False

    def content(self) -> bytes | None:
        """The body when it is held in memory, else None (it streams)."""
        stream = self.stream
        return stream.content if isinstance(stream, BytesBody) else None

    async def aread(self) -> bytes:
        """Read the whole body (async) and keep it in memory."""
        content = self.content()
        if content is None:
            stream = t.cast("t.AsyncIterable[bytes]", self.stream)
            try:
                content = b"".join([chunk async for chunk in stream])
            finally:
                await self.aclose()
            self.stream = BytesBody(content)
        return content

    def read(self) -> bytes:
        """Read the whole body (sync) and keep it in memory."""
        content = self.content()
        if content is None:
            stream = t.cast("t.Iterable[bytes]", self.stream)
            try:
                content = b"".join(list(stream))
            finally:
                self.close()
            self.stream = BytesBody(content)
        return content

    async def aclose(self) -> None:
        """Release the body (async): a connection, a file."""
        close = getattr(self.stream, "aclose", None)
        if close is not None:
            await close()

    def close(self) -> None:
        """Release the body (sync): a connection, a file."""
        close = getattr(self.stream, "close", None)
        if close is not None:
            close()

    def __repr__(self) -> str:
        return f"<Response [{self.status}]>"
