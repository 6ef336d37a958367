"""``repr()`` of storages, the Controller, transports, pools and clients.

A repr reads like the call that would build the object: the class, then where entries are
kept (always shown: an absolute path, a database, a namespace, a bucket and prefix), then the
options that differ from their defaults. A secret never appears: a ``signing_key`` shows as
``<set>``, a Redis location carries no user name or password.
"""

from __future__ import annotations

import os
import sqlite3
import typing as t

from ._clock import SystemClock
from ._keys import generate_key

__all__ = [
    "Shown",
    "absolute",
    "controller_repr",
    "redis_location",
    "shell_repr",
    "sqlite_database",
    "storage_repr",
]


class Shown(str):
    """A value written into a repr as it is (not quoted)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def _call(name: str, fields: t.Iterable[tuple[str, object]]) -> str:
    return f"{name}({', '.join(f'{key}={value!r}' for key, value in fields)})"


def _number(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Shown(f"{value:g}")
    return value  # (a user subclass's own attribute: shown as it is)


def _non_default(fields: t.Iterable[tuple[str, object, object]]) -> list[tuple[str, object]]:
    return [
        (name, _number(value) if isinstance(value, float) else value)
        for name, value, default in fields
        if value != default
    ]


def storage_repr(
    storage: object,
    where: t.Iterable[tuple[str, object]] = (),
    options: t.Iterable[tuple[str, object, object]] = (),
    timeout: float | None = None,
) -> str:
    """``Class(where..., non-default options...)`` of a storage.

    ``where`` is always shown; ``options`` are ``(name, value, default)`` shown when the value
    differs from the default; ``timeout`` is the class's default timeout. Read with
    ``getattr``, so a user subclass that skipped ``__init__`` still gets a repr.
    """
    fields = list(where) + _non_default(options)
    serializer = getattr(storage, "_serializer", None)
    if serializer is not None and type(serializer).__name__ != "JSONSerializer":
        fields.append(("serializer", Shown(f"{type(serializer).__name__}()")))
    ttl = getattr(storage, "_ttl", None)
    if ttl is not None:
        fields.append(("ttl", _number(ttl)))
    max_size = getattr(getattr(storage, "_budget", None), "max_size", None)
    if max_size is not None:
        fields.append(("max_size", max_size))
    own_timeout = getattr(storage, "_timeout", None)
    if own_timeout != timeout:
        fields.append(("timeout", None if own_timeout is None else _number(own_timeout)))
    if getattr(storage, "_signing_key", None) is not None:
        fields.append(("signing_key", Shown("<set>")))
    clock = getattr(storage, "_clock", None)
    if clock is not None and not isinstance(clock, SystemClock):
        fields.append(("clock", Shown(f"<{type(clock).__name__}>")))
    return _call(type(storage).__name__, fields)


def absolute(path: str | os.PathLike[str]) -> str:
    """``path`` made absolute against the working directory of now (where it is used)."""
    return os.path.abspath(os.fspath(path))


def redis_location(client: object) -> str:
    """Where a Redis client connects, as a URL without user name or password."""
    if hasattr(client, "nodes_manager"):  # a cluster
        nodes = getattr(client.nodes_manager, "startup_nodes", {}).values()
        where = ",".join(f"{node.host}:{node.port}" for node in nodes) or "?"
        return f"redis-cluster://{where}"
    pool = getattr(client, "connection_pool", None)
    kwargs = getattr(pool, "connection_kwargs", {})
    db = kwargs.get("db", 0)
    manager, service = getattr(pool, "sentinel_manager", None), getattr(pool, "service_name", None)
    if manager is not None and service is not None:  # Sentinel-managed
        found = (s.connection_pool.connection_kwargs for s in manager.sentinels)
        where = ",".join(f"{k.get('host', '?')}:{k.get('port', '?')}" for k in found) or "?"
        return f"redis+sentinel://{where}/{service}/{db}"
    if kwargs.get("path"):
        return f"unix://{kwargs['path']}?db={db}"
    connection_class = getattr(pool, "connection_class", type(None))
    scheme = "rediss" if "SSL" in connection_class.__name__ else "redis"
    return f"{scheme}://{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{db}"


def controller_repr(controller: t.Any) -> str:
    """``Controller(non-default options...)``, read from what the Controller keeps."""
    config = getattr(controller, "_flow_config", None)
    if config is None:  # a subclass that did not call Controller.__init__
        return f"{type(controller).__name__}()"
    options = config.options
    privacy = config.privacy
    always = type(privacy)().sensitive
    rules = {
        rule.pattern: Shown("hishel.DO_NOT_CACHE")
        if rule.lifetime is None
        else _number(rule.lifetime)
        for rule in config.rules
    }
    statuses = controller._cacheable_status_codes
    fields = _non_default(
        [
            ("cacheable_methods", sorted(controller._cacheable_methods), ["GET"]),
            ("cacheable_status_codes", None if statuses is None else sorted(statuses), None),
            ("cache_private", controller._cache_private, True),
            ("allow_heuristics", controller._allow_heuristics, False),
            ("allow_stale", controller._allow_stale, False),
            ("always_revalidate", controller._always_revalidate, False),
            ("force_cache", controller._force_cache, False),
            ("stale_while_revalidate", options.stale_while_revalidate, False),
            ("stale_if_error", options.stale_if_error, False),
            ("coalesce_requests", controller._coalesce_requests, False),
            ("targeted_cache_control", options.targeted_cache_control, ()),
            ("cache_status_header", config.cache_status_header, False),
            ("default_ttl", options.default_lifetime, None),
            ("ttl_rules", rules, {}),
            ("sensitive_headers", tuple(sorted(privacy.sensitive - always)), ()),
            ("ignored_parameters", tuple(sorted(privacy.ignored)), ()),
        ]
    )
    if controller._key_generator is not generate_key:
        generator = controller._key_generator
        name = getattr(generator, "__qualname__", None) or type(generator).__name__
        fields.append(("key_generator", Shown(name if name.startswith("<") else f"<{name}>")))
    if not isinstance(controller._clock, SystemClock):
        fields.append(("clock", Shown(f"<{type(controller._clock).__name__}>")))
    return _call(type(controller).__name__, fields)


def shell_repr(shell: object, wrapped: object | None, storage: object, controller: object) -> str:
    """``Class(wrapped=<its class>, storage=..., controller=...)`` of a transport, pool or
    client; the controller only when it is not a default one."""
    fields: list[tuple[str, object]] = []
    if wrapped is not None:
        fields.append(("wraps", Shown(f"<{type(wrapped).__name__}>")))
    fields.append(("storage", Shown(repr(storage))))
    shown = repr(controller)
    if shown != "Controller()":
        fields.append(("controller", Shown(shown)))
    return _call(type(shell).__name__, fields)


def sqlite_database(path: str | None, connection: t.Any) -> str:
    """The database file (absolute) of an SQLite storage, ``:memory:``, or ``<connection>``
    when the connection given cannot say from this thread."""
    if path is not None:
        return path if path == ":memory:" else absolute(path)
    try:
        rows = connection.execute("PRAGMA database_list").fetchall() if connection else []
    except sqlite3.Error:
        return "<connection>"
    file = next((row[2] for row in rows if row[1] == "main"), "")
    return absolute(file) if file else ":memory:"
