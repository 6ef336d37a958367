"""The writer floor of the file rows: the least a file cache must do on a miss or a revalidation.

Per request, sync or async (its file work in one worker-thread hop each way, as an async
cache must):
- ``miss``: a plain httpx GET through the same origin, then the response head and body
  written to a temp file in the cache directory and ``os.replace``-d into place (no fsync:
  hishel's file storage does not fsync either).
- ``revalidate``: read the stored file (head and body), a GET with ``If-None-Match`` from the
  stored ETag answered 304, the head merged with the 304's headers (RFC 9111 §4.3.4) and
  rewritten with the stored body to a temp file, ``os.replace``-d into place; the body
  returned. The first request for a URL, with nothing stored yet, stores it like a miss.

No locking, no sweeping, no key normalisation beyond a digest of the URL, no ``Response``
built for the stored body: a lower bound for what ``hishel.FileStorage`` does. A response
that is not what the row expects (a 200 of the right length on a miss, a 304 on a
revalidation) raises, which turns the row into an error row.
"""

from __future__ import annotations

import hashlib
import os
import typing as t
from pathlib import Path

import anyio.to_thread
import httpx
from _timing import ABatch, Batch

CASES = ("miss", "revalidate")
Headers = list[tuple[bytes, bytes]]


def wants_writer(case: str, storage: str) -> bool:
    """Rows timed against the writer as a third side."""
    return storage == "file" and case in CASES


def _pack(status: int, headers: Headers, body: bytes) -> bytes:
    lines = b"".join(name + b": " + value + b"\n" for name, value in headers)
    return b"%d\n%s\n%s" % (status, lines, body)


def _unpack(data: bytes) -> tuple[int, Headers, bytes]:
    head, _, body = data.partition(b"\n\n")
    status, *lines = head.split(b"\n")
    headers = [(name, value) for name, _, value in (line.partition(b": ") for line in lines)]
    return int(status), headers, body


def _merge(stored: Headers, fresh: Headers) -> Headers:
    """The stored headers with those the 304 carries replaced by its values."""
    names = {name.lower() for name, _ in fresh}
    return [(n, v) for n, v in stored if n.lower() not in names] + fresh


def _etag(headers: Headers) -> str:
    for name, value in headers:
        if name.lower() == b"etag":
            return value.decode("latin-1")
    raise RuntimeError("writer: the stored response has no ETag")


class Writer:
    """A temp-file-and-rename cache directory; the file work of one request per method."""

    def __init__(self, directory: Path, size: int) -> None:
        self.directory = directory
        self.size = size
        directory.mkdir(parents=True, exist_ok=True)

    def path(self, url: str) -> Path:
        return self.directory / hashlib.sha256(url.encode()).hexdigest()

    def write(self, path: Path, data: bytes) -> None:
        tmp = path.with_name(".tmp-" + path.name)
        with open(tmp, "wb") as out:
            out.write(data)
        os.replace(tmp, path)

    def read(self, path: Path) -> tuple[int, Headers, bytes] | None:
        try:
            with open(path, "rb") as stored:
                return _unpack(stored.read())
        except FileNotFoundError:
            return None

    def stored(self, response: httpx.Response) -> bytes:
        """The bytes a miss writes; checks the response first."""
        if response.status_code != 200 or len(response.content) != self.size:
            raise RuntimeError(f"writer: {response.status_code}, {len(response.content)} bytes")
        return _pack(200, list(response.headers.raw), response.content)

    def freshened(self, entry: tuple[int, Headers, bytes], response: httpx.Response) -> bytes:
        """The bytes a revalidation writes; checks the 304 first."""
        if response.status_code != 304 or len(entry[2]) != self.size:
            raise RuntimeError(f"writer: {response.status_code} to a conditional request")
        return _pack(entry[0], _merge(entry[1], list(response.headers.raw)), entry[2])


def sync_batch(
    client: httpx.Client,
    writer: Writer,
    urls: t.Callable[[int], list[str]],
    case: str,
    clock: t.Callable[[], float],
) -> Batch:
    def miss(url: str) -> None:
        response = client.get(url)
        writer.write(writer.path(url), writer.stored(response))

    def revalidate(url: str) -> None:
        path = writer.path(url)
        entry = writer.read(path)
        if entry is None:
            return miss(url)
        response = client.get(url, headers={"If-None-Match": _etag(entry[1])})
        writer.write(path, writer.freshened(entry, response))

    one = miss if case == "miss" else revalidate

    def batch(n: int) -> float:
        todo = urls(n)
        start = clock()
        for url in todo:
            one(url)
        return clock() - start

    return batch


def async_batch(
    client: httpx.AsyncClient,
    writer: Writer,
    urls: t.Callable[[int], list[str]],
    case: str,
    clock: t.Callable[[], float],
) -> ABatch:
    run = anyio.to_thread.run_sync

    async def miss(url: str) -> None:
        response = await client.get(url)
        await run(writer.write, writer.path(url), writer.stored(response))

    async def revalidate(url: str) -> None:
        path = writer.path(url)
        entry = await run(writer.read, path)
        if entry is None:
            return await miss(url)
        response = await client.get(url, headers={"If-None-Match": _etag(entry[1])})
        await run(writer.write, path, writer.freshened(entry, response))

    one = miss if case == "miss" else revalidate

    async def batch(n: int) -> float:
        todo = urls(n)
        start = clock()
        for url in todo:
            await one(url)
        return clock() - start

    return batch
