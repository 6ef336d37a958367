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
  caller's pool's connection settings (host or unix socket, db, credentials, TLS, keepalive)
  but the bounded timeouts and ``retry`` of none; the settings a pool wires itself
  (maintenance-notification handlers, their saved timeouts) are left to the new pool.
- A Sentinel-managed client (``Sentinel.master_for`` / ``slave_for``, sync or asyncio): its
  connections find the master by asking the sentinels, and the caller's sentinel clients may
  have no timeouts (a frozen sentinel would hold a sync call for good). So the storage makes
  a private ``Sentinel`` on the same sentinel addresses, its sentinel clients with the
  caller's sentinel credentials and TLS (``_KEPT``), bounded timeouts and no retries, and
  ``min_other_sentinels`` kept; its master (or replica) client has the connection settings
  copied as for one server. Closing the private client closes its sentinel clients too.
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

__all__ = [
    "bounded_client",
    "close_bounded",
    "close_twin",
    "describe",
    "is_cluster",
    "is_sentinel",
    "sync_twin",
]

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


def is_sentinel(client: t.Any) -> bool:
    """Whether ``client`` is Sentinel-managed (its pool is a ``SentinelConnectionPool``)."""
    pool = getattr(client, "connection_pool", None)
    return hasattr(pool, "sentinel_manager") and hasattr(pool, "service_name")


def _address(client: t.Any) -> tuple[str, int]:
    kwargs = client.connection_pool.connection_kwargs
    return kwargs.get("host", "?"), kwargs.get("port", "?")


def _private_sentinel(client: t.Any, timeout: float | None, module: t.Any, retry: t.Any) -> t.Any:
    """A ``module.Sentinel`` on the sentinels of ``client``'s, with their kept settings
    (credentials, TLS), bounded timeouts and ``retry``."""
    manager = client.connection_pool.sentinel_manager
    kwargs = _kept(manager.sentinels[0], timeout) if manager.sentinels else {}
    for name in ("host", "port", "db", "unix_socket_path"):  # a sentinel has none of its own
        kwargs.pop(name, None)
    kwargs["retry"] = retry
    force = getattr(manager, "_force_master_ip", None)  # (redis-py 5.1+)
    return module.Sentinel(
        [_address(sentinel) for sentinel in manager.sentinels],
        min_other_sentinels=manager.min_other_sentinels,
        sentinel_kwargs=kwargs,
        **({} if force is None else {"force_master_ip": force}),
    )


def _for_service(sentinel: t.Any, pool: t.Any, **kwargs: t.Any) -> t.Any:
    """The client of ``sentinel`` for the service and role of the caller's ``pool``."""
    which = sentinel.master_for if pool.is_master else sentinel.slave_for
    kwargs["check_connection"] = getattr(pool, "check_connection", False)
    return which(pool.service_name, **kwargs)


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
    if is_sentinel(client):
        sentinel = import_extra("redis.sentinel", "redis")
        for name in ("host", "port", "unix_socket_path"):  # the sentinels say where
            kwargs.pop(name, None)
        private = _private_sentinel(client, timeout, sentinel, retry)
        return _for_service(private, client.connection_pool, retry=retry, **kwargs)
    if is_cluster(client):
        cluster = import_extra("redis.cluster", "redis")
        kwargs.pop("db", None)
        kwargs.pop("unix_socket_path", None)
        return cluster.RedisCluster(startup_nodes=_nodes(client, cluster), retry=retry, **kwargs)
    return sync.Redis(retry=retry, **kwargs)


def close_twin(twin: t.Any) -> None:
    """Close a client made by ``sync_twin`` (and a Sentinel one's sentinel clients)."""
    twin.close()
    if is_sentinel(twin):
        for sentinel in twin.connection_pool.sentinel_manager.sentinels:
            sentinel.close()


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
    kwargs.pop("connection_pool", None)  # a Sentinel pool's own (its connections ask it)
    maintenance = pool.connection_kwargs.get("maint_notifications_config")
    if maintenance is not None:  # a setting (the new pool wires its own handler from it)
        kwargs["maint_notifications_config"] = maintenance
    kwargs["socket_timeout"] = _bounded(kwargs.get("socket_timeout"), timeout)
    if "path" not in kwargs:  # a unix socket connects at once or fails
        kwargs["socket_connect_timeout"] = _bounded(kwargs.get("socket_connect_timeout"), timeout)
    kwargs["retry"] = _no_retry()
    max_connections = getattr(pool, "max_connections", None)
    if is_sentinel(client):
        sentinel = import_extra("redis.sentinel", "redis")
        private = _private_sentinel(client, timeout, sentinel, _no_retry())
        return _for_service(
            private,
            pool,
            connection_class=pool.connection_class,
            max_connections=max_connections,
            **kwargs,
        )
    connection = import_extra("redis.connection", "redis")
    private_pool = connection.ConnectionPool(
        connection_class=pool.connection_class,
        max_connections=max_connections,
        **kwargs,
    )
    return import_extra("redis", "redis").Redis(connection_pool=private_pool)


def close_bounded(client: t.Any) -> None:
    """Close a private client made by ``bounded_client`` (and a server's pool with it)."""
    client.close()
    if not is_cluster(client):
        client.connection_pool.disconnect()
    if is_sentinel(client):  # the private sentinel clients (each owns its pool)
        for sentinel in client.connection_pool.sentinel_manager.sentinels:
            sentinel.close()


def describe(client: t.Any) -> str:
    """Where ``client`` connects, for log lines (never its credentials)."""
    if is_cluster(client):
        nodes = getattr(client.nodes_manager, "startup_nodes", {}).values()
        where = ",".join(f"{node.host}:{node.port}" for node in nodes) or "?"
        return f"Redis Cluster at {where}"
    if is_sentinel(client):
        pool = client.connection_pool
        addresses = (_address(sentinel) for sentinel in pool.sentinel_manager.sentinels)
        sentinels = ",".join(f"{host}:{port}" for host, port in addresses)
        return f"Redis Sentinel service {pool.service_name} at {sentinels or '?'}"
    kwargs = getattr(getattr(client, "connection_pool", None), "connection_kwargs", {})
    where = kwargs.get("path") or f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}"
    return f"Redis at {where}"
