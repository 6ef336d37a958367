"""The storage a ``hishel cache --storage URI`` names.

``file:PATH`` (the default, ``file:.hishel_cache``), ``sqlite:PATH[?table=NAME]``,
``redis://host:port/db[?namespace=N]``, ``s3://bucket/prefix`` (boto3's usual configuration:
credentials, region and ``AWS_ENDPOINT_URL``). A ``file:`` or ``sqlite:`` path must exist: a
command lists, purges or clears a cache where it is and never creates one (a misspelt path is
an error naming it, ``MissingStorage``, not an empty cache). A URI that names no storage is a
``UsageError`` naming the accepted forms.
"""

from __future__ import annotations

import re
import typing as t
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from .._storage._sync._storages import BaseStorage, FileStorage

__all__ = ["DEFAULT_STORAGE", "FORMS", "MissingStorage", "UsageError", "open_storage"]

DEFAULT_STORAGE = "file:.hishel_cache"
FORMS = (
    "file:PATH, sqlite:PATH[?table=NAME], redis://host:port/db[?namespace=N] or s3://bucket/prefix"
)


class UsageError(Exception):
    """A wrong argument: exit code 2."""


class MissingStorage(Exception):
    """A ``file:`` or ``sqlite:`` path where there is no cache: exit code 1."""


def _bad(uri: str, why: str) -> UsageError:
    return UsageError(f"bad storage URI {uri!r}: {why} (expected {FORMS})")


def open_storage(uri: str) -> BaseStorage:
    """The storage a URI names (``UsageError`` when it names none)."""
    scheme, sep, rest = uri.partition(":")
    if not sep:
        raise _bad(uri, "no scheme")
    scheme = scheme.lower()
    if scheme == "file":
        path = rest[2:] if rest.startswith("//") else rest
        if not path:
            raise _bad(uri, "file:PATH needs a path")
        _existing(path, "cache folder", Path(path).expanduser().is_dir())
        return FileStorage(base_path=path)
    if scheme == "sqlite":
        return _sqlite(uri, rest)
    if scheme == "redis":
        return _redis(uri)
    if scheme == "s3":
        return _s3(uri)
    raise _bad(uri, f"unknown scheme {scheme!r}")


def _existing(path: str, what: str, found: bool) -> None:
    """A cache is listed, purged or cleared where it is, never created (a misspelt path
    would otherwise print "no entries")."""
    if found:
        return
    if Path(path).expanduser().exists():
        raise MissingStorage(f"{path} is not a {what}")
    raise MissingStorage(f"no {what} at {path} (the path must exist)")


def _query(uri: str, query: str, allowed: str) -> dict[str, str]:
    try:
        parsed = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError as exc:
        raise _bad(uri, str(exc)) from None
    unknown = set(parsed) - {allowed}
    if unknown:
        raise _bad(uri, f"unknown parameter {sorted(unknown)[0]!r}")
    return {name: values[-1] for name, values in parsed.items()}


def _sqlite(uri: str, rest: str) -> BaseStorage:
    from .._storage._sync._storages import SQLiteStorage

    path, _, query = rest.partition("?")
    path = path[2:] if path.startswith("//") else path
    table = _query(uri, query, "table").get("table", "cache")
    if not path:
        raise _bad(uri, "sqlite:PATH needs a path")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", table):
        raise _bad(uri, "table must be a plain SQL identifier")
    _existing(path, "SQLite database", Path(path).expanduser().is_file())
    return SQLiteStorage(connection=path, table_name=table)


def _redis(uri: str) -> BaseStorage:
    parts = urlsplit(uri)
    if not parts.netloc:
        raise _bad(uri, "redis://host:port/db needs a host")
    try:
        port = parts.port or 6379
    except ValueError:
        raise _bad(uri, "bad port") from None
    db_text = parts.path.strip("/") or "0"
    if not db_text.isdigit():
        raise _bad(uri, "the database must be a number")
    namespace = _query(uri, parts.query, "namespace").get("namespace", "hishel")
    import redis

    from .._storage._sync._storages import RedisStorage

    client = redis.Redis(
        host=parts.hostname or "127.0.0.1",
        port=port,
        db=int(db_text),
        username=parts.username,
        password=parts.password,
        socket_connect_timeout=2.0,
        socket_timeout=10.0,
    )
    # the storage bounds its calls by its own timeout: the CLI's 10 s, not the default 1 s
    storage = RedisStorage(client=client, namespace=namespace, timeout=10.0)
    storage.close = _closing(storage.close, client.close)  # type: ignore[method-assign]
    return storage


def _closing(*closes: t.Callable[[], object]) -> t.Callable[[], None]:
    """Close the storage, then the client the CLI made for it (the storage leaves a given
    client open)."""

    def close() -> None:
        for each in closes:
            each()

    return close


def _s3(uri: str) -> BaseStorage:
    parts = urlsplit(uri)
    if not parts.netloc:
        raise _bad(uri, "s3://bucket/prefix needs a bucket")
    from .._storage._sync._storages import S3Storage

    prefix = parts.path.lstrip("/")
    if not prefix:
        return S3Storage(bucket_name=parts.netloc)
    return S3Storage(bucket_name=parts.netloc, key_prefix=prefix.rstrip("/") + "/")
