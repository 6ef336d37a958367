"""httpcore's models <-> the core's messages: for the httpcore pool shell and the 0.1 hooks
(``key_generator``, ``is_cachable``) that take httpcore's models.

httpcore's models are built through their public constructors (which apply the ``target``
request extension to the URL, as httpcore sends it) and read through their public
attributes; the core's are built over the same parts, not copied.
"""

from __future__ import annotations

import typing as t

import httpcore

from .._core._messages import URL, BytesBody, Request, Response

__all__ = [
    "core_request",
    "core_response",
    "held_body",
    "httpcore_request",
    "httpcore_response",
]

_BYTES_STREAM = type(httpcore.Response(200, content=b"").stream)  # httpcore's stream of bytes


def held_body(response: httpcore.Response) -> bytes | None:
    """The body of a response that holds it in memory (read already, or built over bytes:
    httpcore's bytes stream, our ``BytesBody``), else None (it streams)."""
    try:
        return response.content
    except RuntimeError:  # not read
        stream = response.stream
        if isinstance(stream, _BYTES_STREAM | BytesBody):
            return b"".join(t.cast("t.Iterable[bytes]", stream))  # (consumes nothing)
        return None


def core_request(request: httpcore.Request) -> Request:
    """An httpcore request as the core's (its parts, not copied)."""
    url = request.url
    return Request(
        request.method,
        URL(url.scheme, url.host, url.port, url.target),
        request.headers,
        t.cast("t.AsyncIterable[bytes]", request.stream),
        request.extensions,
    )


def core_response(response: httpcore.Response) -> Response:
    """An httpcore response as the core's, ``origin`` the httpcore one (its parts, not
    copied); a body held in memory stays there."""
    content = held_body(response)
    stream = response.stream if content is None else BytesBody(content)
    return Response(response.status, response.headers, stream, response.extensions, response)


def httpcore_request(request: Request) -> httpcore.Request:
    """The core's request as httpcore's (the pool shell's send, the 0.1 hooks)."""
    url = request.url
    return httpcore.Request(
        request.method,
        httpcore.URL(scheme=url.scheme, host=url.host, port=url.port, target=url.target),
        headers=request.headers,  # (httpcore makes its own list)
        content=request.stream,
        extensions=request.extensions,
    )


def httpcore_response(response: Response, body: t.Any = None) -> httpcore.Response:
    """The core's response as httpcore's: the one it came from, or one over its parts;
    ``body``: the body to give it (default the core's)."""
    if body is None:
        body = response.stream
    own = response.origin
    if isinstance(own, httpcore.Response):
        own.status, own.headers = response.status, list(response.headers)
        own.stream, own.extensions = body, response.extensions
        return own
    return httpcore.Response(
        response.status,
        headers=response.headers,  # (httpcore makes its own list)
        content=body,
        extensions=response.extensions,
    )
