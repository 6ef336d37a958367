"""httpcore models built from parts that are already valid, without re-checking every byte.

``httpcore.Request`` / ``Response`` validate each header on construction (about 4 µs each,
ten times the cost of these builders, several times per hit); on the hit path the parts come
from httpx (already validated) or from our own storage, so these builders set the same
attributes directly and apply the one rule the constructors add: a ``target`` request
extension replaces the URL's target, so the cache key is computed from what goes on the wire.
They are the only place that relies on httpcore's layout: ``tests/core/test_models.py`` checks
that they build what the constructors build for every request and response shape, and
``pyproject.toml`` bounds httpcore to the versions that test has seen. ``in_memory_body``
reads the body of a response that already holds it (the flow's and the storage's one reader).
``core_*`` / ``httpcore_*`` convert between httpcore's models and the core's messages, for the
httpcore shell and the 0.1 hooks (``key_generator``, ``is_cachable``) that take httpcore's.
"""

from __future__ import annotations

import typing as t

import httpcore

from ._messages import URL, BytesBody, Request, Response

__all__ = [
    "BytesBody",
    "core_request",
    "core_response",
    "httpcore_request",
    "httpcore_response",
    "in_memory_body",
    "make_request",
    "make_response",
]

Body = t.Iterable[bytes] | t.AsyncIterable[bytes]


def in_memory_body(response: httpcore.Response | Response) -> bytes | None:
    """The body of a response that is already in memory (read, or built from bytes)."""
    read = getattr(response, "_content", None)  # set by httpcore once the body is read
    if isinstance(read, bytes):
        return read
    stream = response.stream
    for name in ("_content", "content"):  # httpcore's ByteStream, our BytesBody
        content = getattr(stream, name, None)
        if isinstance(content, bytes):
            return content
    return None


def make_response(
    status: int,
    headers: list[tuple[bytes, bytes]],
    stream: Body | bytes,
    extensions: t.MutableMapping[str, t.Any],
) -> httpcore.Response:
    """An ``httpcore.Response`` over already-valid parts, as ``httpcore.Response(...)`` builds
    it; a ``bytes`` body is held in a ``BytesBody``."""
    response = object.__new__(httpcore.Response)
    response.status = status
    response.headers = headers
    response.stream = BytesBody(stream) if isinstance(stream, bytes) else stream
    response.extensions = extensions
    response._stream_consumed = False
    return response


def make_request(
    method: bytes,
    url: httpcore.URL | URL,
    headers: list[tuple[bytes, bytes]],
    stream: Body,
    extensions: t.MutableMapping[str, t.Any],
) -> httpcore.Request:
    """An ``httpcore.Request`` over already-valid parts, as ``httpcore.Request(...)`` builds it."""
    if "target" in extensions:  # what httpcore.Request.__init__ does with the extension
        target = extensions["target"]
        url = httpcore.URL(scheme=url.scheme, host=url.host, port=url.port, target=target)
    elif not isinstance(url, httpcore.URL):
        url = httpcore.URL(scheme=url.scheme, host=url.host, port=url.port, target=url.target)
    request = object.__new__(httpcore.Request)
    request.method = method
    request.url = url
    request.headers = headers
    request.stream = stream
    request.extensions = extensions
    return request


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
    """An httpcore response as the core's, ``origin`` the httpcore one (its parts, not copied)."""
    stream = t.cast("t.AsyncIterable[bytes]", response.stream)
    content = in_memory_body(response)
    return Response(
        response.status,
        response.headers,
        stream if content is None else BytesBody(content),
        response.extensions,
        response,
    )


def httpcore_request(request: Request) -> httpcore.Request:
    """The core's request as httpcore's (the 0.1 hooks: key_generator, is_cachable)."""
    return make_request(
        request.method,
        request.url,
        list(request.headers),
        request.stream,
        request.extensions,
    )


def httpcore_response(response: Response) -> httpcore.Response:
    """The core's response as httpcore's: the one it came from, or one over its parts."""
    own = response.origin
    if isinstance(own, httpcore.Response):
        own.status, own.headers = response.status, _listed(response.headers)
        own.stream, own.extensions = response.stream, response.extensions
        return own
    stream = response.stream
    headers = _listed(response.headers)
    return make_response(response.status, headers, stream, response.extensions)


def _listed(headers: t.Sequence[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return headers if isinstance(headers, list) else list(headers)
