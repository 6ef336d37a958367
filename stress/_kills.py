"""Check (b): a writer SIGKILLed at random moments, then every stored entry checked.

A writer process stores entries as fast as it can (misses of small, 400 KB and 3 MB
resources, invalidations, re-stores); it is SIGKILLed after a random time, K times over,
each time on the same store. Then a fresh storage instance (which reclaims what killed
writers left) reads back every entry it lists through the storage API, and a client asks
for every resource with ``only-if-cached``: every body served must be what the origin serves
for its URL at the version its headers name. A missing entry is fine; a wrong body, or an
entry that is listed but cannot be read, is not.
"""

from __future__ import annotations

import os
import random
import signal
import tempfile
import time
import typing as t
from pathlib import Path
from urllib.parse import urlsplit

import hishel

from ._common import Figure, Store, VersionedOrigin, check_body, processes

NAMES = ["h0", "h1", "m0", "m1", "b0", "b1", "b2"]


def writer(store: Store, base_url: str, seed: int, deadline: float) -> None:
    """Store and invalidate entries until killed (or until ``deadline``)."""
    rng = random.Random(seed)
    storage = store.storage()
    with hishel.CacheClient(storage=storage, timeout=60) as client:
        parent = os.getppid()
        while time.time() < deadline and os.getppid() == parent:  # (the suite was killed)
            url = f"{base_url}/v/{rng.choice(NAMES)}"
            if rng.random() < 0.15:
                client.post(url, content=b"x")
            client.get(url, headers={"Cache-Control": "no-cache"} if rng.random() < 0.2 else {})


def run(kind: str, kills: int, **where: t.Any) -> Figure:
    """Kill a writer ``kills`` times on one store of ``kind``, then check what is stored."""
    started = time.monotonic()
    rng = random.Random(7)
    ctx = processes()
    with tempfile.TemporaryDirectory(prefix="hishel-stress-") as tmp, VersionedOrigin() as origin:
        store = Store.make(kind, Path(tmp), **where)
        killed = 0
        for n in range(kills):
            proc = ctx.Process(  # type: ignore[attr-defined]
                target=writer, args=(store, origin.base_url, n, time.time() + 30), daemon=True
            )
            proc.start()
            time.sleep(rng.uniform(0.05, 0.8))
            if proc.is_alive():
                os.kill(proc.pid, signal.SIGKILL)
                killed += 1
            proc.join(10)
        entries, corrupt, unreadable, served = _check(store, origin)
        _cleanup(store)
    elapsed = time.monotonic() - started
    line = (
        f"kills {kind}: {killed} kills, {entries} entries read back, {served} served by a "
        f"client, {corrupt} corrupt, {unreadable} unreadable, {elapsed:.1f} s"
    )
    return Figure(line, corrupt == 0 and unreadable == 0 and killed == kills)


def _check(store: Store, origin: VersionedOrigin) -> tuple[int, int, int, int]:
    """(entries read back, corrupt bodies, unreadable entries, client hits checked)."""
    entries = corrupt = unreadable = served = 0
    storage = store.storage()
    try:
        for info in storage.entries():
            name = urlsplit(info.url).path.rpartition("/")[2]
            try:
                found = storage.retrieve(info.key)
                if found is None:
                    continue  # removed or replaced since it was listed
                response, _, _ = found
                body = b"".join(response.iter_stream())
                response.close()
            except Exception as exc:
                unreadable += 1
                print(f"    {store.kind}: unreadable {name}: {type(exc).__name__}: {exc}")
                continue
            entries += 1
            headers = {k.decode().lower(): v.decode() for k, v in response.headers}
            corrupt += not check_body(name, {"X-Version": headers.get("x-version", "")}, body)
        with hishel.CacheClient(storage=storage, timeout=60) as client:
            for name in NAMES:
                answer = client.get(
                    f"{origin.base_url}/v/{name}",
                    headers={"Cache-Control": "only-if-cached, max-stale"},
                )
                if answer.status_code == 504:
                    continue  # not stored: fine
                served += 1
                corrupt += not check_body(name, answer.headers, answer.content)
    finally:
        storage.close()
    return entries, corrupt, unreadable, served


def _cleanup(store: Store) -> None:
    if store.kind == "redis":
        from ._concurrency import _cleanup as cleanup

        cleanup(store)
