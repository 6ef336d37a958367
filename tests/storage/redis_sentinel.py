"""A real Redis Sentinel deployment on loopback: one master and one sentinel monitoring it.

The master is a ``redis-server`` on a free port; the sentinel is ``redis-server <conf>
--sentinel`` with its conf in a temporary directory (a sentinel rewrites its conf, so it
needs one of its own). The fixture waits until the sentinel names the master, and stops both
at teardown whatever happened (a frozen one is thawed first); the servers also die with the
test process (``_die_with_parent``). Nothing is kept on disk.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
import typing as t

import pytest

from tests.redis_cluster import _cli, _die_with_parent
from tests.storage_fixtures import _free_port

SERVICE = "mymaster"


class LoopbackSentinel:
    """``master_port``: the monitored redis-server; ``port``: the sentinel; ``pid``: its
    process (to SIGSTOP)."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="hishel-sentinel-")
        self.master_port = _free_port()
        self.port = _free_port()
        self.procs: list[subprocess.Popen[bytes]] = []
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _spawn(self, *args: str) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            ["redis-server", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.dir,
            preexec_fn=_die_with_parent,
        )
        self.procs.append(proc)
        return proc

    def _start(self) -> None:
        self._spawn(
            *("--port", str(self.master_port), "--bind", "127.0.0.1"),
            *("--save", "", "--appendonly", "no", "--dir", self.dir),
        )
        self._wait(lambda: _cli(self.master_port, "ping", timeout=2).strip() == "PONG")
        conf = os.path.join(self.dir, "sentinel.conf")
        with open(conf, "w") as file:
            file.write(
                f"port {self.port}\nbind 127.0.0.1\ndir {self.dir}\n"
                f"sentinel monitor {SERVICE} 127.0.0.1 {self.master_port} 1\n"
                f"sentinel down-after-milliseconds {SERVICE} 60000\n"
            )
        self.sentinel = self._spawn(conf, "--sentinel")
        named = f"{self.master_port}"
        self._wait(
            lambda: (
                named in _cli(self.port, "sentinel", "get-master-addr-by-name", SERVICE, timeout=2)
            )
        )

    def _wait(self, ready: t.Callable[[], bool]) -> None:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(subprocess.TimeoutExpired):
                if ready():
                    return
            if time.monotonic() > deadline or any(p.poll() is not None for p in self.procs):
                raise RuntimeError("the loopback Redis Sentinel deployment did not start")
            time.sleep(0.05)

    @property
    def pid(self) -> int:
        return self.sentinel.pid

    @property
    def sentinels(self) -> list[tuple[str, int]]:
        return [("127.0.0.1", self.port)]

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGCONT)
                proc.kill()
            proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="module")
def redis_sentinel() -> t.Iterator[LoopbackSentinel]:
    """A running loopback master + sentinel (service ``mymaster``) for this module."""
    if shutil.which("redis-server") is None or shutil.which("redis-cli") is None:
        pytest.skip("redis-server / redis-cli are not on PATH: no Redis Sentinel to test")
    deployment = LoopbackSentinel()
    try:
        yield deployment
    finally:
        deployment.stop()
