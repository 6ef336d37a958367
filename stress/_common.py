"""What the checks share: the versioned origin, the servers started here, storages by kind.

The versioned origin answers ``/v/<name>`` with a body computed from the name and a version
counter it keeps per name (``body_of``), the version in ``X-Version`` and an ETag naming it;
POST, PUT and DELETE bump the version (an invalidation). So every body a client gets can be
checked against the headers it came with, whether it came from the origin or from storage.
Name prefixes choose the kind of resource: ``h`` small and fresh for a second, ``r`` small and
revalidated every time (ETag / 304), ``m`` 400 KB, ``b`` 3 MB (both fresh for a second).

Every server started here (redis-server processes, moto's server, the origin) is stopped in a
``finally`` and at exit; the pid of each server process is also appended to the file named by
``HISHEL_STRESS_PIDFILE`` (when set), so a caller (``scripts/test``) can stop it even if this
process is killed.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import logging
import multiprocessing
import multiprocessing.context
import os
import signal
import socket
import subprocess
import threading
import time
import typing as t
import uuid
from dataclasses import dataclass
from pathlib import Path

import hishel
from hishel._tools._origin import Origin, OriginRequest

KiB = 1024
MiB = 1024 * 1024
SIZES = {"h": 2 * KiB, "r": 2 * KiB, "m": 400 * KiB, "b": 3 * MiB}
CACHE_CONTROL = {"h": "max-age=1", "r": "no-cache", "m": "max-age=1", "b": "max-age=1"}
S3_BUCKET = "hishel-stress"
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@dataclass
class Figure:
    """One check's result: its figure line and whether it met its bound."""

    line: str
    ok: bool


@functools.lru_cache(maxsize=64)
def body_of(name: str, version: int) -> bytes:
    """What the origin serves for ``/v/<name>`` at ``version`` (64-byte blocks of a digest)."""
    block = hashlib.sha256(f"{name}@{version}".encode()).digest() * 2
    size = SIZES[name[0]]
    return (block * (size // len(block) + 1))[:size]


class VersionedOrigin:
    """The loopback origin with the ``/v/*`` resources (see the module docstring)."""

    def __init__(self) -> None:
        self.origin = Origin(keep_requests=False)
        self._versions: dict[str, int] = {}
        self._lock = threading.Lock()
        self.origin.handler("/v/*", self._answer)

    def __enter__(self) -> VersionedOrigin:
        self.origin.start()
        return self

    def __exit__(self, *args: object) -> None:
        self.origin.stop()

    @property
    def base_url(self) -> str:
        return self.origin.base_url

    def version(self, name: str) -> int:
        with self._lock:
            return self._versions.get(name, 0)

    def _answer(self, request: OriginRequest) -> tuple[int, dict[str, str], bytes]:
        name = request.path[len("/v/") :]
        with self._lock:
            if request.method in ("POST", "PUT", "DELETE"):
                self._versions[name] = self._versions.get(name, 0) + 1
                return 200, {"Content-Type": "text/plain"}, b"ok"
            version = self._versions.get(name, 0)
        etag = f'"{name}.{version}"'
        headers = {"ETag": etag, "X-Version": str(version), "Cache-Control": CACHE_CONTROL[name[0]]}
        if request.headers.get("If-None-Match") == etag:
            return 304, headers, b""
        return 200, headers, body_of(name, version)


def check_body(name: str, headers: t.Mapping[str, str], body: bytes) -> bool:
    """Whether ``body`` is what the origin serves for ``name`` at the version in ``headers``."""
    version = headers.get("X-Version")
    return version is not None and version.isdigit() and body == body_of(name, int(version))


def processes() -> multiprocessing.context.BaseContext:
    """Worker processes forked from a server process that has hishel imported (fast to
    start, and never forked from this process's threads)."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["hishel", "httpx", "redis", "stress._concurrency", "stress._kills"])
    return ctx


# -- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_STARTED: list[subprocess.Popen[bytes]] = []


def _record_pid(pid: int) -> None:
    path = os.environ.get("HISHEL_STRESS_PIDFILE")
    if path:
        with open(path, "a") as file:
            file.write(f"{pid}\n")


def _forget_pid(pid: int) -> None:
    """Take a stopped server off the pid file (so a pid reused later is never signalled)."""
    path = os.environ.get("HISHEL_STRESS_PIDFILE")
    if path and os.path.exists(path):
        with open(path) as file:
            kept = [line for line in file if line.strip() != str(pid)]
        with open(path, "w") as file:
            file.writelines(kept)


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server started here (continued first, in case it was SIGSTOPped)."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGCONT)
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    _forget_pid(proc.pid)
    if proc in _STARTED:
        _STARTED.remove(proc)


@atexit.register
def _stop_everything() -> None:
    for proc in list(_STARTED):
        stop_process(proc)


def redis_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def redis_server() -> t.Iterator[tuple[int, subprocess.Popen[bytes]]]:
    """A throwaway redis-server on a free 127.0.0.1 port (its own process group)."""
    port = free_port()
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    _STARTED.append(proc)
    _record_pid(proc.pid)
    try:
        deadline = time.monotonic() + 10
        while not redis_ping(port):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"redis-server did not answer on 127.0.0.1:{port}")
            time.sleep(0.05)
        yield port, proc
    finally:
        stop_process(proc)


@contextlib.contextmanager
def s3_server() -> t.Iterator[str]:
    """moto's S3 server on a free 127.0.0.1 port with the stress bucket; its endpoint URL."""
    import boto3
    from moto.server import ThreadedMotoServer

    os.environ.update(AWS_ENV)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per S3 request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
        client.create_bucket(Bucket=S3_BUCKET)
        client.close()
        yield endpoint
    finally:
        server.stop()


# -- storages -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Store:
    """Where one check keeps its cache: ``kind`` and the place (directory, database file,
    Redis port and namespace, S3 endpoint and prefix). Picklable, for worker processes."""

    kind: str
    path: str = ""
    port: int = 0
    namespace: str = ""
    endpoint: str = ""

    @classmethod
    def make(cls, kind: str, tmp: Path, *, redis_port: int = 0, endpoint: str = "") -> Store:
        unique = uuid.uuid4().hex[:12]
        if kind == "file":
            return cls(kind, path=str(tmp / f"files-{unique}"))
        if kind == "sqlite":
            return cls(kind, path=str(tmp / f"cache-{unique}.db"))
        if kind in ("redis", "redis-cluster"):
            return cls(kind, port=redis_port, namespace=f"stress-{unique}")
        if kind == "s3":
            return cls(kind, endpoint=endpoint, namespace=f"stress-{unique}/")
        raise ValueError(f"unknown store kind {kind!r}")

    def storage(self, **kwargs: t.Any) -> hishel.BaseStorage:
        """A new sync storage instance on this store."""
        if self.kind == "file":
            return hishel.FileStorage(base_path=self.path, **kwargs)
        if self.kind == "sqlite":
            return hishel.SQLiteStorage(connection=self.path, **kwargs)
        if self.kind in ("redis", "redis-cluster"):
            client = redis_client(self.port, cluster=self.kind == "redis-cluster")
            return hishel.RedisStorage(client=client, namespace=self.namespace, **kwargs)
        return hishel.S3Storage(
            bucket_name=S3_BUCKET, client=self.s3(), key_prefix=self.namespace, **kwargs
        )

    def s3(self) -> t.Any:
        import boto3

        os.environ.update(AWS_ENV)
        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1")


def redis_client(port: int, timeout: float = 1.0, *, cluster: bool = False) -> t.Any:
    """A sync Redis (or Redis Cluster) client with its own timeouts and no retries (the
    storage bounds its own calls whatever the client: see check ``frozen``)."""
    import redis
    from redis.backoff import NoBackoff
    from redis.cluster import RedisCluster
    from redis.retry import Retry

    kind = RedisCluster if cluster else redis.Redis
    return kind(
        host="127.0.0.1",
        port=port,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
    )


@contextlib.contextmanager
def redis_cluster() -> t.Iterator[int]:
    """A 3-master loopback Redis Cluster of its own (the suite's ``LoopbackCluster``): the
    port of one node. Stopped (and its directory removed) whatever happens."""
    from tests.redis_cluster import LoopbackCluster

    cluster = LoopbackCluster()
    try:
        yield cluster.ports[0]
    finally:
        cluster.stop()


class WarningCounter(logging.Handler):
    """Counts hishel's WARNING and ERROR lines (storage trouble absorbed as misses)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.samples: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if len(self.samples) < 3:
            self.samples.append(record.getMessage()[:200])

    def __enter__(self) -> WarningCounter:
        logging.getLogger("hishel").addHandler(self)
        return self

    def __exit__(self, *args: object) -> None:
        logging.getLogger("hishel").removeHandler(self)
