# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The privacy secret: one random record per storage, read by every process sharing it."""

from __future__ import annotations

import secrets
import typing as t

from .._signing import decode_secret, encode_secret
from ._backend import Backend, BackendWriter, close_body

__all__ = ["KEEP", "SECRET_KEY", "stored_secret"]

SECRET_KEY = "hishel-privacy-secret"
"""The reserved key of the record holding the storage's privacy secret (``hishel._core._privacy``);
management (list, purge) leaves it alone; ``clear`` may remove it (a new one is made)."""
KEEP = frozenset({SECRET_KEY})


def stored_secret(
    backend: Backend,
    signing_key: bytes | None,
    open_writer: t.Callable[[Backend, str, bytes], BackendWriter],
) -> bytes:
    """The secret stored under ``SECRET_KEY``, made and stored when missing (when two
    processes make one at once, the one stored wins)."""
    secret = _read_secret(backend, signing_key)
    if secret is None:
        fresh = secrets.token_bytes(32)
        head = encode_secret(fresh, signing_key, SECRET_KEY)
        writer = open_writer(backend, SECRET_KEY, head)
        writer.commit()
        secret = _read_secret(backend, signing_key) or fresh
    return secret


def _read_secret(backend: Backend, signing_key: bytes | None) -> bytes | None:
    try:
        found = backend.read(SECRET_KEY)
    except ValueError:
        return None
    if found is None:
        return None
    record, body = found
    close_body(body)
    return decode_secret(record.head, signing_key, SECRET_KEY)
