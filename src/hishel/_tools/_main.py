"""The command line: ``hishel`` (the console script) and ``python -m hishel``: ``demo``
(``_demo``) and ``cache ...`` (``_cli``).

Like any Unix tool, ``hishel ... | head -1`` ends quietly when the reader of its output goes
away: no traceback, exit code 141 (128 + SIGPIPE, what a shell reports for a tool the signal
ended, so ``set -o pipefail`` sees the same as with ``cat``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

import hishel

from . import _cli
from ._demo import DEFAULT_DELAY, DEFAULT_PORT, run_demo

__all__ = ["main"]

CLOSED_PIPE = 141  # the exit code when stdout is a pipe whose reader went away (128 + SIGPIPE)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hishel", description="hishel: an HTTP cache for httpx")
    parser.add_argument("--version", action="version", version=f"hishel {hishel.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="command")
    demo = commands.add_parser(
        "demo",
        help="run a local origin and show what the cache does",
        description="Send requests to a local origin through hishel.CacheClient() and show "
        "where each response came from. The cache is ./.hishel_cache in the current directory.",
    )
    demo.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"origin port (default {DEFAULT_PORT}; fixed so runs share cache keys)",
    )
    demo.add_argument(
        "--delay",
        type=float,
        default=DEFAULT_DELAY,
        help=f"seconds the origin takes per response (default {DEFAULT_DELAY})",
    )
    demo.add_argument("--clear", action="store_true", help="remove ./.hishel_cache first")
    _cli.add_cache_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m hishel`` and the ``hishel`` script; returns the exit code
    (``CLOSED_PIPE`` when the reader of stdout went away)."""
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()  # (also after --help: a closed pipe fails here, not at exit)
    except BrokenPipeError:
        _drop_stdout()
        return CLOSED_PIPE


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so what is still buffered is not written to the closed
    pipe again at exit (Python would report it as "Exception ignored")."""
    with contextlib.suppress(OSError, ValueError):  # (not a real file: nothing to drop)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _main(argv: Sequence[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "cache":
        return _cli.run(args)
    if args.command != "demo":
        parser.print_help()
        return 2
    try:
        return run_demo(port=args.port, delay=args.delay, clear=args.clear)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
