"""Redis storage: the framed entry and its metadata slot under two keys of one namespace.

``{namespace}:entry:{key}`` holds the frame, ``{namespace}:meta:{key}`` the 16-byte metadata
slot; both get the same native expiry at ``store``. ``update_metadata`` rewrites only the
slot, with ``SET ... XX KEEPTTL``: never the body, never a restarted ttl, never a slot
without its entry. A retrieve is one ``MGET``.
"""

from __future__ import annotations

import typing as t

import httpcore

from ..._frame import decode_entry, encode_entry, encode_meta
from ..._serializers import BaseSerializer, Metadata, import_extra
from ._base import AsyncBaseStorage, Clock, logger

if t.TYPE_CHECKING:
    import redis.asyncio as redis

__all__ = ["AsyncRedisStorage"]


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

    def _keys(self, key: str) -> tuple[str, str]:
        return f"{self._namespace}:entry:{key}", f"{self._namespace}:meta:{key}"

    async def store(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata | None = None,
    ) -> None:
        metadata = self._metadata(key, metadata)
        data = encode_entry(self._serializer, response, request, metadata, stored_at=self._now())
        entry_key, meta_key = self._keys(key)
        px = None if self._ttl is None else int(self._ttl * 1000)
        if px is not None and px <= 0:  # already expired
            await self._client.delete(entry_key, meta_key)
            return
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.set(entry_key, data, px=px)
            pipe.set(meta_key, encode_meta(metadata), px=px)
            await pipe.execute()

    async def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None:
        data, meta = await self._client.mget(self._keys(key))
        if data is None:
            return None
        try:
            entry = decode_entry(
                self._serializer, _bytes(data), meta=_bytes(meta) if meta else None
            )
        except Exception:
            logger.warning(
                "hishel: unreadable Redis cache entry; treating as a miss", exc_info=True
            )
            return None
        if entry.stored_at is not None and self._expired(entry.stored_at):
            return None
        return entry.response, entry.request, entry.metadata

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
        if await self._client.set(meta_key, meta, xx=True, keepttl=True):
            return
        pttl = await self._client.pttl(entry_key)  # an entry without a slot (hishel 0.1)
        if pttl != -2:
            await self._client.set(meta_key, meta, px=pttl if pttl > 0 else None, nx=True)

    async def aclose(self) -> None:
        if self._owned:
            await self._client.aclose()


def _bytes(value: t.Any) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)
