"""The bodies the requests shell hands around: the origin's body as the flow reads it
(``OriginBody``), and the flow's body as the file urllib3's ``HTTPResponse`` reads
(``BodyFile``). See ``_requests`` for how they are used."""

from __future__ import annotations

import http.client
import typing as t

from urllib3 import HTTPHeaderDict, HTTPResponse
from urllib3.exceptions import ProtocolError

from .._core._messages import BytesBody, StoredBodyError

__all__ = ["ORIGIN_CHUNK", "BodyFile", "OriginBody"]

ORIGIN_CHUNK = 65536  # bytes asked of urllib3 at a time for the origin's body


class OriginBody:
    """The origin's body in the bytes the wire carried (not decoded), read as iterated."""

    __slots__ = ("_done", "_raw")

    def __init__(self, raw: HTTPResponse) -> None:
        self._raw = raw
        self._done = False

    def __iter__(self) -> t.Iterator[bytes]:
        yield from self._raw.stream(ORIGIN_CHUNK, decode_content=False)
        self._done = True

    def close(self) -> None:
        if not self._done:  # left unread: the connection cannot carry another request
            self._raw.close()
        self._raw.release_conn()


class BodyFile:
    """The flow's body as the file urllib3's ``HTTPResponse`` reads: chunks handed out as
    asked, closed at its end (which commits a teed entry) or when the caller closes.

    When the response sets cookies it also stands as urllib3's ``original_response``:
    requests takes the cookies of a response from that object's ``msg`` (the header fields
    as ``http.client`` parses them).
    """

    __slots__ = ("_chunks", "_ended", "_fields", "_pending", "_stream", "closed")

    def __init__(self, stream: t.Iterable[bytes], fields: HTTPHeaderDict) -> None:
        self._stream = stream
        self._fields = fields
        self._chunks: t.Iterator[bytes] | None = None
        self._pending = b""
        self._ended = False  # the last chunk is taken: the file closes once it is read
        self.closed = False

    def readable(self) -> bool:
        return True

    def read(self, amt: int | None = -1) -> bytes:
        if amt is None or amt < 0:
            parts = [self._pending]
            while not self.closed:
                parts.append(self._next())
            self._pending = b""
            return b"".join(parts)
        while not self._pending and not self.closed:
            self._pending = self._next()
        data = self._pending
        if len(data) <= amt:
            self._pending = b""
            if self._ended:  # read to its end: closed now, as http.client's file is
                self.close()
            return data
        self._pending = data[amt:]
        return data[:amt]

    read1 = read

    def _next(self) -> bytes:
        if self._chunks is None:
            stream = self._stream
            if isinstance(stream, BytesBody):  # held in memory: its one chunk is the last
                self._chunks = iter(())
                self._ended = True
                return stream.content
            self._chunks = iter(stream)
        try:
            return next(self._chunks)
        except StopIteration:
            self.close()
            return b""
        except StoredBodyError as exc:  # a stored body that failed: as a dropped connection
            self.close()
            raise ProtocolError(f"Connection broken: {exc}", exc) from exc
        except BaseException:  # the origin's own error (urllib3's): release what it holds
            self.close()
            raise

    def isclosed(self) -> bool:
        return self.closed

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            close = getattr(self._stream, "close", None)
            if close is not None:
                close()

    @property
    def msg(self) -> http.client.HTTPMessage:
        message = http.client.HTTPMessage()
        for name, value in self._fields.iteritems():
            message[name] = value  # adds a field (repeated ones stay apart)
        return message
