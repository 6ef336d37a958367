# GENERATED from the async source by scripts/unasync.py; do not edit.
"""Redis storage: a record key per entry, and a body key beside it when the body is large.

``{namespace}:entry:{<key>}`` holds the record (``hishel._storage._layout``: head, and a body of
up to ``SLICE`` inline); ``{namespace}:body:{<key>}:<version>`` holds a larger body. Every key of
an entry carries the same hash tag (``{<key>}``), so on a Redis Cluster they share one hash
slot and each script or pipeline below touches one slot (the names are the same on a single
server: entries written before cluster support read as they are). Both get the same native
expiry. The commands go through ``_redis_client`` (asyncio or trio, server or cluster).

A hit is one ``GET`` (a larger body then streams in ``GETRANGE`` slices). A large body is
appended to its body key as it arrives (expiring an hour after the last append, so an
abandoned write disappears); the commit is one script that sets the record, gives the body
key the entry's expiry, and lets the replaced entry's body expire a minute later, so a
reader still streaming it finishes; a delete does the same to the body of the entry it
removes. Replacing a head is one script that rewrites the record only while it still has
the version read (``KEEPTTL``: the ttl is not restarted).
"""

from __future__ import annotations

import functools
import typing as t

from ...._core._describe import Shown, redis_location, storage_repr
from ...._core._messages import BytesBody
from ..._sync._backend import (
    Backend,
    BackendWriter,
    Body,
    BodySink,
    PiecedBody,
    SpillWriter,
    listed_record,
)
from ..._sync._base import BaseStorage, StorageOptions
from ..._checks import check_number, positional_01
from ..._extras import import_extra
from ..._layout import FIXED, LAYOUT_VERSION, MAGIC, VERSION_OFFSET, Record, unpack, with_head
from ..._layout import version_of as _version_of
from ._client import RedisCalls, describe, is_cluster

if t.TYPE_CHECKING:
    import redis as redis
    from redis.cluster import RedisCluster
    from typing_extensions import Unpack

__all__ = ["RedisStorage"]

SLICE = 1024 * 1024
_WRITE_EXPIRY_MS = 3_600_000
_REPLACED_BODY_MS = 60_000  # a replaced body outlives its entry this long, for readers
_V0, _V1 = VERSION_OFFSET, VERSION_OFFSET + 31  # the version's bytes (GETRANGE is inclusive)

# KEYS: record, body; ARGV: record, px ('' for none), body key prefix, has body, version,
# magic, layout version. 0 when the body of a large entry expired before its commit.
_COMMIT = f"""
if ARGV[4] == '1' and redis.call('EXISTS', KEYS[2]) == 0 then return 0 end
local old = redis.call('GETRANGE', KEYS[1], 0, {FIXED - 1})
if ARGV[2] == '' then
    redis.call('SET', KEYS[1], ARGV[1])
    if ARGV[4] == '1' then redis.call('PERSIST', KEYS[2]) end
else
    redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
    if ARGV[4] == '1' then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
end
if string.len(old) == {FIXED} and string.sub(old, 1, 5) == ARGV[6]
        and string.byte(old, 6) == tonumber(ARGV[7]) and string.byte(old, 7) % 2 == 0 then
    local version = string.sub(old, {_V0 + 1}, {_V1 + 1})
    if version ~= ARGV[5] then
        redis.call('PEXPIRE', ARGV[3] .. version, {_REPLACED_BODY_MS})
    end
end
return 1
"""
# KEYS: record, body. The body outlives its record a while, for readers streaming it.
_DELETE = f"""
redis.call('DEL', KEYS[1])
redis.call('PEXPIRE', KEYS[2], {_REPLACED_BODY_MS})
return 1
"""
# KEYS: record; ARGV: record, version. Only over the entry of that version; ttl kept.
_REPLACE = f"""
if redis.call('GETRANGE', KEYS[1], {_V0}, {_V1}) ~= ARGV[2] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'KEEPTTL')
return 1
"""


class _AsyncRedisSink(BodySink):
    def __init__(self, calls: RedisCalls, key: str) -> None:
        self._calls = calls
        self.key = key

    def write(self, data: bytearray) -> None:
        self._calls.append(self.key, bytes(data), _WRITE_EXPIRY_MS)

    def discard(self) -> None:
        self._calls.delete(self.key)


class RedisBackend(Backend):
    """Records and bodies as Redis strings under one namespace."""

    def __init__(self, calls: RedisCalls, namespace: str, ttl: float | None):
        self._calls = calls
        self._client = calls.client  # the client given or built (its settings, for tests)
        self._namespace = namespace
        self._ttl = ttl

    def _record_key(self, key: str) -> str:
        return f"{self._namespace}:entry:{{{key}}}"

    def _body_prefix(self, key: str) -> str:
        return f"{self._namespace}:body:{{{key}}}:"

    def _px(self) -> int | str:
        return "" if self._ttl is None else max(1, int(self._ttl * 1000))

    def read(self, key: str) -> tuple[Record, Body] | None:
        data = self._calls.get(self._record_key(key))
        if data is None:
            return None
        unpacked = unpack(data)
        record = unpacked.record
        if unpacked.inline is not None:
            return record, BytesBody(unpacked.inline)
        body_key = self._body_prefix(key) + record.version
        piece = functools.partial(self._piece, body_key, record.size)
        return record, PiecedBody(piece, record.size)

    def _piece(self, body_key: str, size: int, n: int) -> bytes | None:
        start = n * SLICE
        stop = min(start + SLICE, size)
        chunk = self._calls.getrange(body_key, start, stop - 1)
        return chunk if len(chunk) == stop - start else None

    def open_writer(self, key: str, head: bytes, stored_at: float) -> BackendWriter:
        return SpillWriter(self, key, head, stored_at, limit=SLICE, piece=SLICE)

    def _open_body(self, key: str, version: str) -> BodySink:
        return _AsyncRedisSink(self._calls, self._body_prefix(key) + version)

    def _commit(
        self, key: str, record: bytes, version: str, sink: BodySink | None
    ) -> None:
        prefix = self._body_prefix(key)
        keys = [self._record_key(key), prefix + version]
        args = [record, self._px(), prefix, "1" if sink else "0", version, MAGIC, LAYOUT_VERSION]
        if not self._calls.script(_COMMIT, keys, args):
            raise OSError("the Redis body of the entry expired before its commit")

    def replace_head(self, key: str, head: bytes, version: str) -> bool:
        found = self._calls.get(self._record_key(key))
        record = with_head(found, head, version) if found is not None else None
        if record is None:
            return False
        keys = [self._record_key(key)]
        return bool(self._calls.script(_REPLACE, keys, [record, version]))

    def delete(self, key: str) -> None:
        record_key = self._record_key(key)
        version = _version_of(self._calls.getrange(record_key, 0, FIXED - 1))
        if not version:
            self._calls.delete(record_key)
            return
        # The body outlives its record a while, as after a replacement, for readers.
        body_key = self._body_prefix(key) + version
        self._calls.script(_DELETE, [record_key, body_key], [])

    def heads(self) -> t.Iterator[tuple[str, Record]]:
        start = len(self._namespace) + len(":entry:{")
        for name in self._calls.names(f"{self._namespace}:entry:*"):
            text = name.decode("utf-8", "replace")
            data = self._calls.get(text)
            if data is not None:
                yield text[start:-1], listed_record(data)

    def close(self) -> None:
        self._calls.close()


def _decodes(client: t.Any) -> bool:
    """Whether ``client`` decodes replies to str (the storage needs bytes)."""
    try:
        return bool(client.get_encoder().decode_responses)
    except AttributeError:
        pool = getattr(client, "connection_pool", None)
        return bool(getattr(pool, "connection_kwargs", {}).get("decode_responses"))


class RedisStorage(BaseStorage):
    """Entries in Redis (needs ``pip install hishel[redis]``).

    Args:
        client: a ``redis.Redis`` client, or a ``redis.cluster.RedisCluster``
            for a Redis Cluster, returning bytes (left open); None connects to
            localhost:6379 (closed by ``close``). Under trio the async storage sends the
            commands from worker threads through an equivalent sync client it builds from
            this one's settings (and closes).
        serializer: writes the entry heads (default ``JSONSerializer``); bodies stay raw.
        ttl: seconds (or a ``timedelta``) after ``store`` when an entry expires, as native
            key expiry.
        namespace: the prefix of every key this storage writes (on a cluster, without
            ``{`` or ``}``: each key's hash tag is its entry key).
        clock: ``now() -> float`` (default ``time.time``); an entry is also not served once
            ``ttl`` has passed by this clock.
        signing_key: signs every entry head (HMAC-SHA256); an unsigned or tampered
            entry is a miss, removed, never deserialized (see ``BaseStorage``).
        max_size: at most this many bytes of heads and bodies (None: no byte budget); the
            least recently used entries are evicted past it (``BaseStorage``).
        timeout: seconds (default 1.0) a storage call may hold a request; then it is a
            miss and the cache is bypassed for a while. The default client gets it as
            ``socket_timeout`` / ``socket_connect_timeout``, with no retries; a client you
            pass is left as it is: the storage calls through a private client derived from
            its settings, with those timeouts at most ``timeout`` and no retries (closed
            with the storage). None: no bound (a client you pass is then used as it is).
    """

    @positional_01("serializer", "client", "ttl")
    def __init__(
        self,
        *,
        client: redis.Redis | RedisCluster | None = None,
        namespace: str = "hishel",
        timeout: float | None = 1.0,
        **options: Unpack[StorageOptions],
    ) -> None:
        super().__init__(**options)
        redis_module = import_extra("redis", "redis")
        self._timeout = check_number("timeout", timeout, minimum=0.001)
        if not isinstance(namespace, str) or not namespace:
            raise ValueError(f"namespace must be a non-empty string, not {namespace!r}")
        if _decodes(client):
            raise ValueError("the Redis client must return bytes: drop decode_responses=True")
        if is_cluster(client) and ("{" in namespace or "}" in namespace):
            raise ValueError(
                f"namespace {namespace!r} has a brace: on a Redis Cluster the hash tag of "
                "every key is its entry key ({...}); choose a namespace without { or }"
            )
        owned = client is None
        if client is None:
            retry_module = import_extra("redis.retry", "redis")
            backoff = import_extra("redis.backoff", "redis")
            client = redis_module.Redis(
                host="localhost",
                port=6379,
                socket_timeout=self._timeout,
                socket_connect_timeout=self._timeout,
                retry=retry_module.Retry(backoff.NoBackoff(), 0),
            )
        calls = RedisCalls(client, self._timeout, owned)
        self._backend = RedisBackend(calls, namespace, self._ttl)
        self._where = f"{type(self).__name__} ({describe(client)}, namespace {namespace!r})"

    def _describe(self) -> str:
        return self._where

    def __repr__(self) -> str:
        backend = t.cast("RedisBackend", self._backend)
        client = backend._client
        where = [
            ("client", Shown(f"<{type(client).__name__} {redis_location(client)}>")),
            ("namespace", backend._namespace),
        ]
        return storage_repr(self, where, timeout=1.0)
