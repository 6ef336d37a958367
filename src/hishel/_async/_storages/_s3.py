"""S3 storage: one object per entry; the metadata slot rides in the object's user metadata.

The object ``{key_prefix}{key}`` holds the framed entry; its ``stored_at`` (in the frame)
decides ttl, so an expired object is never served whether or not anything deleted it.
``update_metadata`` is a server-side ``copy_object`` onto itself that replaces only the user
metadata (``x-amz-meta-hishel-meta``, the slot in hex): the body is not uploaded again and
the frame's ``stored_at`` is kept. A retrieve is one ``get_object``, whose body streams.
The async class runs boto3's blocking calls in worker threads.

A streamed body under ``PART_SIZE`` is sent with one ``put_object`` at commit. A longer one
becomes a multipart upload, sent part by part as it arrives (the frame's head at the start of
the first part), so memory stays at one part: an object cannot be patched, so its frame's
body length is ``BODY_TO_END`` and the object's length says where the body ends. The object
appears only at ``complete_multipart_upload``; an abort (or a failed commit) aborts the
upload. Uploads abandoned by a crash stay invisible; a bucket lifecycle rule
(``AbortIncompleteMultipartUpload``) reclaims them.
"""

from __future__ import annotations

import contextlib
import typing as t

import httpcore

from ..._concurrency import async_to_thread
from ..._frame import (
    BODY_LEN,
    BODY_LEN_OFFSET,
    BODY_TO_END,
    Opened,
    encode_entry,
    encode_head,
    encode_meta,
    open_entry,
    with_body,
)
from ..._serializers import BaseSerializer, Metadata, import_extra
from ._base import AsyncBaseStorage, AsyncChunkStream, AsyncEntryWriter, Clock, check_number, logger

__all__ = ["AsyncS3Storage"]

PART_SIZE = 5 * 1024 * 1024  # S3's smallest part (but the last)

_META = "hishel-meta"
_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})


def _missing(exc: Exception) -> bool:
    response = getattr(exc, "response", None)
    return isinstance(response, dict) and response.get("Error", {}).get("Code") in _MISSING


class AsyncS3Storage(AsyncBaseStorage):
    """Entries as S3 objects (needs ``pip install hishel[s3]``).

    Args:
        bucket_name: the bucket (required).
        client: a boto3 S3 client; None uses ``boto3.client("s3")``.
        serializer: writes the entry heads (default ``JSONSerializer``); bodies stay raw.
        ttl: seconds after ``store`` when an entry stops being served (None: never). Expired
            objects are not deleted by a sweep; add a bucket lifecycle rule for the prefix.
        key_prefix: the prefix of every object key this storage writes.
        path_prefix: hishel 0.1's name for ``key_prefix``.
        check_ttl_every: accepted for hishel 0.1 compatibility; unused.
        clock: ``now() -> float`` read for ttl (default ``time.time``).
    """

    def __init__(
        self,
        *,
        bucket_name: str,
        client: t.Any = None,
        serializer: BaseSerializer | None = None,
        ttl: int | float | None = None,
        key_prefix: str | None = None,
        path_prefix: str | None = None,
        check_ttl_every: int | float | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(serializer=serializer, ttl=ttl, clock=clock)
        boto3 = import_extra("boto3", "s3")
        if not isinstance(bucket_name, str) or not bucket_name:
            raise TypeError(f"bucket_name must be a non-empty string, not {bucket_name!r}")
        if key_prefix is not None and path_prefix is not None and key_prefix != path_prefix:
            raise ValueError("pass key_prefix or its 0.1 alias path_prefix, not both")
        prefix = key_prefix if key_prefix is not None else path_prefix
        prefix = "hishel/" if prefix is None else prefix
        if not isinstance(prefix, str):
            raise TypeError(f"key_prefix must be a string, not {prefix!r}")
        check_number("check_ttl_every", check_ttl_every)
        self._bucket = bucket_name
        self._prefix = prefix
        self._owned = client is None
        self._client = client if client is not None else boto3.client("s3")

    def _object_key(self, key: str) -> str:
        return self._prefix + key

    async def store(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata | None = None,
    ) -> None:
        data = encode_entry(
            self._serializer,
            response,
            request,
            self._metadata(key, metadata),
            stored_at=self._now(),
        )
        await async_to_thread(
            self._client.put_object, Bucket=self._bucket, Key=self._object_key(key), Body=data
        )

    async def retrieve(
        self, key: str
    ) -> tuple[httpcore.Response, httpcore.Request, Metadata] | None:
        # An unreachable S3 raises (the flow logs it and serves without the cache); an
        # object that cannot be decoded is a miss, logged in _get.
        found = await async_to_thread(self._get, self._object_key(key))
        if found is None:
            return None
        (entry, first, remaining), body = found
        response = entry.response
        if remaining:
            response = with_body(response, AsyncChunkStream(first, body, remaining))
        return response, entry.request, entry.metadata

    def _get(self, object_key: str) -> tuple[Opened, t.Any] | None:
        try:
            obj = self._client.get_object(Bucket=self._bucket, Key=object_key)
        except Exception as exc:
            if _missing(exc):
                return None
            raise
        body = obj["Body"]
        try:
            meta_hex = obj.get("Metadata", {}).get(_META)
            meta = bytes.fromhex(meta_hex) if meta_hex else None
            opened = open_entry(
                self._serializer, body.read, total=obj.get("ContentLength"), meta=meta
            )
            stored_at = opened.entry.stored_at
            if stored_at is None:  # a 0.1 object
                stored_at = obj["LastModified"].timestamp()
            if self._expired(stored_at):
                body.close()
                return None
            if not opened.remaining:
                body.close()
            return opened, body
        except Exception:
            body.close()
            logger.warning("hishel: unreadable S3 cache entry; treating as a miss", exc_info=True)
            return None
        except BaseException:
            body.close()
            raise

    async def remove(self, key: str | httpcore.Response) -> None:
        await async_to_thread(
            self._client.delete_object, Bucket=self._bucket, Key=self._object_key(self._key_of(key))
        )

    async def update_metadata(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> None:
        await async_to_thread(self._copy, self._object_key(key), encode_meta(metadata).hex())

    def _copy(self, object_key: str, meta_hex: str) -> None:
        try:
            self._client.copy_object(
                Bucket=self._bucket,
                Key=object_key,
                CopySource={"Bucket": self._bucket, "Key": object_key},
                Metadata={_META: meta_hex},
                MetadataDirective="REPLACE",
            )
        except Exception as exc:
            if not _missing(exc):
                raise

    async def _open_writer(
        self,
        key: str,
        response: httpcore.Response,
        request: httpcore.Request,
        metadata: Metadata,
    ) -> AsyncEntryWriter:
        head = encode_head(
            self._serializer,
            response,
            request,
            metadata,
            stored_at=self._now(),
            body_len=BODY_TO_END,
        )
        writer = _AsyncS3Writer(self, key, response, request, metadata)
        return writer.start(self._client, self._bucket, self._object_key(key), head)

    async def aclose(self) -> None:
        if self._owned:
            self._client.close()


class _AsyncS3Writer(AsyncEntryWriter):
    """Buffers up to a part in a bytearray (boto3 sends it without a copy); one
    ``put_object`` for a short body, a multipart upload for a long one."""

    def start(self, client: t.Any, bucket: str, object_key: str, head: bytes) -> _AsyncS3Writer:
        self._client = client
        self._where = {"Bucket": bucket, "Key": object_key}
        self._head_len = len(head)
        self._buffer = bytearray(head)
        self._upload_id: str | None = None
        self._parts: list[dict[str, t.Any]] = []
        config = getattr(getattr(client, "meta", None), "config", None)
        # boto3's own uploads (s3transfer) ask for CRC32 part checksums in this mode.
        calculation = getattr(config, "request_checksum_calculation", None)
        self._checksum = {"ChecksumAlgorithm": "CRC32"} if calculation == "when_supported" else {}
        return self

    async def write(self, chunk: bytes) -> None:
        self._buffer += chunk
        if len(self._buffer) >= PART_SIZE:
            await self._send_part()

    async def _send_part(self) -> None:
        data, self._buffer = self._buffer, bytearray()
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

    async def commit(self) -> None:
        try:
            if self._upload_id is None:  # the whole entry fits in one part: one put_object
                body_len = len(self._buffer) - self._head_len
                self._buffer[BODY_LEN_OFFSET : BODY_LEN_OFFSET + BODY_LEN.size] = BODY_LEN.pack(
                    body_len
                )
                data, self._buffer = self._buffer, bytearray()
                await async_to_thread(self._client.put_object, **self._where, Body=data)
                return
            if self._buffer:
                await self._send_part()
            await async_to_thread(
                self._client.complete_multipart_upload,
                **self._where,
                UploadId=self._upload_id,
                MultipartUpload={"Parts": self._parts},
            )
            self._upload_id = None
        except BaseException:
            with contextlib.suppress(Exception):
                await self.abort()
            raise

    async def abort(self) -> None:
        self._buffer = bytearray()
        upload_id, self._upload_id = self._upload_id, None
        if upload_id is not None:
            await async_to_thread(
                self._client.abort_multipart_upload, **self._where, UploadId=upload_id
            )
