"""The memo caches hishel keeps, all of them, each with the gain measured for it.

Speed comes from doing less on the hot path: a message is parsed once, into the typed
values a stored entry keeps (``_codec.EntryViews``). A memo is kept only where that is not
enough and a measurement says it pays; it lives here, is bounded, is keyed by values (never
by ``id()``), and is right without any argument about who wrote its input: the two head
memos remember a pure function's answer under the whole of that function's input, the
record cache a file's contents while the file is the one it read. The gains beside each
are hishel's own CPU cost of a 1 KiB hit with and without it (``benchmarks/overhead.py``,
min of 20 x 1000, this 2-core machine, sync / async).

``RequestHeads``: the policy's head of a request (and the default key of a GET) is a
function of its method, URL and header fields; a flow remembers those of the requests it
answered lately under those parts (a client sends the same request again and again;
parsing it again is the cost of a hit).

``RecordCache``: the file storage reads a small record again as one ``stat`` of its path: a
record file is never changed in place, so a path whose inode (held open: never reused),
size and times are those of a kept file names the record kept.

``DecodedHeads``: a byte storage (file, SQLite, Redis, S3) hands the codec the same head
bytes on every hit of an entry. ``decode`` is a function of the storage's serializer and
signing key (fixed per storage), the entry's key and those bytes; remembered per storage,
under the key, with the bytes it was decoded from, compared whole, the value is the one
decoding them again would give, and its ``views`` (the policy's parsed head) come with it.
The heads a storage writes are remembered with the bytes it wrote for them, as the value
the in-memory storage keeps (``_codec.kept``): what reading those bytes back gives.
"""

from __future__ import annotations

import collections
import contextlib
import os
import threading
import typing as t
from collections import OrderedDict

__all__ = ["DecodedHeads", "RecordCache", "RequestHeads"]

T = t.TypeVar("T")
V = t.TypeVar("V")
H = t.TypeVar("H")


class _Request(t.Protocol):
    @property
    def method(self) -> bytes: ...
    @property
    def url(self) -> t.Any: ...
    @property
    def headers(self) -> t.Sequence[tuple[bytes, bytes]]: ...


class RequestHeads(t.Generic[H]):
    """The heads ``build`` made of the requests seen lately, by the requests' parts: at
    most ``size``, all forgotten when full.

    Measured gain: in-memory hit 11.2 -> 5.9 us (sync), 14.6 -> 9.9 us (async), with the
    flow's default key of a GET held beside its head: a head built decodes and lower-cases
    every field, normalises the URL and fills a frozen head of nine fields, and the key is a
    digest of method and URL; a head found hashes one tuple of the parts.
    """

    __slots__ = ("_build", "_items", "_size")

    def __init__(self, build: t.Callable[[t.Any], H], size: int = 256) -> None:
        self._build = build
        self._size = size
        self._items: dict[tuple[object, ...], H] = {}

    def head(self, request: _Request) -> H:
        """The head of ``request``, built once for its parts."""
        url = request.url
        key = (request.method, url.scheme, url.host, url.port, url.target, *request.headers)
        try:
            found = self._items.get(key)
        except TypeError:  # parts that cannot be hashed: built every time
            return self._build(request)
        if found is None:
            found = self._build(request)
            if len(self._items) >= self._size:
                self._items.clear()
            self._items[key] = found
        return found


class DecodedHeads(t.Generic[V]):
    """The values of the head bytes a storage decoded lately: at most ``size`` keys, the
    least recently used forgotten first.

    Measured gain: file hit 96.6 -> 13.5 us (sync), 112.2 -> 17.7 us (async); SQLite hit
    124.8 -> 21.1 us, 128.1 -> 26.3 us: the serializer's loads, the typed head and the
    policy's parse of it (its ``views``) are made once per entry instead of once per hit;
    SQLite 304 310.4 -> 224.8 us (sync): the head a 304 rewrote is read back as written.
    """

    __slots__ = ("_items", "_lock", "_size")

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._items: OrderedDict[str, tuple[bytes, V]] = OrderedDict()
        self._lock = threading.Lock()  # (the sync storages may be shared by threads)

    def get(self, key: str, data: bytes) -> V | None:
        """The value of ``data`` under ``key``, when it was decoded here lately."""
        item = self._items.get(key)
        if item is None or (item[0] is not data and item[0] != data):
            return None
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
        return item[1]

    def put(self, key: str, data: bytes, value: V) -> None:
        """Remember ``value``, decoded from ``data`` under ``key``."""
        with self._lock:
            self._items[key] = (data, value)
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


_Item = tuple[int, tuple[int, int, int, int, int], t.Any]


class RecordCache(t.Generic[T]):
    """Small records this process read more than once, decoded, each with its file held
    open, so reading one again costs one ``stat``. A record file is never changed in place
    (a change renames a new file over it) and the inode of a file held open is not reused:
    a path whose inode, size and times are still those of a kept file names that record.
    ``read(fd, limit)`` reads an open record file (its bytes, its mtime) and
    ``decode(data, mtime)`` returns the value to hand out and whether it may be kept; at
    most ``size`` are (a record is kept at its second read, so a scan keeps none).

    Measured gain: file hit 22.9 -> 13.5 us (sync), 27.0 -> 17.7 us (async): a ``stat``
    instead of an open, a read and a close, and the same head bytes handed to
    ``DecodedHeads`` (compared by identity, not byte by byte).
    """

    def __init__(
        self,
        read: t.Callable[[int, int | None], tuple[bytes, float]],
        decode: t.Callable[[bytes, float], tuple[T, bool]],
        size: int,
    ) -> None:
        self._read = read
        self._decode = decode
        self._size = size if os.name == "posix" else 0  # (inodes as POSIX has them)
        self._items: collections.OrderedDict[str, _Item] = collections.OrderedDict()
        self._seen: collections.OrderedDict[str, None] = collections.OrderedDict()
        self._threads = threading.Lock()

    def read(self, path: str, limit: int | None = None, again: bool = True) -> T | None:
        """The decoded record in ``path`` (None: absent); ``limit`` as ``read_record``'s;
        without ``again``, a record not kept is not kept now either."""
        item = self._items.get(path)
        try:
            if item is not None:
                identity = _identity(os.stat(path))
                # Still kept after the stat: its file was open, its inode not reusable.
                if identity == item[1] and self._items.get(path) is item:
                    return t.cast(T, item[2])
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            value, keep = self._decode(*self._read(fd, limit))
            if keep and again and self._size and self._again(path):
                self.keep(path, fd, value)
                fd = -1
            return value
        finally:
            if fd >= 0:
                os.close(fd)

    def _again(self, path: str) -> bool:
        """Whether ``path`` was read lately (else it is remembered as read). Unlocked: a
        race between threads only changes what is kept."""
        seen = self._seen
        if seen.pop(path, 0) is None:
            return True
        seen[path] = None
        if len(seen) > 4 * self._size:
            with contextlib.suppress(KeyError):
                seen.popitem(last=False)
        return False

    def keep(self, path: str, fd: int, value: T) -> None:
        """Keep ``value`` for the record file ``path``, open as ``fd`` (which is now ours)."""
        if not self._size:
            os.close(fd)
            return
        item = (fd, _identity(os.fstat(fd)), value)
        with self._threads:
            old = [self._items.pop(path)] if path in self._items else []
            self._items[path] = item
            while len(self._items) > self._size:
                old.append(self._items.popitem(last=False)[1])
        for gone in old:
            os.close(gone[0])

    def drop(self, path: str) -> None:
        """Let go of the record file ``path`` (before replacing it: a file replaced while it
        is open goes on ext4's orphan list, and is freed only when closed, at a higher cost)."""
        with self._threads:
            item = self._items.pop(path, None)
        if item is not None:
            os.close(item[0])

    def close(self) -> None:
        with self._threads:
            items, self._items = list(self._items.values()), collections.OrderedDict()
        for item in items:
            os.close(item[0])


def _identity(status: os.stat_result) -> tuple[int, int, int, int, int]:
    return (status.st_ino, status.st_dev, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
