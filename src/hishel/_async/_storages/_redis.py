"""Redis storage: the framed entry and its metadata record under two keys of one namespace.

``{namespace}:entry:{key}`` holds the frame; ``{namespace}:meta:{key}`` the 16-byte metadata
slot followed by a random 16-byte id of the entry. Both get the same native expiry.
``update_metadata`` rewrites only the slot (a one-line script: ``SETRANGE`` if the record
exists): never the body, never the id, never a restarted ttl, never a slot without its entry.

A retrieve is one script call that returns, atomically, the entry's first ``FIRST_READ``
bytes, its length and its metadata record: one round trip for a small entry. A longer body
streams in further ``SLICE`` reads (transactions), each checking that the entry's length and
id are unchanged: an entry replaced or expired mid-read fails the read rather than mix two
bodies.

A streamed write keeps up to ``SLICE`` bytes in memory; a body that outgrows it is appended to
``{namespace}:tmp:{random}``, which expires an hour after its last append (an abandoned write
disappears). The commit is one script that appends the rest, patches the body length and
renames that key over the entry, with the metadata record and the ttl, so readers see the old
entry or the new one, never half of one; an abort deletes it.
"""

from __future__ import annotations

import contextlib
import secrets
import typing as t

import httpcore

from ..._frame import (
    BODY_LEN,
    BODY_LEN_OFFSET,
    META,
    decode_entry,
    decode_head,
    encode_entry,
    encode_head,
    encode_meta,
    head_size,
    is_framed,
    with_body,
)
from ..._serializers import BaseSerializer, Metadata, import_extra
from ._base import AsyncBaseStorage, AsyncEntryWriter, Clock, logger

if t.TYPE_CHECKING:
    import redis.asyncio as redis

__all__ = ["AsyncRedisStorage"]

SLICE = 1024 * 1024
FIRST_READ = 64 * 1024  # one script call: all of a small entry, the head of a large one
_TMP_EXPIRY_MS = 3_600_000
_ID_SIZE = 16

# KEYS: entry, meta; ARGV: start, end (inclusive). Bytes, length and metadata, atomically.
_READ = (
    "return {redis.call('GETRANGE', KEYS[1], ARGV[1], ARGV[2]), "
    "redis.call('STRLEN', KEYS[1]), redis.call('GET', KEYS[2])}"
)
# KEYS: meta; ARGV: slot. Like SET XX KEEPTTL, but the entry's id after the slot stays.
_SET_SLOT = (
    "if redis.call('EXISTS', KEYS[1]) == 1 then "
    "return redis.call('SETRANGE', KEYS[1], 0, ARGV[1]) end return 0"
)
# KEYS: tmp, entry, meta; ARGV: the last bytes, body length offset, body length, metadata
# record, ttl in ms ('' for none). All or nothing; 0 when the temporary key has expired.
_COMMIT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('APPEND', KEYS[1], ARGV[1])
redis.call('SETRANGE', KEYS[1], ARGV[2], ARGV[3])
redis.call('RENAME', KEYS[1], KEYS[2])
if ARGV[5] == '' then
    redis.call('PERSIST', KEYS[2])
    redis.call('SET', KEYS[3], ARGV[4])
else
    redis.call('PEXPIRE', KEYS[2], ARGV[5])
    redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5])
end
return 1
"""


class AsyncRedisStorage(AsyncBaseStorage):
    """Entries in Redis (needs ``pip install hishel[redis]``).

    Args:
        client: a ``redis.asyncio.Redis`` client returning bytes (left open); None
            connects to localhost:6379 (closed by ``aclose``).
        serializer: writes the entry heads (default ``JSONSerializer``); bodies stay raw.
        ttl: seconds after ``store`` when an entry expires, as native key expiry.
        namespace: the prefix of every key this storage writes.
        clock: ``now() -> float`` (default ``time.time``); an entry is also not served once
            ``ttl`` has passed by this clock.
    """

    def __init__(
        self,
        *,
        client: redis.Redis | None = None,
        serializer: BaseSerializer | None = None,
        ttl: int | float | None = None,
        namespace: str = "hishel",
        clock: Clock | None = None,
    ) -> None:
        super().__init__(serializer=serializer, ttl=ttl, clock=clock)
        redis_module = import_extra("redis.asyncio", "redis")
        if not isinstance(namespace, str) or not namespace:
            raise ValueError(f"namespace must be a non-empty string, not {namespace!r}")
        pool = getattr(client, "connection_pool", None)
        if getattr(pool, "connection_kwargs", {}).get("decode_responses"):
            raise ValueError("the Redis client must return bytes: drop decode_responses=True")
        self._namespace = namespace
        self._owned = client is None
        self._client: redis.Redis = (
            client if client is not None else redis_module.Redis(host="localhost", port=6379)
        )
        self._read_script = self._client.register_script(_READ)
        self._set_slot = self._client.register_script(_SET_SLOT)
        self._commit_script = self._client.register_script(_COMMIT)

    def _keys(self, key: str) -> tuple[str, str]:
        return f"{self._namespace}:entry:{key}", f"{self._namespace}:meta:{key}"

    def _px(self) -> int | None:
        return None if self._ttl is None else int(self._ttl * 1000)

    async def store(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata | None = None,
    ) -> None:
        metadata = self._metadata(key, metadata)
        data = encode_entry(self._serializer, response, request, metadata, stored_at=self._now())
        await self._put(key, data, metadata)

    async def _put(self, key: str, data: bytes, metadata: Metadata) -> None:
        entry_key, meta_key = self._keys(key)
        px = self._px()
        if px is not None and px <= 0:  # already expired
            await self._client.delete(entry_key, meta_key)
            return
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.set(entry_key, data, px=px)
            pipe.set(meta_key, _record(metadata), px=px)
            await pipe.execute()

    async def _read(self, entry_key: str, meta_key: str, start: int, stop: int) -> t.Any:
        return await self._read_script(keys=[entry_key, meta_key], args=[start, stop - 1])

    async def _range(
        self, entry_key: str, meta_key: str, start: int, stop: int, total: int, entry_id: bytes
    ) -> bytes:
        """Bytes ``start`` to ``stop`` of an entry that must still be the one first read.

        A transaction, not the script: Redis copies a large range into a Lua string several
        times over (a 1 MiB slice costs about 4x more through the script)."""
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.getrange(entry_key, start, stop - 1)
            pipe.strlen(entry_key)
            pipe.get(meta_key)
            data, length, meta = await pipe.execute()
        if length != total or _bytes(meta or b"")[META.size :] != entry_id:
            raise OSError("the stored entry changed while its body was read")
        chunk = _bytes(data)
        if len(chunk) != stop - start:
            raise OSError("the stored body ended early")
        return chunk

    async def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None:
        entry_key, meta_key = self._keys(key)
        prefix, total, record = await self._read(entry_key, meta_key, 0, FIRST_READ)
        if not total:
            return None
        data = _bytes(prefix)
        record = _bytes(record) if record else b""
        slot, entry_id = record[: META.size] or None, record[META.size :]
        try:
            if len(data) < total:  # a 0.1 entry is read whole; a frame up to its body
                need = head_size(data) if is_framed(data) else total
                if len(data) < need:
                    data += await self._range(entry_key, meta_key, len(data), need, total, entry_id)
            if not is_framed(data):
                entry = decode_entry(self._serializer, data, meta=slot)
                return entry.response, entry.request, entry.metadata
            head = decode_head(self._serializer, data, meta=slot)
            if head.size != total:
                raise ValueError(f"entry is {total} bytes, its frame says {head.size}")
        except Exception:
            logger.warning(
                "hishel: unreadable Redis cache entry; treating as a miss", exc_info=True
            )
            return None
        if self._expired(head.stored_at):
            return None
        first = data[head.body_offset :]
        content: bytes | _AsyncRedisBody = first
        if len(data) < total:
            content = _AsyncRedisBody(
                self, (entry_key, meta_key), first, len(data), total, entry_id
            )
        return with_body(head.response, content), head.request, head.metadata

    async def remove(self, key: str | httpcore.Response) -> None:
        await self._client.delete(*self._keys(self._key_of(key)))

    async def update_metadata(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> None:
        entry_key, meta_key = self._keys(key)
        meta = encode_meta(metadata)
        if await self._set_slot(keys=[meta_key], args=[meta]):
            return
        pttl = await self._client.pttl(entry_key)  # an entry without a record (hishel 0.1)
        if pttl != -2:
            await self._client.set(meta_key, meta, px=pttl if pttl > 0 else None, nx=True)

    async def _open_writer(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> AsyncEntryWriter:
        head = encode_head(self._serializer, response, request, metadata, stored_at=self._now())
        tmp_key = f"{self._namespace}:tmp:{secrets.token_hex(16)}"
        return _AsyncRedisWriter(self, key, response, request, metadata).start(self, head, tmp_key)

    async def aclose(self) -> None:
        if self._owned:
            await self._client.aclose()


class _AsyncRedisBody:
    """The rest of a stored body, read ``SLICE`` bytes at a time."""

    def __init__(
        self,
        storage: AsyncRedisStorage,
        keys: tuple[str, str],
        first: bytes,
        position: int,
        total: int,
        entry_id: bytes,
    ) -> None:
        self._storage = storage
        self._keys = keys
        self._first = first
        self._position = position
        self._total = total
        self._entry_id = entry_id
        self._closed = False

    def __aiter__(self) -> _AsyncRedisBody:
        return self

    async def __anext__(self) -> bytes:
        if self._first:
            chunk, self._first = self._first, b""
            return chunk
        if self._closed or self._position >= self._total:
            raise StopAsyncIteration
        stop = min(self._position + SLICE, self._total)
        chunk = await self._storage._range(
            *self._keys, self._position, stop, self._total, self._entry_id
        )
        self._position = stop
        return chunk

    async def aclose(self) -> None:
        self._closed = True
        self._first = b""


class _AsyncRedisWriter(AsyncEntryWriter):
    """Keeps up to ``SLICE`` bytes; a longer body goes to a temporary key by ``APPEND``."""

    def start(self, storage: AsyncRedisStorage, head: bytes, tmp_key: str) -> _AsyncRedisWriter:
        self._redis = storage
        self._head: bytes | None = head  # None once appended to the temporary key
        self._tmp_key = tmp_key
        self._buffered = len(head)
        self._body_len = 0
        return self

    async def write(self, chunk: bytes) -> None:
        self._chunks.append(chunk)
        self._buffered += len(chunk)
        self._body_len += len(chunk)
        if self._buffered >= SLICE:
            async with self._redis._client.pipeline(transaction=False) as pipe:
                pipe.append(self._tmp_key, self._take())
                pipe.pexpire(self._tmp_key, _TMP_EXPIRY_MS)
                await pipe.execute()

    def _take(self) -> bytes:
        if self._head is not None:
            self._chunks.insert(0, self._head)
            self._head = None
        data = b"".join(self._chunks)
        self._chunks, self._buffered = [], 0
        return data

    async def commit(self) -> None:
        body_len = BODY_LEN.pack(self._body_len)
        if self._head is not None:  # all in memory: one SET, as store does
            head = self._head
            patched = head[:BODY_LEN_OFFSET] + body_len + head[BODY_LEN_OFFSET + BODY_LEN.size :]
            self._head = None
            data = b"".join([patched, *self._chunks])
            self._chunks = []
            await self._redis._put(self._key, data, self._metadata)
            return
        entry_key, meta_key = self._redis._keys(self._key)
        px = self._redis._px()
        try:
            if px is not None and px <= 0:  # already expired
                await self._redis._client.delete(self._tmp_key, entry_key, meta_key)
                return
            args: list[bytes | int | str] = [
                self._take(),
                BODY_LEN_OFFSET,
                body_len,
                _record(self._metadata),
                px or "",
            ]
            keys = [self._tmp_key, entry_key, meta_key]
            if not await self._redis._commit_script(keys=keys, args=args):
                raise OSError("the temporary Redis entry expired before its commit")
        except BaseException:
            with contextlib.suppress(Exception):
                await self.abort()
            raise

    async def abort(self) -> None:
        self._chunks = []
        if self._head is None:
            await self._redis._client.delete(self._tmp_key)


def _record(metadata: Metadata) -> bytes:
    """The metadata record: the slot, then a random id of the entry."""
    return encode_meta(metadata) + secrets.token_bytes(_ID_SIZE)


def _bytes(value: t.Any) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)
