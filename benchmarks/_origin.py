"""The two ways to reach the shared origin (``hishel._tools._origin`` with the routes of
``_server.py``): its in-process ``httpx.MockTransport``, and a loopback server process.

Both answer the routes described in ``_server.py`` and count what reached them, so each case
can check that its requests took the path it claims (no origin request on a hit, one 304 per
revalidation, no new TCP connection per revalidation against the server).
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import typing as t
from dataclasses import dataclass
from pathlib import Path

from _server import bench_origin

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Counts:
    """What reached the origin; ``connections`` is None for the mock (no TCP)."""

    requests: int
    not_modified: int
    connections: int | None

    def __sub__(self, other: Counts) -> Counts:
        connections = None
        if self.connections is not None and other.connections is not None:
            connections = self.connections - other.connections
        return Counts(
            self.requests - other.requests, self.not_modified - other.not_modified, connections
        )


class Origin(t.Protocol):
    name: str
    base_url: str

    def transport(self, asynchronous: bool, library: str = "httpx") -> t.Any: ...

    def counts(self) -> Counts: ...

    def close(self) -> None: ...


class MockOrigin:
    """The shared origin's in-process ``MockTransport`` (httpx's or httpx2's) over the
    benchmark routes."""

    name = "mock"
    base_url = "http://origin.test"

    def __init__(self) -> None:
        self._origin = bench_origin()

    @property
    def requests(self) -> int:
        return self._origin.count()

    def transport(self, asynchronous: bool, library: str = "httpx") -> t.Any:
        return self._origin.transport(asynchronous, library)

    def counts(self) -> Counts:
        return Counts(self._origin.count(), self._origin.answered(304), None)

    def close(self) -> None:
        pass


class ServerOrigin:
    """``_server.py`` in a child process on 127.0.0.1; counters read over a side connection."""

    name = "server"

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, str(HERE / "_server.py")],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        port = int(self._process.stdout.readline())
        self.base_url = f"http://127.0.0.1:{port}"
        self._stats = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def transport(self, asynchronous: bool, library: str = "httpx") -> None:
        return None  # the client's own connection pool

    def counts(self) -> Counts:
        self._stats.request("GET", "/__stats")
        data = json.loads(self._stats.getresponse().read())
        return Counts(data["requests"], data["not_modified"], data["connections"])

    def close(self) -> None:
        self._stats.close()
        self._process.terminate()
        self._process.wait(10)
