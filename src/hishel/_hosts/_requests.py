"""The requests shell: a transport adapter that puts the flow in front of requests' own.

``CacheAdapter`` is requests' ``HTTPAdapter`` (pool and retries unchanged) whose ``send`` goes
through the flow and reaches the origin with ``HTTPAdapter.send``. One ``RequestsCall`` (the
``Host``) serves each request, with what requests gives ``send`` beside it (timeout, TLS...).

Bodies: the origin's body goes to the flow as the wire carried it (urllib3 reads it without
decoding, so a stored entry keeps its ``Content-Encoding``, as the httpx shell's do); the
caller gets a ``requests.Response`` built by ``HTTPAdapter.build_response`` over a urllib3
``HTTPResponse`` whose file is the flow's body (the origin's, teed into storage as it is
read, or the stored one), so requests decodes gzip and deflate, reads lazily with
``stream=True`` and raises its own errors for a body that stops (``ChunkedEncodingError``).

Its responses are ``CacheResponse``: requests' ``Response`` that declares the cache's
attributes (``from_cache``, ``revalidated``, ``cache_status``, ``cache_metadata``).
"""

from __future__ import annotations

import http.client
import re
import typing as t

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from urllib3 import HTTPHeaderDict, HTTPResponse

from .._core._describe import shell_repr
from .._core._messages import EMPTY, URL, BytesBody, Request, Response
from .._storage._documents import Metadata
from .._storage._sync._storages import BaseStorage
from ._controller import Controller
from ._requests_body import BodyFile, OriginBody
from ._sync._host import Host
from ._sync._shell import Shell

__all__ = ["CacheAdapter", "CacheResponse", "RequestsCall"]

VERSIONS = {10: b"HTTP/1.0", 11: b"HTTP/1.1", 20: b"HTTP/2", 30: b"HTTP/3"}
VERSION_NUMBERS = {name: number for number, name in VERSIONS.items()}
VERSION_STRINGS = {number: name.decode("ascii") for number, name in VERSIONS.items()}
ATTRIBUTES = ["from_cache", "revalidated", "cache_status", "cache_metadata"]
ORIGIN_ERRORS: tuple[type[Exception], ...] = (
    requests.exceptions.ConnectionError,  # refused, reset, DNS, TLS, proxy, connect timeout
    requests.exceptions.Timeout,
    requests.exceptions.RetryError,  # the adapter's retries spent on error statuses
)


class CacheResponse(requests.Response):
    """A ``requests.Response`` that went through a ``CacheAdapter``, with what the cache did."""

    __attrs__ = [*requests.Response.__attrs__, *ATTRIBUTES]  # noqa: RUF012 - kept when pickled

    from_cache: bool = False
    """True when the body came from storage (a hit, or a stored response revalidated)."""
    revalidated: bool = False
    """True when the origin confirmed the stored response (a 304)."""
    cache_status: str | None = None
    """The RFC 9211 Cache-Status value (``hishel; hit; ttl=60``)."""
    cache_metadata: Metadata | None = None
    """The stored entry's ``Metadata`` when served from storage, else None."""


class RequestsCall(Host[requests.PreparedRequest, CacheResponse]):
    """One request through a ``CacheAdapter``: the host's conversions for that call."""

    origin_errors = ORIGIN_ERRORS
    read_error = requests.exceptions.ChunkedEncodingError

    __slots__ = ("_adapter", "_body", "_extensions", "_headers", "_kwargs", "_prepared", "_sent")

    def __init__(
        self,
        adapter: CacheAdapter,
        prepared: requests.PreparedRequest,
        kwargs: dict[str, t.Any],
        extensions: dict[str, t.Any],
    ) -> None:
        self._adapter = adapter
        self._prepared = prepared
        self._kwargs = kwargs
        self._extensions = extensions
        self._headers: list[tuple[bytes, bytes]] = []
        self._body: bytes | None = None  # a streamed request body read for the key
        self._sent: list[tuple[bytes, bytes]] | None = None  # the fields the origin sent

    def request_in(self, request: requests.PreparedRequest) -> Request:
        method = request.method or "GET"
        body = request.body
        stream: BytesBody = EMPTY
        if body is None:
            pass
        elif isinstance(body, bytes):
            stream = BytesBody(body)
        elif isinstance(body, str):
            stream = BytesBody(body.encode("utf-8"))  # as urllib3 sends text
        elif method in self._adapter._flow.body_keyed:
            read = getattr(body, "read", None)  # a file, or an iterable of pieces
            content = read() if read is not None else b"".join(body)
            self._body = content.encode("utf-8") if isinstance(content, str) else content
            stream = BytesBody(self._body)
        # else a streamed body the key does not need: the adapter sends the caller's own
        headers = request.headers
        self._headers = [  # (a name, then its value: cheaper than the items view)
            (name.encode("latin-1"), value if isinstance(value, bytes) else value.encode("latin-1"))
            for name in headers
            for value in (headers[name],)
        ]
        return Request(
            method.encode("ascii"),
            _url(request.url or ""),
            self._headers,
            stream,
            self._extensions,
            request,
        )

    def send(self, request: Request) -> Response:
        prepared = self._prepared
        if request.headers is not self._headers:  # a conditional request from the flow
            # the caller's request with the flow's fields: what ``PreparedRequest.copy``
            # gives, less the copies of the headers it replaces and of the cookie jar it
            # holds (the Cookie field is among the fields; the adapter sends no jar)
            sent = requests.PreparedRequest()
            sent.method = prepared.method
            sent.url = prepared.url
            headers: CaseInsensitiveDict[str] = CaseInsensitiveDict()
            for n, v in request.headers:
                headers[n.decode("latin-1")] = v.decode("latin-1")
            sent.headers = headers
            sent.body = prepared.body if self._body is None else self._body
            sent.hooks = prepared.hooks
            prepared = sent
        elif self._body is not None:  # a streamed body, read for the key: sent as read
            prepared = prepared.copy()
            prepared.body = self._body
        response = self._adapter._send_to_origin(prepared, **self._kwargs)
        raw = response.raw
        fields = [(n.encode("latin-1"), v.encode("latin-1")) for n, v in raw.headers.iteritems()]
        self._sent = fields
        extensions = {
            "http_version": VERSIONS.get(raw.version, b"HTTP/1.1"),
            "reason_phrase": (raw.reason or "").encode("latin-1"),
        }
        return Response(response.status_code, fields, OriginBody(raw), extensions, response)

    def response_out(self, response: Response) -> CacheResponse:
        adapter = self._adapter
        own = type(adapter).build_response is CacheAdapter.build_response
        origin = response.origin
        answer: CacheResponse | None = None
        headers: CaseInsensitiveDict[str] | None = None
        if (
            own
            and response.headers is self._sent
            and isinstance(origin, CacheResponse)
            and origin.status_code == response.status
        ):  # passed through as the origin sent it: the response build_response made of it
            answer, fields = origin, origin.raw.headers  # (whose body the flow now hands out)
        else:  # urllib3's fields, and requests' headers beside them when build_response is ours
            fields = HTTPHeaderDict()
            headers = CaseInsensitiveDict() if own else None
            for n, v in response.headers:
                name, value = n.decode("latin-1"), v.decode("latin-1")
                fields.add(name, value)
                if headers is not None:
                    headers[name] = value
            if headers is not None and len(fields) != len(response.headers):
                headers = CaseInsensitiveDict(fields)  # a repeated field: joined, as urllib3's
        ext = response.extensions
        body = BodyFile(t.cast("t.Iterable[bytes]", response.stream), fields)
        reason = ext.get("reason_phrase") or b""
        phrase = reason.decode("latin-1") or http.client.responses.get(response.status, "")
        version = VERSION_NUMBERS.get(ext.get("http_version", b""), 11)
        cookies = "set-cookie" in fields or "set-cookie2" in fields
        prepared = self._prepared
        raw = HTTPResponse(
            body=t.cast(t.Any, body),
            headers=fields,
            status=response.status,
            version=version,
            reason=phrase,
            preload_content=False,
            decode_content=True,
            # requests reads a response's cookies from its original_response.msg
            original_response=t.cast(t.Any, body) if cookies else None,
            request_method=prepared.method,
            request_url=prepared.url,
        )
        raw.version_string = VERSION_STRINGS[version]  # (urllib3 2.2.3 on; its default: HTTP/?)
        if answer is not None:  # (its headers, encoding, url and cookies are those)
            answer.raw = raw
            answer.reason = phrase
            answer.request = prepared
        elif headers is not None:  # as build_response would build it, from the fields at hand
            answer = adapter._response(prepared, raw, headers, cookies)
        else:  # a subclass's own build_response
            answer = adapter.build_response(prepared, raw)
        answer.from_cache = ext.get("from_cache", False)
        answer.revalidated = ext.get("revalidated", False)
        answer.cache_status = ext.get("cache_status")
        answer.cache_metadata = ext.get("cache_metadata")
        return answer


PLAIN_URL = re.compile(rb"([^:/?#@\[]+)://([^/?#@\[:]+)(?::([0-9]+))?(/[^#]*)")
"""``scheme://host[:port]/path[?query][#fragment]``, as requests prepares a URL."""


def _url(url: str) -> URL:
    """The parts of a prepared URL: requests writes ``scheme://host[:port]/path[?query]``
    (other shapes, with userinfo or an IPv6 host, go to the general parser)."""
    match = PLAIN_URL.match(url.encode("ascii"))
    if match is None:
        return URL.parse(url)
    scheme, host, port, target = match.groups()
    return URL(scheme.lower(), host.lower(), int(port) if port else None, target)


class CacheAdapter(Shell, HTTPAdapter):
    """A requests transport adapter that caches responses (RFC 9111).

    It is requests' ``HTTPAdapter`` (connection pool, retries) with the cache in front::

        session = requests.Session()
        session.mount("https://", hishel.requests.CacheAdapter(storage=hishel.InMemoryStorage()))

    Every response it returns has the attributes ``from_cache``, ``revalidated``,
    ``cache_status`` (RFC 9211) and ``cache_metadata`` (the stored entry's ``Metadata`` when
    served from storage, else None).

    Args:
        storage: where responses are kept (a sync storage; default ``FileStorage()``).
        controller: the caching rules (default ``Controller()``).
        **kwargs: ``HTTPAdapter``'s: ``pool_connections``, ``pool_maxsize``, ``max_retries``,
            ``pool_block``.
    """

    origin_errors = ORIGIN_ERRORS

    def __init__(
        self,
        storage: BaseStorage | None = None,
        controller: Controller | None = None,
        **kwargs: t.Any,
    ) -> None:
        super().__init__(**kwargs)
        self._build(storage, controller)
        self._closed = False

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: t.Mapping[str, str] | None = None,
        *,
        force_cache: bool | None = None,
        cache_disabled: bool | None = None,
    ) -> CacheResponse:
        """Answer ``request`` from storage or through ``HTTPAdapter.send``. ``force_cache``
        and ``cache_disabled``: as hishel's httpx extensions of those names (None: the
        controller's setting). The body is read lazily either way (requests' session reads
        it unless ``stream=True``)."""
        extensions: dict[str, t.Any] = {}
        if force_cache is not None:
            extensions["force_cache"] = force_cache
        if cache_disabled is not None:
            extensions["cache_disabled"] = cache_disabled
        kwargs: dict[str, t.Any] = {
            "stream": True,
            "timeout": timeout,
            "verify": verify,
            "cert": cert,
            "proxies": proxies,
        }
        call = RequestsCall(self, request, kwargs, extensions)
        return call.handle(request, self._flow.handle)

    def _send_to_origin(self, request: requests.PreparedRequest, **kwargs: t.Any) -> t.Any:
        return super().send(request, **kwargs)

    def build_response(self, req: requests.PreparedRequest, resp: t.Any) -> CacheResponse:
        """``HTTPAdapter.build_response``, as a ``CacheResponse`` (the same public fields)."""
        headers = CaseInsensitiveDict(getattr(resp, "headers", {}))
        return self._response(req, resp, headers, cookies=True)

    def _response(
        self,
        req: requests.PreparedRequest,
        resp: t.Any,
        headers: CaseInsensitiveDict[str],
        cookies: bool,
    ) -> CacheResponse:
        """``build_response`` with its headers given; ``cookies``: whether ``resp`` may set
        any (else there are none to extract)."""
        response = CacheResponse()
        response.status_code = resp.status
        response.headers = headers
        response.encoding = requests.utils.get_encoding_from_headers(headers)
        response.raw = resp
        response.reason = resp.reason
        url = req.url or ""
        response.url = url.decode("utf-8") if isinstance(url, bytes) else url
        if cookies:
            extract_cookies: t.Callable[..., None] = requests.cookies.extract_cookies_to_jar
            extract_cookies(response.cookies, req, resp)
        response.request = req
        response.connection = self
        return response

    def close(self) -> None:
        """Close the storage (once) and requests' connection pools."""
        if not self._closed:
            self._closed = True
            self._flow.close()
        super().close()

    def __repr__(self) -> str:
        return shell_repr(self, None, self._storage, self._controller)
