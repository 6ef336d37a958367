"""The cost of a byte budget (``max_size``) on stores, file and SQLite, sync storage API.

Run by hand (not part of the test suite)::

    .venv/bin/python benchmarks/budget.py                  # 2,000 stores of 1 KiB, 3 rounds
    .venv/bin/python benchmarks/budget.py --count 10000 --storages sqlite

Each round stores ``--count`` new 1 KiB entries into a fresh store three ways: without a
budget, with a budget never reached (1 GiB), and with one a quarter of what is stored (so
past the first quarter every store evicts). The ways take turns for ``--rounds`` rounds;
the best wall and CPU (process) time of each is printed, in µs per store, with the ratio
to the store without a budget (CPU time is the steadier figure on a shared machine).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import httpcore

import hishel
from hishel._storage._serializers import Metadata

BODY = b"x" * 1024


def _storage(kind: str, where: Path, max_size: int | None) -> hishel.BaseStorage:
    if kind == "file":
        return hishel.FileStorage(base_path=where / "cache", max_size=max_size)
    return hishel.SQLiteStorage(connection=where / "cache.db", max_size=max_size)


def _run(kind: str, count: int, max_size: int | None) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        storage = _storage(kind, Path(tmp), max_size)
        created = datetime.now(timezone.utc)
        start, cpu = time.perf_counter(), time.process_time()
        for n in range(count):
            key = f"{n:032x}"
            response = httpcore.Response(200, headers=[(b"Content-Length", b"1024")], content=BODY)
            request = httpcore.Request("GET", f"https://example.com/{key}")
            storage.store(
                key,
                response,
                request,
                Metadata(cache_key=key, number_of_uses=0, created_at=created),
            )
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        held = storage.stats().bytes
        storage.close()
    return elapsed / count * 1e6, cpu / count * 1e6, held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--storages", default="file,sqlite")
    args = parser.parse_args()
    for kind in args.storages.split(","):
        total = _run(kind, min(args.count, 200), None)[2]
        quarter = total * args.count // min(args.count, 200) // 4
        ways = {"no max_size": None, "max_size 1 GiB": 1 << 30, f"max_size {quarter:,} B": quarter}
        best: dict[str, tuple[float, float, int]] = {}
        for _ in range(args.rounds):  # the ways take turns, so a noisy moment hits them all
            for name, max_size in ways.items():
                wall, cpu, held = _run(kind, args.count, max_size)
                old = best.get(name, (wall, cpu, held))
                best[name] = (min(wall, old[0]), min(cpu, old[1]), held)
        floor, cpu_floor = best["no max_size"][:2]
        for name, (wall, cpu, held) in best.items():
            print(
                f"{kind:<7} {name:<20} wall {wall:>7.1f} µs/store ({wall / floor:.2f}x), "
                f"CPU {cpu:>6.1f} µs ({cpu / cpu_floor:.2f}x), held {held:,} B"
            )


if __name__ == "__main__":
    main()
