"""The benchmark routes on the shared loopback origin (``hishel._tools._origin``); also run as the
origin process of ``--origin server``:

    python benchmarks/_server.py          # prints the port on the first stdout line

Routes (``SIZE`` is a byte count):
- ``GET /fresh/SIZE/anything``: 200, ``Cache-Control: max-age=3600``, SIZE bytes.
- ``GET /reval/SIZE/anything``: 200, ``Cache-Control: max-age=0`` and an ETag; a request whose
  ``If-None-Match`` matches gets a bodiless 304.
- ``GET /stream/SIZE/anything``: like ``fresh`` but written in 64 KiB pieces of one buffer (the
  origin never holds the body).
- ``GET /streval/SIZE/anything``: like ``reval``, its 200 written in pieces like ``stream``.
- ``GET /__stats`` (server process): JSON counters ``requests``, ``not_modified``,
  ``connections`` (TCP connections accepted). Requests to ``/__stats`` are not counted, their
  connection is.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
import typing as t
from pathlib import Path


def _own_origin() -> t.Any:
    """This repository's ``hishel._tools._origin``, loaded as a package of its own: under
    ``--peer-python`` the interpreter's hishel is another one (0.1 has no ``_origin``), and the
    origin must be the same for both sides anyway. It needs only the standard library and
    httpx."""
    try:
        import hishel._tools._origin as origin

        if Path(origin.__file__).resolve().parent == _OWN:
            return origin
    except ModuleNotFoundError:
        pass
    if "_bench_origin" in sys.modules:
        return sys.modules["_bench_origin"]
    spec = importlib.util.spec_from_file_location(
        "_bench_origin", _OWN / "__init__.py", submodule_search_locations=[str(_OWN)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["_bench_origin"] = module
    spec.loader.exec_module(module)
    return module


_OWN = Path(__file__).resolve().parent.parent / "src" / "hishel" / "_tools" / "_origin"
_origin = _own_origin()
Origin = _origin.Origin
OriginRequest = _origin.OriginRequest

ETAG = '"bench-v1"'
PIECE = 64 * 1024
PATTERN = bytes(range(256)) * 4096  # 1 MiB
_BODIES: dict[int, bytes] = {}

FRESH = [("Cache-Control", "max-age=3600"), ("Content-Type", "application/octet-stream")]
REVAL = [("Cache-Control", "max-age=0"), ("ETag", ETAG)]


def body(size: int) -> bytes:
    found = _BODIES.get(size)
    if found is None:
        found = _BODIES[size] = (PATTERN * (size // len(PATTERN) + 1))[:size]
    return found


def _size(request: OriginRequest) -> int:
    return int(request.path.split("/")[2])


def _pieces(size: int) -> t.Iterator[bytes]:
    piece = body(PIECE)
    while size > 0:
        yield piece[: min(size, PIECE)]
        size -= PIECE


def _fresh(request: OriginRequest) -> tuple[int, list[tuple[str, str]], bytes]:
    data = body(_size(request))
    return 200, [*FRESH, ("Content-Length", str(len(data)))], data


def _reval(request: OriginRequest) -> tuple[int, list[tuple[str, str]], bytes]:
    if request.headers.get("If-None-Match") == ETAG:
        return 304, REVAL, b""
    data = body(_size(request))
    headers = [*REVAL, ("Content-Type", "application/octet-stream")]
    return 200, [*headers, ("Content-Length", str(len(data)))], data


def _streval(request: OriginRequest) -> tuple[int, list[tuple[str, str]], t.Iterator[bytes]]:
    if request.headers.get("If-None-Match") == ETAG:
        return 304, REVAL, iter(())
    size = _size(request)
    headers = [*REVAL, ("Content-Type", "application/octet-stream")]
    return 200, [*headers, ("Content-Length", str(size))], _pieces(size)


def _stream(request: OriginRequest) -> tuple[int, list[tuple[str, str]], t.Iterator[bytes]]:
    size = _size(request)
    return 200, [*FRESH, ("Content-Length", str(size))], _pieces(size)


def bench_origin() -> Origin:
    """An origin (not started) answering the benchmark routes; counters only."""
    origin = Origin(keep_requests=False)
    origin.handler("/fresh/*", _fresh)
    origin.handler("/reval/*", _reval)
    origin.handler("/stream/*", _stream)
    origin.handler("/streval/*", _streval)
    return origin


def main() -> None:
    origin = bench_origin()

    def stats(request: OriginRequest) -> tuple[int, list[tuple[str, str]], bytes]:
        data = {
            "requests": origin.count() - origin.count("/__stats"),
            "not_modified": origin.answered(304),
            "connections": origin.connections,
        }
        return 200, [("Content-Type", "application/json")], json.dumps(data).encode()

    origin.handler("/__stats", stats)
    origin.start()
    print(origin.port, flush=True)
    threading.Event().wait()  # until the parent terminates this process


if __name__ == "__main__":
    main()
