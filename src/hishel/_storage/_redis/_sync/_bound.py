# GENERATED from the async source by scripts/unasync.py; do not edit.
"""The Redis clients the storage calls through: each call bounded by the storage ``timeout``.

A storage call must not hold a request longer than ``timeout``, whoever built the client. A
client the storage builds has ``socket_timeout`` / ``socket_connect_timeout`` of ``timeout``
and no retries. A client the caller passes is never changed (its own calls keep its settings)
and never used for the storage's calls: the storage derives a *private* client from its
connection settings, with its own connection pool, both socket timeouts at most ``timeout``
and no retries, and closes it with the storage. So a frozen server (SIGSTOP: connections are
accepted, nothing is answered) costs one call one socket timeout, and a killed one an
immediate ``ConnectionError``, never redis-py's retries with backoff.

Why a private client rather than a bound around each call: a sync call blocked in a socket
read cannot be interrupted from outside (a worker thread with a deadline would leave the
thread blocked, with the caller's retries still running, for as long as the caller's client
allows: forever without ``socket_timeout``); changing the timeouts of the caller's connections
would change its own calls. The async side is also bounded by a deadline around each call;
it uses the private client too, so a cancelled call never disturbs the caller's pool.

- One server (sync or asyncio): a new pool of the same connection class with a copy of the
  caller's pool's connection settings (host or unix socket, db, credentials, TLS, keepalive,
  Sentinel-managed connections alike) but the bounded timeouts and ``retry`` of none; the
  settings a pool wires itself (maintenance-notification handlers, their saved timeouts) are
  left to the new pool.
- A Redis Cluster (sync or asyncio): a cluster client on the same startup nodes with the kept
  connection settings (``_KEPT``, TLS), bounded timeouts, and no retries at either level.
  The sync one connects when built, so it is built at the first call, inside that call's
  bound.
- Under trio the async storage calls from worker threads through a sync twin of the asyncio
  client (``sync_twin``), built the same way as a cluster's.

``timeout=None`` asks for no bound: the caller's client is then used as it is.
"""

from __future__ import annotations

import typing as t

from ..._extras import import_extra

__all__ = ["bounded_client", "close_bounded", "describe", "is_cluster", "sync_twin"]

# Connection settings a cluster client or a trio twin keeps (never logged: ``password`` is one).
_KEPT = (
    "host",
    "port",
    "db",
    "username",
    "password",
    "credential_provider",
    "client_name",
    "socket_keepalive",
    "health_check_interval",
    "encoding",
    "encoding_errors",
    "protocol",
)
_TLS = (
    "ssl_keyfile",
    "ssl_certfile",
    "ssl_cert_reqs",
    "ssl_ca_certs",
    "ssl_ca_path",
    "ssl_ca_data",
    "ssl_check_hostname",
    "ssl_password",
    "ssl_min_version",
    "ssl_ciphers",
)
# Connection settings a pool wires itself, bound to that pool (redis-py 6+): a new pool makes
# its own.
_POOL_OWN = frozenset(
    {
        "maint_notifications_config",
        "maint_notifications_pool_handler",
        "oss_cluster_maint_notifications_handler",
        "orig_host_address",
        "orig_socket_timeout",
        "orig_socket_connect_timeout",
        "himport_registry",
    }
)


def _bounded(value: t.Any, timeout: float | None) -> float | None:
    if timeout is None:
        return None if value is None else float(value)
    return timeout if value is None else min(float(value), timeout)


def is_cluster(client: t.Any) -> bool:
    """Whether ``client`` is a redis-py cluster client (sync or asyncio)."""
    return hasattr(client, "nodes_manager")


def _settings(client: t.Any) -> tuple[dict[str, t.Any], type]:
    if is_cluster(client):  # (the nodes' settings: a sync cluster client has no others)
        given = dict(client.nodes_manager.connection_kwargs)
        return given, given.get("connection_class", type(None))
    pool = client.connection_pool
    return dict(pool.connection_kwargs), pool.connection_class


def _kept(client: t.Any, timeout: float | None) -> dict[str, t.Any]:
    """The kept settings of ``client`` (cluster or twin), timeouts bounded."""
    given, connection_class = _settings(client)
    kwargs = {name: given[name] for name in _KEPT if given.get(name) is not None}
    kwargs["socket_timeout"] = _bounded(given.get("socket_timeout"), timeout)
    kwargs["socket_connect_timeout"] = _bounded(given.get("socket_connect_timeout"), timeout)
    tls = any(cls.__name__ == "SSLConnection" for cls in connection_class.__mro__)
    if tls or given.get("ssl"):
        kwargs["ssl"] = True
        kwargs.update({name: given[name] for name in _TLS if given.get(name) is not None})
    if given.get("path"):
        kwargs["unix_socket_path"] = given["path"]
    return kwargs


def sync_twin(client: t.Any, timeout: float | None) -> t.Any:
    """A sync client reaching the same server or cluster as the asyncio ``client``."""
    sync = import_extra("redis", "redis")
    retry = import_extra("redis.retry", "redis").Retry(
        import_extra("redis.backoff", "redis").NoBackoff(), 0
    )
    kwargs = _kept(client, timeout)
    if is_cluster(client):
        cluster = import_extra("redis.cluster", "redis")
        kwargs.pop("db", None)
        kwargs.pop("unix_socket_path", None)
        return cluster.RedisCluster(startup_nodes=_nodes(client, cluster), retry=retry, **kwargs)
    return sync.Redis(retry=retry, **kwargs)


def _nodes(client: t.Any, cluster: t.Any) -> list[t.Any]:
    startup = client.nodes_manager.startup_nodes.values()
    return [cluster.ClusterNode(node.host, node.port) for node in startup]


def _no_retry() -> t.Any:
    retry = import_extra("redis.retry", "redis")
    return retry.Retry(import_extra("redis.backoff", "redis").NoBackoff(), 0)


def _no_cluster_retry() -> dict[str, int]:
    """redis-py 5 retries a cluster command on its own count (6+: ``retry`` says it)."""
    version = str(getattr(import_extra("redis", "redis"), "__version__", "6"))
    major = version.split(".")[0]
    return {"cluster_error_retry_attempts": 0} if major.isdigit() and int(major) < 6 else {}


def bounded_client(client: t.Any, timeout: float) -> t.Any:
    """A private client of ``client``'s flavour (see the module docstring): the caller closes
    it (a cluster client with ``close``; a server's with ``close_bounded``)."""
    if is_cluster(client):
        cluster = import_extra("redis.cluster", "redis")
        kwargs = _kept(client, timeout)
        kwargs.pop("db", None)
        kwargs.pop("unix_socket_path", None)
        return cluster.RedisCluster(
            startup_nodes=_nodes(client, cluster),
            retry=_no_retry(),
            **_no_cluster_retry(),
            **kwargs,
        )
    pool = client.connection_pool
    kwargs = {k: v for k, v in pool.connection_kwargs.items() if k not in _POOL_OWN}
    maintenance = pool.connection_kwargs.get("maint_notifications_config")
    if maintenance is not None:  # a setting (the new pool wires its own handler from it)
        kwargs["maint_notifications_config"] = maintenance
    kwargs["socket_timeout"] = _bounded(kwargs.get("socket_timeout"), timeout)
    if "path" not in kwargs:  # a unix socket connects at once or fails
        kwargs["socket_connect_timeout"] = _bounded(kwargs.get("socket_connect_timeout"), timeout)
    kwargs["retry"] = _no_retry()
    connection = import_extra("redis.connection", "redis")
    private_pool = connection.ConnectionPool(
        connection_class=pool.connection_class,
        max_connections=getattr(pool, "max_connections", None),
        **kwargs,
    )
    return import_extra("redis", "redis").Redis(connection_pool=private_pool)


def close_bounded(client: t.Any) -> None:
    """Close a private client made by ``bounded_client`` (and a server's pool with it)."""
    client.close()
    if not is_cluster(client):
        client.connection_pool.disconnect()


def describe(client: t.Any) -> str:
    """Where ``client`` connects, for log lines (never its credentials)."""
    if is_cluster(client):
        nodes = getattr(client.nodes_manager, "startup_nodes", {}).values()
        where = ",".join(f"{node.host}:{node.port}" for node in nodes) or "?"
        return f"Redis Cluster at {where}"
    kwargs = getattr(getattr(client, "connection_pool", None), "connection_kwargs", {})
    where = kwargs.get("path") or f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}"
    return f"Redis at {where}"
