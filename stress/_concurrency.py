"""Check (a): N processes x M mixed requests on one store, every body checked.

Each worker process opens its own storage on the shared store and its own ``CacheClient``
and sends M requests drawn at random over a few resources of the versioned origin: GETs of
small fresh resources (hits, then misses once stale), of revalidated ones (ETag / 304), of
400 KB and 3 MB ones, streamed reads of the 3 MB ones that pause after the first chunk (so
other processes replace or invalidate the entry while it is read), and POST / DELETE
invalidations. Every response body is compared with what the origin serves for its URL at
the version its headers name. An exception from the client is an error.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import tempfile
import time
import typing as t
from pathlib import Path

import hishel

from ._common import Figure, Store, VersionedOrigin, WarningCounter, check_body, processes

NAMES = ["h0", "h1", "h2", "h3", "r0", "r1", "r2", "m0", "m1", "b0", "b1"]
WEIGHTS = [8, 8, 8, 8, 6, 6, 6, 3, 3, 2, 2]


def worker(args: tuple[Store, str, int, float, int]) -> dict[str, t.Any]:
    """Send ``count`` mixed requests (until ``deadline``); what happened, counted."""
    store, base_url, count, deadline, seed = args
    rng = random.Random(seed)
    seen = {"requests": 0, "errors": 0, "wrong": 0, "hits": 0, "revalidated": 0}
    samples: list[str] = []
    with WarningCounter() as warnings:
        storage = store.storage()
        with hishel.CacheClient(storage=storage, timeout=60) as client:
            parent = os.getppid()
            for _ in range(count):
                if time.time() > deadline or os.getppid() != parent:  # (the suite was killed)
                    break
                name = rng.choices(NAMES, WEIGHTS)[0]
                url = f"{base_url}/v/{name}"
                seen["requests"] += 1
                try:
                    ok = _one(client, rng, name, url, seen)
                except Exception as exc:  # a crash of the request: what this check counts
                    seen["errors"] += 1
                    if len(samples) < 3:
                        samples.append(f"{type(exc).__name__}: {exc}"[:200])
                    continue
                if not ok:
                    seen["wrong"] += 1
                    if len(samples) < 3:
                        samples.append(f"wrong body for {name}")
    return {**seen, "warnings": warnings.count, "samples": samples + warnings.samples}


def _one(
    client: hishel.CacheClient, rng: random.Random, name: str, url: str, seen: dict[str, int]
) -> bool:
    roll = rng.random()
    if roll < 0.04:
        return client.post(url, content=b"x").status_code == 200
    if roll < 0.06:
        return client.delete(url).status_code == 200
    if name[0] == "b" and roll < 0.5:  # a slow reader of a big body
        with client.stream("GET", url) as response:
            pieces = []
            for piece in response.iter_raw():
                if not pieces:
                    time.sleep(0.02)  # others replace or invalidate it meanwhile
                pieces.append(piece)
            body = b"".join(pieces)
    else:
        response = client.get(url)
        body = response.content
    seen["hits"] += bool(response.extensions.get("from_cache"))
    seen["revalidated"] += bool(response.extensions.get("revalidated"))
    return response.status_code == 200 and check_body(name, response.headers, body)


def run(kind: str, procs: int, requests: int, budget: float, **where: t.Any) -> Figure:
    """Run the workers on one store of ``kind``; the figure line."""
    started = time.monotonic()
    ctx = processes()
    with tempfile.TemporaryDirectory(prefix="hishel-stress-") as tmp, VersionedOrigin() as origin:
        store = Store.make(kind, Path(tmp), **where)
        deadline = time.time() + budget
        args = [(store, origin.base_url, requests, deadline, 1000 + n) for n in range(procs)]
        timed_out = False
        with ctx.Pool(procs) as pool:
            pending = pool.map_async(worker, args)
            try:
                results = pending.get(timeout=budget + 60)
            except multiprocessing.TimeoutError:
                timed_out, results = True, []
            pool.terminate()
        _cleanup(store)
    total = {k: sum(r[k] for r in results) for k in ("requests", "errors", "wrong", "hits")}
    revalidated = sum(r["revalidated"] for r in results)
    warnings = sum(r["warnings"] for r in results)
    done = total["requests"] == procs * requests and not timed_out
    elapsed = time.monotonic() - started
    line = (
        f"concurrency {kind}: {procs} procs x {requests} req, {total['errors']} errors, "
        f"{total['wrong']} wrong bodies, {total['requests']} sent ({total['hits']} hits, "
        f"{revalidated} revalidated), {warnings} storage warnings, {elapsed:.1f} s"
    )
    if not done:
        line += " (did not finish in its time budget)"
    for result in results:
        for sample in result["samples"][:2]:
            print(f"    {kind}: {sample}", flush=True)
    return Figure(line, total["errors"] == 0 and total["wrong"] == 0 and done)


def _cleanup(store: Store) -> None:
    """Remove what the store holds outside the temporary directory (Redis keys)."""
    if store.kind == "redis":
        from ._common import redis_client

        client = redis_client(store.port)
        names = list(client.scan_iter(match=f"{store.namespace}*", count=1000))
        if names:
            client.delete(*names)
        client.close()
