"""The cache over other client libraries, against their own rivals (run by hand).

    .venv/bin/python benchmarks/hosts.py                       # both origins, every case
    .venv/bin/python benchmarks/hosts.py --origins inprocess --cases hit --clock cpu

Every host sends the same request sequence in the same run against the same origin:

- ``requests``: plain ``requests.Session``, no cache (the floor: every row's ratio is over it);
- ``hishel.requests``: ``hishel.requests.CacheSession`` over ``InMemoryStorage``;
- ``requests-cache``: ``requests_cache.CachedSession(backend="memory", cache_control=True)``
  (``cache_control=True``: it follows Cache-Control and revalidates, as the others do);
- ``CacheControl``: ``cachecontrol.CacheControl(session, cache=DictCache())``.

Origins: ``server`` is the benchmark origin (``_server.py``: keep-alive HTTP/1.1 on
127.0.0.1, in a thread of this process); ``inprocess`` is a requests ``HTTPAdapter`` that
answers from prebuilt bytes through a urllib3 ``HTTPResponse`` (no socket), mounted as the
floor and under each cache (each cache's adapter is combined with it, so its origin requests
go there), which leaves what the library and the cache cost.

Cases: ``hit`` (one fresh URL, stored once, then requested again and again), ``miss`` (a new
URL each time: forward and store) and ``304`` (``max-age=0`` + ETag: every request is a
conditional request answered 304, then the stored body is served). The floor sends the same
URLs (its 304 case gets 200s with the body). Each batch reads the whole body.

Timing: each host's batch size is picked so a batch takes ``--batch`` seconds; the hosts'
batches alternate ``--repeats`` times and the median µs per request is kept; the ratio is the
median of the per-repeat ratios over the floor. The last column counts the origin requests of
the timed batches, to show each cache did hit.

Adding a host (e.g. httpx2 rows): write one function ``host_NAME(target) -> Host`` like those
below and add it to ``HOSTS``.
"""

from __future__ import annotations

import argparse
import email.utils
import io
import itertools
import statistics
import time
import typing as t
from dataclasses import dataclass

import _server
import requests
from requests.adapters import HTTPAdapter
from urllib3 import HTTPResponse

import hishel
from hishel.requests import CacheAdapter, CacheSession

INPROCESS = "http://inprocess.test"


# -- origins ----------------------------------------------------------------------------------


@dataclass
class Target:
    """Where a host's requests go: ``base`` is the URL prefix; ``count()`` the origin requests."""

    name: str
    base: str
    count: t.Callable[[], int]


class WireBody(io.BytesIO):
    """A body file that closes at its end, as ``http.client``'s response does (CacheControl
    stores a response when it sees its file closed)."""

    def read(self, size: int | None = -1) -> bytes:
        if self.closed:
            return b""
        data = super().read(size)
        if not data or self.tell() == len(self.getbuffer()):
            self.close()
        return data


class InProcessOrigin(HTTPAdapter):
    """The benchmark routes (``/fresh/SIZE/x``, ``/reval/SIZE/x``) answered by the adapter
    itself from prebuilt bytes: requests' response building without a socket."""

    requests_seen = 0  # shared by every instance: one origin

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, *args: t.Any, **kwargs: t.Any
    ) -> requests.Response:
        InProcessOrigin.requests_seen += 1
        path = request.path_url
        size = int(path.split("/")[2])
        date = ("Date", email.utils.formatdate(usegmt=True))
        if path.startswith("/reval/") and request.headers.get("If-None-Match") == _server.ETAG:
            status, headers, body = 304, [*_server.REVAL, date], b""
        else:
            data = _server.body(size)
            fields = _server.REVAL if path.startswith("/reval/") else _server.FRESH
            status, headers, body = 200, [*fields, date, ("Content-Length", str(size))], data
        raw = HTTPResponse(
            body=WireBody(body),
            headers=headers,
            status=status,
            version=11,
            reason="OK" if status == 200 else "Not Modified",
            preload_content=False,
            decode_content=False,
            request_method=request.method,
            request_url=request.url,
        )
        return self.build_response(request, raw)


# -- hosts: one function each, returning what to time -----------------------------------------


@dataclass
class Host:
    get: t.Callable[[str], bytes]  # one request, body read whole
    close: t.Callable[[], None]


def _session_host(session: requests.Session) -> Host:
    def get(url: str) -> bytes:
        response = session.get(url)
        assert response.status_code == 200, response.status_code
        return response.content

    return Host(get, session.close)


def host_requests(target: Target) -> Host:
    session = requests.Session()
    if target.name == "inprocess":
        session.mount(INPROCESS, InProcessOrigin())
    return _session_host(session)


class _HishelInProcess(CacheAdapter, InProcessOrigin):
    """hishel's adapter whose origin (``super().send``) is the in-process one."""


def host_hishel_requests(target: Target) -> Host:
    storage = hishel.InMemoryStorage()
    session = CacheSession(storage=storage)
    if target.name == "inprocess":
        session.mount(INPROCESS, _HishelInProcess(storage=storage))
    return _session_host(session)


def host_requests_cache(target: Target) -> Host:
    import requests_cache

    session = requests_cache.CachedSession(backend="memory", cache_control=True)
    if target.name == "inprocess":
        session.mount(INPROCESS, InProcessOrigin())  # it caches above the adapters
    return _session_host(session)


def host_cachecontrol(target: Target) -> Host:
    from cachecontrol import CacheControl, CacheControlAdapter
    from cachecontrol.cache import DictCache

    cache = DictCache()
    session = CacheControl(requests.Session(), cache=cache)
    if target.name == "inprocess":

        class InProcess(CacheControlAdapter, InProcessOrigin):  # type: ignore[misc]
            pass

        session.mount(INPROCESS, InProcess(cache=cache))
    return _session_host(session)


HOSTS: dict[str, t.Callable[[Target], Host]] = {
    "requests": host_requests,  # the floor: first
    "hishel.requests": host_hishel_requests,
    "requests-cache": host_requests_cache,
    "CacheControl": host_cachecontrol,
}


# -- cases and timing ---------------------------------------------------------------------------


def urls(case: str, target: Target, host: str, size: int) -> t.Iterator[str]:
    """The request sequence of ``case`` (the first URL warms the cache)."""
    if case == "hit":
        return itertools.repeat(f"{target.base}/fresh/{size}/hit-{host}")
    if case == "304":
        return itertools.repeat(f"{target.base}/reval/{size}/reval-{host}")
    return (f"{target.base}/fresh/{size}/miss-{host}-{i}" for i in itertools.count())


def batch(host: Host, sequence: t.Iterator[str], n: int, clock: t.Callable[[], float]) -> float:
    get = host.get
    batch_urls = list(itertools.islice(sequence, n))
    start = clock()
    for url in batch_urls:
        get(url)
    return clock() - start


def measure(
    target: Target,
    case: str,
    names: list[str],
    size: int,
    args: argparse.Namespace,
) -> list[tuple[str, float, float, int]]:
    """(host, µs per request, ratio over the first host, origin requests while timed)."""
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    hosts = {name: HOSTS[name](target) for name in names}
    sequences = {name: urls(case, target, name, size) for name in names}
    sizes: dict[str, int] = {}
    for name, host in hosts.items():  # warm up, then size the batch
        batch(host, sequences[name], 3, clock)
        n, elapsed = 3, 0.0
        while elapsed < args.batch / 4 and n < 100_000:
            n *= 4
            elapsed = batch(host, sequences[name], n, clock)
        sizes[name] = max(3, round(n * args.batch / max(elapsed, 1e-9)))
    per_request: dict[str, list[float]] = {name: [] for name in names}
    seen: dict[str, int] = dict.fromkeys(names, 0)
    for _ in range(args.repeats):
        for name, host in hosts.items():
            before = target.count()
            elapsed = batch(host, sequences[name], sizes[name], clock)
            seen[name] += target.count() - before
            per_request[name].append(elapsed / sizes[name] * 1e6)
    for host in hosts.values():
        host.close()
    floor = per_request[names[0]]
    rows = []
    for name in names:
        ratios = [ours / base for ours, base in zip(per_request[name], floor, strict=True)]
        rows.append(
            (name, statistics.median(per_request[name]), statistics.median(ratios), seen[name])
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--origins", default="inprocess,server")
    parser.add_argument("--cases", default="hit,miss,304")
    parser.add_argument("--hosts", default=",".join(HOSTS))
    parser.add_argument("--size", type=int, default=1024, help="body bytes")
    parser.add_argument("--batch", type=float, default=0.1, help="seconds per batch")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args()
    names = args.hosts.split(",")
    for origin_name in args.origins.split(","):
        server = None
        if origin_name == "server":
            server = _server.bench_origin()
            server.start()
            target = Target("server", server.url("").rstrip("/"), server.count)
        else:
            target = Target("inprocess", INPROCESS, lambda: InProcessOrigin.requests_seen)
        print(f"\norigin: {origin_name}, body {args.size} B, clock {args.clock}")
        print(f"{'case':<6} {'host':<17} {'µs/req':>9} {'ratio':>7} {'origin reqs':>12}")
        try:
            for case in args.cases.split(","):
                for name, us, ratio, seen in measure(target, case, names, args.size, args):
                    print(f"{case:<6} {name:<17} {us:9.1f} {ratio:6.2f}x {seen:12d}")
        finally:
            if server is not None:
                server.stop()


if __name__ == "__main__":
    main()
