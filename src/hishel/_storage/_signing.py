"""Signed heads: an HMAC-SHA256 tag under the storage's ``signing_key``, bound to the entry's
key, checked before anything is deserialized; and the privacy secret's record.

::

    signed head := b"\\x93HSG" tag(32) head
    secret head := b"\\x93HSK" secret(>= 16)      (signed like any head)
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = [
    "BadSignature",
    "decode_secret",
    "encode_secret",
    "sign",
    "signing_key_bytes",
    "verify",
]

SIGNED_MAGIC = b"\x93HSG"
SECRET_MAGIC = b"\x93HSK"
_TAG = 32


class BadSignature(ValueError):
    """An entry without a valid signature under the storage's ``signing_key``."""


def signing_key_bytes(key: object) -> bytes | None:
    """A ``signing_key`` argument as bytes (None: entries are not signed)."""
    if key is None:
        return None
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not isinstance(key, bytes) or not key:
        raise TypeError(f"signing_key must be a non-empty str or bytes, not {key!r}")
    return key


def _tag(signing_key: bytes, key: str, data: bytes) -> bytes:
    mac = hmac.new(signing_key, b"hishel-entry\0", hashlib.sha256)
    mac.update(key.encode("utf-8", "surrogateescape") + b"\0")
    mac.update(data)
    return mac.digest()


def sign(signing_key: bytes | None, key: str, data: bytes) -> bytes:
    """Head bytes as kept: tagged under ``signing_key`` (bound to ``key``) when there is one."""
    if signing_key is None:
        return data
    return SIGNED_MAGIC + _tag(signing_key, key, data) + data


def verify(signing_key: bytes | None, key: str, data: bytes) -> bytes:
    """The head bytes inside ``data``; with a ``signing_key``, only when the tag is valid."""
    signed = data[:4] == SIGNED_MAGIC
    if signing_key is None:
        return data[4 + _TAG :] if signed else data
    if not signed or len(data) < 4 + _TAG:
        raise BadSignature("unsigned entry (this storage has a signing_key)")
    tag, inner = data[4 : 4 + _TAG], data[4 + _TAG :]
    if not hmac.compare_digest(tag, _tag(signing_key, key, inner)):
        raise BadSignature("entry signature does not match (tampered, or another key)")
    return inner


def encode_secret(secret: bytes, signing_key: bytes | None, key: str) -> bytes:
    """The head bytes of the storage's privacy secret record."""
    return sign(signing_key, key, SECRET_MAGIC + secret)


def decode_secret(data: bytes, signing_key: bytes | None, key: str) -> bytes | None:
    """The secret in a secret record (None: not one, or not validly signed)."""
    try:
        inner = verify(signing_key, key, data)
    except BadSignature:
        return None
    if inner[:4] != SECRET_MAGIC or len(inner) < 4 + 16:
        return None
    return inner[4:]
