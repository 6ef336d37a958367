"""S3 storage: a record object per entry, and a body object beside it when the body is large.

``{key_prefix}{key}`` holds the record (``hishel._storage._layout``: head, and a body of up to
``INLINE_LIMIT`` inline), so a hit on a small entry is one ``get_object``. A larger body is
``{key_prefix}.bodies/{key}/{version}``, sent part by part as it arrives as a multipart
upload (memory stays at one part); it appears only at ``complete_multipart_upload``, before
the record that points at it. Replacing a head uploads the record alone; the body is not
sent again. The async class runs boto3's blocking calls in worker threads.

Uploads abandoned by a crash stay invisible; a bucket lifecycle rule
(``AbortIncompleteMultipartUpload``) reclaims them. S3 has no conditional write here, so a
head replacement racing a new store of the same key can put the older head back (the
version check narrows the window to one round trip).
"""

from __future__ import annotations

import typing as t

from ...._core._concurrency import async_abandoning_thread as async_to_thread
from ...._core._describe import storage_repr
from ...._core._messages import BytesBody
from ..._async._backend import (
    AsyncBackend,
    AsyncBackendWriter,
    AsyncBodySink,
    AsyncChunkStream,
    AsyncSpillWriter,
    listed_record,
)
from ..._async._base import AsyncBaseStorage, StorageOptions
from ..._checks import check_number, positional_01
from ..._extras import import_extra
from ..._layout import FIXED, Record, unpack, version_of, with_head
from .._bound import bounded_s3_client, default_s3_client

if t.TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["AsyncS3Storage"]

PART_SIZE = 5 * 1024 * 1024  # S3's smallest part (but the last)
INLINE_LIMIT = 1024 * 1024
_BODIES = ".bodies/"
_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})


def _missing(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    return isinstance(response, dict) and response.get("Error", {}).get("Code") in _MISSING


class _AsyncS3Sink(AsyncBodySink):
    """A multipart upload, one part per ``write``."""

    def __init__(self, client: t.Any, bucket: str, object_key: str) -> None:
        self._client = client
        self._where = {"Bucket": bucket, "Key": object_key}
        self._upload_id: str | None = None
        self._put = False
        self._parts: list[dict[str, t.Any]] = []
        config = getattr(getattr(client, "meta", None), "config", None)
        # boto3's own uploads (s3transfer) ask for CRC32 part checksums in this mode.
        calculation = getattr(config, "request_checksum_calculation", None)
        self._checksum = {"ChecksumAlgorithm": "CRC32"} if calculation == "when_supported" else {}

    async def write(self, data: bytearray) -> None:
        if self._upload_id is None:
            created = await async_to_thread(
                self._client.create_multipart_upload, **self._where, **self._checksum
            )
            self._upload_id = str(created["UploadId"])
        number = len(self._parts) + 1
        sent = await async_to_thread(
            self._client.upload_part,
            **self._where,
            UploadId=self._upload_id,
            PartNumber=number,
            Body=data,
            **self._checksum,
        )
        part = {"ETag": sent["ETag"], "PartNumber": number}
        part.update((name, value) for name, value in sent.items() if name.startswith("Checksum"))
        self._parts.append(part)

    async def put(self, data: bytearray) -> None:
        await async_to_thread(self._client.put_object, **self._where, Body=data)
        self._put = True

    async def complete(self) -> None:
        if self._upload_id is None:  # sent with put, or nothing sent
            return
        await async_to_thread(
            self._client.complete_multipart_upload,
            **self._where,
            UploadId=self._upload_id,
            MultipartUpload={"Parts": self._parts},
        )
        self._upload_id = None

    async def discard(self) -> None:
        upload_id, self._upload_id = self._upload_id, None
        if self._put:
            await async_to_thread(self._client.delete_object, **self._where)
        if upload_id is not None:
            await async_to_thread(
                self._client.abort_multipart_upload, **self._where, UploadId=upload_id
            )


class AsyncS3Backend(AsyncBackend):
    """Records and bodies as objects under one prefix of a bucket."""

    def __init__(self, client: t.Any, bucket: str, prefix: str, owned: bool) -> None:
        self._client = client
        self._bucket = bucket
        self._prefix = prefix
        self._owned = owned

    def _record_key(self, key: str) -> str:
        return self._prefix + key

    def _body_key(self, key: str, version: str) -> str:
        return f"{self._prefix}{_BODIES}{key}/{version}"

    def _get(self, object_key: str) -> tuple[bytes, float] | None:
        try:
            obj = self._client.get_object(Bucket=self._bucket, Key=object_key)
        except Exception as exc:
            if _missing(exc):
                return None
            raise
        with obj["Body"] as body:
            return body.read(), obj["LastModified"].timestamp()

    def _open_body_object(self, object_key: str) -> t.Any:
        try:
            return self._client.get_object(Bucket=self._bucket, Key=object_key)["Body"]
        except Exception as exc:
            if _missing(exc):
                return None
            raise

    async def read(self, key: str) -> tuple[Record, t.AsyncIterable[bytes]] | None:
        found = await async_to_thread(self._get, self._record_key(key))
        if found is None:
            return None
        unpacked = unpack(found[0], fallback_stored_at=found[1])
        record = unpacked.record
        if unpacked.inline is not None:
            return record, BytesBody(unpacked.inline)
        body = await async_to_thread(self._open_body_object, self._body_key(key, record.version))
        if body is None:  # replaced meanwhile
            return None
        return record, AsyncChunkStream(body, record.size)

    async def open_writer(self, key: str, head: bytes, stored_at: float) -> AsyncBackendWriter:
        return AsyncSpillWriter(self, key, head, stored_at, limit=INLINE_LIMIT, piece=PART_SIZE)

    async def _open_body(self, key: str, version: str) -> AsyncBodySink:
        return _AsyncS3Sink(self._client, self._bucket, self._body_key(key, version))

    async def _commit(
        self, key: str, record: bytes, version: str, sink: AsyncBodySink | None
    ) -> None:
        if isinstance(sink, _AsyncS3Sink):
            await sink.complete()
        old = await async_to_thread(self._get, self._record_key(key))
        await self._put(key, record)
        old_version = version_of(old[0][:FIXED]) if old is not None else ""
        if old_version and old_version != version and old is not None and old[0][6] & 1 == 0:
            await self._delete_object(self._body_key(key, old_version))

    async def _put(self, key: str, record: bytes) -> None:
        await async_to_thread(
            self._client.put_object, Bucket=self._bucket, Key=self._record_key(key), Body=record
        )

    async def _delete_object(self, object_key: str) -> None:
        await async_to_thread(self._client.delete_object, Bucket=self._bucket, Key=object_key)

    async def replace_head(self, key: str, head: bytes, version: str) -> bool:
        found = await async_to_thread(self._get, self._record_key(key))
        record = with_head(found[0], head, version) if found is not None else None
        if record is None:
            return False
        await self._put(key, record)
        return True

    async def delete(self, key: str) -> None:
        found = await async_to_thread(self._get, self._record_key(key))
        await self._delete_object(self._record_key(key))
        version = version_of(found[0][:FIXED]) if found is not None else ""
        if version:
            await self._delete_object(self._body_key(key, version))

    async def heads(self) -> t.AsyncIterator[tuple[str, Record]]:
        paginator = self._client.get_paginator("list_objects_v2")
        pages = await async_to_thread(
            lambda: list(paginator.paginate(Bucket=self._bucket, Prefix=self._prefix))
        )
        for page in pages:
            for item in page.get("Contents", []):
                key = str(item["Key"])[len(self._prefix) :]
                if key.startswith(_BODIES):
                    continue
                found = await async_to_thread(self._get, str(item["Key"]))
                if found is not None:
                    yield key, listed_record(found[0], found[1])

    async def aclose(self) -> None:
        if self._owned:
            self._client.close()


class AsyncS3Storage(AsyncBaseStorage):
    """Entries as S3 objects (needs ``pip install hishel[s3]``).

    Args:
        bucket_name: the bucket (required).
        client: a boto3 S3 client, left as it is: the storage calls through a private
            client made from it (its configuration, endpoint and credentials) with connect
            and read timeouts at most ``timeout`` and no retries, closed with the storage.
            None builds ``boto3.client("s3")`` with those timeouts and no retries.
        serializer: writes the entry heads (default ``JSONSerializer``); bodies stay raw.
        ttl: seconds (or a ``timedelta``) after ``store`` when an entry stops being served.
            Expired objects are not deleted by a sweep; add a bucket lifecycle rule.
        key_prefix: the prefix of every object key this storage writes.
        path_prefix: hishel 0.1's name for ``key_prefix``.
        check_ttl_every: accepted for hishel 0.1 compatibility; unused.
        clock: ``now() -> float`` read for ttl (default ``time.time``).
        signing_key: signs every entry head (HMAC-SHA256); an unsigned or tampered
            entry is a miss, removed, never deserialized (see ``AsyncBaseStorage``).
        max_size: at most this many bytes of heads and bodies (None: no byte budget); the
            least recently used entries are evicted past it (``AsyncBaseStorage``).
        timeout: seconds (default 1.0) a storage call may hold a request; then it is a
            miss and the cache is bypassed for a while (sync and async, any client: see
            ``hishel._storage._s3._bound``). None: no bound (a client you pass is used as it is).
    """

    @positional_01("bucket_name", "serializer", "ttl", "check_ttl_every", "client", "path_prefix")
    def __init__(
        self,
        *,
        bucket_name: str,
        client: t.Any = None,
        key_prefix: str | None = None,
        path_prefix: str | None = None,
        check_ttl_every: int | float | None = None,
        timeout: float | None = 1.0,
        **options: Unpack[StorageOptions],
    ) -> None:
        super().__init__(**options)
        import_extra("boto3", "s3")
        self._timeout = check_number("timeout", timeout, minimum=0.001)
        if not isinstance(bucket_name, str) or not bucket_name:
            raise TypeError(f"bucket_name must be a non-empty string, not {bucket_name!r}")
        if key_prefix is not None and path_prefix is not None and key_prefix != path_prefix:
            raise ValueError("pass key_prefix or its 0.1 alias path_prefix, not both")
        prefix = key_prefix if key_prefix is not None else path_prefix
        prefix = "hishel/" if prefix is None else prefix
        if not isinstance(prefix, str):
            raise TypeError(f"key_prefix must be a string, not {prefix!r}")
        check_number("check_ttl_every", check_ttl_every)
        owned = client is None
        if client is None:
            client = default_s3_client(self._timeout)
        elif self._timeout is not None:  # the caller's client is left as it is
            private = bounded_s3_client(client, self._timeout)
            owned, client = private is not client, private
        self._backend = AsyncS3Backend(client, bucket_name, prefix, owned)
        self._where = f"{type(self).__name__} (S3 bucket {bucket_name!r})"

    def _describe(self) -> str:
        return self._where

    def __repr__(self) -> str:
        backend = t.cast("AsyncS3Backend", self._backend)
        where = [("bucket_name", backend._bucket), ("key_prefix", backend._prefix)]
        return storage_repr(self, where, timeout=1.0)
