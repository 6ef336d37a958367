"""The httpx shell: httpx models in and out of the flow, nothing else."""

from __future__ import annotations

import typing as t
from datetime import timedelta
from itertools import chain
from time import perf_counter_ns

import httpx

from ..._core._describe import shell_repr
from ..._core._messages import URL, BytesBody, Request, Response
from ..._storage._async._storages import AsyncBaseStorage
from .._controller import Controller
from .._reading import read_at_once
from ._host import AsyncHost, AsyncHostBody
from ._pool import AsyncCacheConnectionPool
from ._shell import AsyncShell

__all__ = ["AsyncCacheTransport"]

MICROSECOND = timedelta(microseconds=1)  # (a multiple of it is made faster than from a float)


class AsyncResponseStream(AsyncHostBody, httpx.AsyncByteStream):
    """An httpx body over the flow's body (origin, tee or storage); a stored body that failed
    raises httpx's ``ReadError``, as httpx's own transport does."""

    def __init__(self, stream: t.AsyncIterable[bytes]) -> None:
        super().__init__(stream, AsyncCacheTransport.read_error)


class AsyncCacheTransport(
    AsyncShell, AsyncHost[httpx.Request, httpx.Response], httpx.AsyncBaseTransport
):
    """An httpx transport that caches the responses of the transport it wraps.

    Args:
        transport: the httpx transport to wrap.
        storage: where responses are kept (default ``AsyncFileStorage()``).
        controller: the caching rules (default ``Controller()``).
    """

    # httpx's, and httpcore's from a transport that lets them through (as 0.1 caught them)
    origin_errors = (httpx.TransportError, *AsyncCacheConnectionPool.origin_errors)
    read_error = httpx.ReadError
    _storage_lent = False  # True: the storage belongs to install_cache(), left open by aclose

    def __init__(
        self,
        transport: httpx.AsyncBaseTransport,
        storage: AsyncBaseStorage | None = None,
        controller: Controller | None = None,
    ) -> None:
        self._transport = transport
        self._build(storage, controller)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        # ``handle``'s path written out: two coroutines fewer on every request
        flow = self._flow
        if request.method in flow.body_keyed:
            await request.aread()
        if not read_at_once.get():
            return self.response_out(await flow.handle(self._request(request), self.send))
        start = perf_counter_ns()
        response = self.response_out(await flow.handle(self._request(request), self.send))
        if isinstance(response.stream, httpx.ByteStream) and not response.is_stream_consumed:
            # held in memory, and the client reads it whole at once (``_reading``): read
            # here, not streamed through the client's read; the time taken is its elapsed
            response.request = request  # (what a decoding error names)
            response.read()
            response.elapsed = MICROSECOND * ((perf_counter_ns() - start) // 1000)
        return response

    async def request_in(self, request: httpx.Request) -> Request:
        if request.method in self._flow.body_keyed:
            await request.aread()
        return self._request(request)

    def _request(self, request: httpx.Request) -> Request:
        url = request.url
        target = request.extensions.get("target") or url.raw_path  # as httpcore sends it
        if isinstance(target, str):  # httpcore takes the extension as text too
            target = target.encode("ascii")
        return Request(
            request.method.encode("ascii"),
            URL(url.raw_scheme, url.raw_host, url.port, target),
            request.headers.raw,
            request.stream,
            request.extensions,
            request,
        )

    async def send(self, request: Request) -> Response:
        forwarded = t.cast(httpx.Request, request.origin)
        headers = list(request.headers)
        if headers != forwarded.headers.raw:
            # The flow changed the headers (a conditional request); the body never changes.
            forwarded = httpx.Request(
                forwarded.method,
                forwarded.url,
                headers=headers,
                stream=forwarded.stream,
                extensions=request.extensions,  # the caller's, less the cache's own
            )
        response = await self._transport.handle_async_request(forwarded)
        body: t.Any = response.stream
        if hasattr(response, "_content"):  # already read (0.1: stored at once, not lost)
            body = BytesBody(response.content)
        return Response(
            response.status_code, response.headers.raw, body, response.extensions, response
        )

    def response_out(self, response: Response) -> httpx.Response:
        stream = response.stream
        if isinstance(stream, BytesBody):
            stream = httpx.ByteStream(stream.content)
        elif not isinstance(stream, httpx.AsyncByteStream):
            stream = AsyncResponseStream(t.cast("t.AsyncIterable[bytes]", stream))
        original = response.origin
        if isinstance(original, httpx.Response) and not original.is_stream_consumed:
            # The origin's own response, passed through: keep it, with the flow's body.
            original.stream = stream
            if len(response.headers) != len(original.headers.raw):  # a Cache-Status added
                original.headers = httpx.Headers(list(response.headers))
            return original
        fields = response.headers
        built = httpx.Response(
            response.status, headers=fields, stream=stream, extensions=response.extensions
        )
        if response.ascii_fields or all(map(bytes.isascii, chain.from_iterable(fields))):
            # what httpx would find on first use, found without a Python step per field
            built.headers.encoding = "ascii"
        return built

    async def aclose(self) -> None:
        await self._flow.aclose(storage=not self._storage_lent)
        await self._transport.aclose()

    def __repr__(self) -> str:
        return shell_repr(self, self._transport, self._storage, self._controller)

    async def __aenter__(self) -> AsyncCacheTransport:
        return self

    async def __aexit__(self, *args: t.Any) -> None:
        await self.aclose()
