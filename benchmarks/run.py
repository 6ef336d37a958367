"""hishel benchmarks: the same request sequences through plain httpx (the floor) and through
hishel, in one process run; µs per request and the ratio to the floor. See README.md.

    scripts/bench                 # every case, storage, size and mode; mock origin
    scripts/bench --quick         # a smoke run
    scripts/bench --memory        # also peak RSS for one 100 MiB response per storage
    scripts/bench --host httpx2   # plain httpx2 vs hishel.httpx2 instead of httpx
    scripts/bench --host httpcore # plain httpcore.ConnectionPool vs hishel.CacheConnectionPool
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import subprocess
import sys
import tempfile
import time
import traceback
import typing as t

import _goals
import _report
import _summary
from _cases import (
    CASES,
    HOSTS,
    MODES,
    ORIGINS,
    POOL_HOSTS,
    SIZES,
    Row,
    Spec,
    parse_size,
    run_async,
    run_sync,
)
from _memory import run_memory
from _origin import MockOrigin, Origin, ServerOrigin
from _storages import STORAGES, Resources
from _timing import CLOCKS, QUICK, Plan


def _list(allowed: t.Sequence[str] | None) -> t.Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        items = [item.strip() for item in text.split(",") if item.strip()]
        bad = [item for item in items if allowed is not None and item not in allowed]
        if bad:
            raise argparse.ArgumentTypeError(
                f"unknown {bad}; choose from {', '.join(allowed or [])}"
            )
        return items

    return parse


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--storages", type=_list(STORAGES), default=list(STORAGES))
    parser.add_argument("--sizes", type=_list(None), default=list(SIZES), help="e.g. 1k,1m,64k")
    parser.add_argument("--cases", type=_list(CASES), default=list(CASES))
    parser.add_argument("--mode", type=_list(MODES), default=list(MODES))
    parser.add_argument(
        "--origin", type=_list(ORIGINS), help="mock,server (default mock; server for pools)"
    )
    parser.add_argument(
        "--host", choices=HOSTS, default="httpx", help="the client library of the timed cases"
    )
    parser.add_argument("--memory", action="store_true", help="also run the memory cases")
    parser.add_argument("--only-memory", action="store_true", help="only the memory cases")
    parser.add_argument("--memory-size", default="100m", help="body of the memory cases")
    parser.add_argument("--quick", action="store_true", help="small N: a smoke run")
    parser.add_argument("--repeats", type=int, help="timed batches per side (median kept)")
    parser.add_argument("--batch-seconds", type=float, help="target duration of one batch")
    parser.add_argument(
        "--clock",
        choices=list(CLOCKS),
        default="wall",
        help="what batches are timed with: wall (perf_counter) or cpu (process_time)",
    )
    parser.add_argument("--json", metavar="PATH", help="write every row to PATH")
    parser.add_argument("--peer-python", metavar="PATH", help="run the same cases under PATH too")
    args = parser.parse_args(argv)
    if args.host != "httpx" and (args.memory or args.only_memory):
        parser.error("the memory cases run over httpx only (no --host with --memory)")
    if args.origin is None:
        args.origin = ["server"] if args.host in POOL_HOSTS else ["mock"]
    elif args.host in POOL_HOSTS and "mock" in args.origin:
        parser.error(f"a {args.host} pool reaches only a real origin: --origin server")
    for size in args.sizes:
        try:
            parse_size(size)
        except ValueError:
            parser.error(f"bad size {size!r}")
    return args


def plan_for(args: argparse.Namespace) -> Plan:
    plan = QUICK if args.quick else Plan()
    changes: dict[str, t.Any] = {"clock": CLOCKS[args.clock]}
    if args.repeats:
        changes["repeats"] = args.repeats
    if args.batch_seconds:
        changes["batch_seconds"] = args.batch_seconds
    return Plan(**{**plan.__dict__, **changes})


def _error_row(spec: Spec, exc: BaseException) -> Row:
    nan = math.nan
    text = f"ERROR {type(exc).__name__}: {exc}".replace("\n", " ")[:160]
    return Row(
        spec.case,
        spec.mode,
        spec.storage,
        spec.size,
        spec.origin,
        nan,
        nan,
        nan,
        0,
        0,
        0.0,
        False,
        text,
    )


def run_timed(args: argparse.Namespace, res: Resources, plan: Plan) -> list[Row]:
    origins: dict[str, Origin] = {}
    rows: list[Row] = []
    try:
        for name in args.origin:
            origins[name] = MockOrigin() if name == "mock" else ServerOrigin()
        for case in args.cases:
            for storage in args.storages:
                for size in args.sizes:
                    for mode in args.mode:
                        for name, origin in origins.items():
                            spec = Spec(case, mode, storage, size, name, args.host)
                            started = time.perf_counter()
                            try:
                                if mode == "sync":
                                    row = run_sync(spec, origin, res, plan)
                                else:
                                    row = asyncio.run(run_async(spec, origin, res, plan))
                            except Exception as exc:
                                traceback.print_exc(file=sys.stderr)
                                row = _error_row(spec, exc)
                            rows.append(row)
                            writer = (
                                f" writer {row.writer_us:.1f} ({row.writer_ratio:.2f}x)"
                                if row.writer_us is not None and row.writer_ratio is not None
                                else ""
                            )
                            print(
                                f"  {case:<10} {mode:<5} {storage:<6} {size:<3} {name:<6} "
                                f"{row.floor_us:9.1f} {row.hishel_us:9.1f} {row.ratio:6.2f}x"
                                f"{writer} ({time.perf_counter() - started:.1f}s) "
                                f"{row.verification}",
                                file=sys.stderr,
                                flush=True,
                            )
    finally:
        for origin in origins.values():
            origin.close()
    return rows


def run_peer(python: str, argv: list[str]) -> dict[str, t.Any] | None:
    """Re-run this script under another interpreter (another hishel) with --json; load it."""
    rest, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--peer-python", "--json"):
            skip = True
        elif not arg.startswith(("--peer-python=", "--json=")):
            rest.append(arg)
    fd, path = tempfile.mkstemp(prefix="hishel-bench-peer-", suffix=".json")
    os.close(fd)
    try:
        print(f"==> peer run: {python} benchmarks/run.py {' '.join(rest)}", file=sys.stderr)
        command = [python, os.path.abspath(__file__), *rest, "--json", path]
        done = subprocess.run(command, stdout=sys.stderr)  # its own tables go to stderr
        if done.returncode:
            print(f"peer run failed with exit status {done.returncode}", file=sys.stderr)
        with open(path) as data:
            return t.cast(dict[str, t.Any], json.load(data))
    except (OSError, ValueError) as exc:
        print(f"peer run gave no results: {exc}", file=sys.stderr)
        return None
    finally:
        os.unlink(path)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    plan = plan_for(args)
    info = _report.machine()
    print(
        f"machine: {info['cpus']} CPUs, {info['implementation']} {info['python']}, "
        f"{info['platform']}; hishel {info['hishel']}, httpx {info['httpx']}; "
        f"timed cases over {args.host}"
    )
    print(
        f"plan: {plan.repeats} repeats of ~{plan.batch_seconds * 1000:.0f} ms batches per side, "
        f"median kept, {args.clock} clock; hit10k pre-fills {plan.fill} entries "
        f"({plan.fill_s3} for S3)",
        flush=True,
    )
    res = Resources()
    rows: list[Row] = []
    memory: list[dict[str, t.Any]] = []
    try:
        if not args.only_memory:
            rows = run_timed(args, res, plan)
        if args.memory or args.only_memory:
            size = parse_size(args.memory_size)
            for result in run_memory(args.storages, args.mode, size, res):
                memory.append(result)
                print(f"  memory {result}", file=sys.stderr, flush=True)
    finally:
        res.close()
    peer = run_peer(args.peer_python, argv) if args.peer_python else None
    peer_rows = {_goals.key(r): r for r in peer["rows"]} if peer else None
    if rows:
        print("\nTimed cases (us per request; ratio = hishel / floor, same run)\n")
        print(_report.timed_table(rows, peer_rows))
    if memory:
        mib = parse_size(args.memory_size) / (1 << 20)
        print(f"\nMemory: peak RSS rise for one {mib:g} MiB response (fresh process each)\n")
        print(_report.memory_table(memory))
    if peer and peer.get("memory"):
        print(f"\nPeer memory ({peer['machine'].get('hishel')})\n")
        print(_report.memory_table(peer["memory"]))
    summary = _summary.build(rows, memory)
    if summary:
        print(
            "\nSummary: issue-13 goals (ratios: 1 KiB, mock origin, this run; "
            "RSS: MiB over the floor's rise)\n"
        )
        print(_summary.markdown(summary))
    if args.json:
        _report.write_json(args.json, rows, memory, summary, peer, argv)
        print(f"\nwrote {args.json}")
    missed = [s for s in summary if s["verdict"] == "MISS"]
    failed = [r for r in rows if not r.verified] + [m for m in memory if "error" in m]
    print(
        f"\n{len(rows)} timed rows, {len(memory)} memory rows; {len(missed)} of "
        f"{len(summary)} summary goals missed, {len(failed)} failed checks"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
