"""A real 3-master Redis Cluster on loopback, for the cluster storage tests.

``scripts/test`` starts one before pytest and exports ``HISHEL_TEST_REDIS_CLUSTER``
(``127.0.0.1:PORT`` of one node); when it is unset (pytest run by hand), the session
fixture starts its own the same way and stops it at session end, so the cluster tests
always run here. The servers keep nothing on disk beyond their node files, in a temporary
directory removed when the cluster stops.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
import typing as t

import pytest

ENV = "HISHEL_TEST_REDIS_CLUSTER"


def _free_ports(n: int) -> list[int]:
    """``n`` loopback ports that are free, each with its cluster bus port (+10000) free too
    (so a port is at most 55535)."""
    import random
    import socket

    ports: list[int] = []
    while len(ports) < n:
        port = random.randrange(20000, 45000)
        if port in ports:
            continue
        try:
            for candidate in (port, port + 10000):
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
                    sock.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        ports.append(port)
    return ports


def _die_with_parent() -> None:
    """In the child before exec (Linux): a SIGTERM when the test process dies, so a killed
    pytest (no teardown) leaves no server behind."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _cli(port: int, *args: str, timeout: float = 10) -> str:
    done = subprocess.run(
        ["redis-cli", "-h", "127.0.0.1", "-p", str(port), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return done.stdout


class LoopbackCluster:
    """Three cluster-enabled redis-servers (masters, no replicas) on free loopback ports."""

    def __init__(self, masters: int = 3) -> None:
        self.dir = tempfile.mkdtemp(prefix="hishel-cluster-")
        self.ports = _free_ports(masters)
        self.procs: list[subprocess.Popen[bytes]] = []
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        for port in self.ports:
            self.procs.append(
                subprocess.Popen(
                    [
                        *("redis-server", "--port", str(port), "--cluster-enabled", "yes"),
                        *("--cluster-config-file", f"{self.dir}/nodes-{port}.conf"),
                        *("--cluster-node-timeout", "2000", "--save", "", "--appendonly", "no"),
                        *("--bind", "127.0.0.1", "--dir", self.dir),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    preexec_fn=_die_with_parent,
                )
            )
        self._wait(lambda port: _cli(port, "ping").strip() == "PONG", "answer PING")
        nodes = [f"127.0.0.1:{port}" for port in self.ports]
        create = ["redis-cli", "--cluster", "create", *nodes, "--cluster-replicas", "0"]
        subprocess.run(
            [*create, "--cluster-yes"],
            capture_output=True,
            check=True,
            timeout=30,
        )
        self._wait(lambda port: "cluster_state:ok" in _cli(port, "cluster", "info"), "be ok")

    def _wait(self, ready: t.Callable[[int], bool], what: str) -> None:
        deadline = time.monotonic() + 30
        pending = list(self.ports)
        while pending:
            pending = [port for port in pending if not ready(port)]
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"the loopback Redis Cluster nodes {pending} did not {what}")
            if pending:
                time.sleep(0.05)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.ports[0]}"

    def node_port(self, name: str) -> int:
        """The port of the primary that holds key ``name``."""
        from redis.cluster import RedisCluster

        client = RedisCluster(host="127.0.0.1", port=self.ports[0])
        try:
            return int(client.get_node_from_key(name).port)
        finally:
            client.close()

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGCONT)  # a frozen node too
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def redis_cluster_address() -> t.Iterator[tuple[str, int]]:
    """(host, port) of one node of a running 3-master loopback Redis Cluster."""
    given = os.environ.get(ENV)
    if given:
        host, _, port = given.rpartition(":")
        yield host, int(port)
        return
    if shutil.which("redis-server") is None or shutil.which("redis-cli") is None:
        pytest.fail(
            f"no {ENV}, and no redis-server / redis-cli on PATH to start a loopback cluster: "
            "install them (Debian/Ubuntu: apt-get install redis-server; macOS: brew install "
            "redis), or run scripts/test, which installs them as root",
            pytrace=False,
        )
    cluster = LoopbackCluster()
    try:
        yield "127.0.0.1", cluster.ports[0]
    finally:
        cluster.stop()
