"""``hishel cache ...``: see and manage a cache from the command line.

``list``, ``show KEY``, ``stats``, ``purge`` and ``clear``, each with ``--storage URI`` and
``--json``, over the storage management API (``entries()``, ``purge()``, ``clear()``,
``stats()``), so they work on any built-in storage, also while other processes use it.

Storage URIs: see ``hishel._tools._cli_storage``. Exit codes: 0 done, 1 the storage failed or is
missing (one line on stderr, no traceback), 2 a usage error (argparse's convention), 141 the reader
of the output went away (``hishel._tools._main``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
import time
import typing as t
from dataclasses import asdict
from datetime import datetime

from .._storage._management import EntryInfo
from .._storage._sync._storages import BaseStorage
from ._cli_storage import DEFAULT_STORAGE, UsageError, open_storage

__all__ = ["add_cache_parser", "run"]

_DURATION = re.compile(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*([smhdw]?)\s*")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


# -- output ------------------------------------------------------------------------------------


def _json_value(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _info_json(info: EntryInfo) -> dict[str, object]:
    return {name: _json_value(value) for name, value in asdict(info).items()}


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    value = float(n)
    for unit in ("KiB", "MiB", "GiB"):
        value /= 1024
        if value < 1024 or unit == "GiB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")


def _age(seconds: float) -> str:
    seconds = max(0.0, seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit}"
    return f"{seconds:.0f}s"


def _state(info: EntryInfo, now: float) -> str:
    if info.expires_at is not None and now >= info.expires_at.timestamp():
        return "expired"
    if info.fresh_until is not None and now < info.fresh_until.timestamp():
        return "fresh"
    return "stale"


def _table(infos: list[EntryInfo], now: float) -> str:
    header = ("KEY", "STATUS", "SIZE", "AGE", "STATE", "USES", "URL")
    rows = [
        (
            info.key,
            str(info.status),
            _size(info.size),
            _age(now - info.created_at.timestamp()),
            _state(info, now),
            str(info.uses),
            f"{info.method} {info.url}" if info.method != "GET" else info.url,
        )
        for info in infos
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    right = {1, 2, 3, 5}  # numbers line up on the right
    lines = []
    for row in [header, *rows]:
        cells = [
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=False))
        ]
        lines.append("  ".join([*cells, row[-1]]))
    return "\n".join(lines)


def _show(info: EntryInfo, now: float) -> str:
    fields = _info_json(info)
    fields["state"] = _state(info, now)
    width = max(len(name) for name in fields)
    return "\n".join(f"{name + ':':<{width + 1}} {value}" for name, value in fields.items())


# -- commands ----------------------------------------------------------------------------------


def _duration(text: str) -> float:
    match = _DURATION.fullmatch(text)
    if match is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a duration (seconds, or a number with s, m, h, d or w)"
        )
    return float(match.group(1)) * _UNITS[match.group(2)]


def _list(storage: BaseStorage, args: argparse.Namespace) -> str:
    infos = sorted(storage.entries(), key=lambda info: (info.url, info.key))
    if args.json:
        return json.dumps([_info_json(info) for info in infos], indent=2)
    if not infos:
        return "no entries"
    return _table(infos, time.time())


def _show_command(storage: BaseStorage, args: argparse.Namespace) -> str:
    key: str = args.key
    found = [info for info in storage.entries() if info.key == key]
    if not found:
        found = [info for info in storage.entries() if info.key.startswith(key)]
    if not found:
        raise LookupError(f"no entry with key {key!r}")
    if len(found) > 1:
        raise LookupError(f"key prefix {key!r} is ambiguous ({len(found)} entries)")
    if args.json:
        return json.dumps(_info_json(found[0]), indent=2)
    return _show(found[0], time.time())


def _stats(storage: BaseStorage, args: argparse.Namespace) -> str:
    stats = storage.stats()
    if args.json:
        return json.dumps(asdict(stats))
    lines = [
        f"entries: {stats.entries}",
        f"bytes:   {stats.bytes} ({_size(stats.bytes)})",
        f"unreadable: {stats.unreadable}",
    ]
    if stats.unreadable:
        lines[-1] += " (records that cannot be decoded: purge --unreadable removes them)"
    return "\n".join(lines)


def _removed(count: int, args: argparse.Namespace) -> str:
    if args.json:
        return json.dumps({"removed": count})
    return f"removed {count} {'entry' if count == 1 else 'entries'}"


def _purge(storage: BaseStorage, args: argparse.Namespace) -> str:
    count = storage.purge(
        url=args.url,
        pattern=args.pattern,
        expired=args.expired,
        stale=args.stale,
        older_than=args.older_than,
        unreadable=args.unreadable,
    )
    return _removed(count, args)


def _clear(storage: BaseStorage, args: argparse.Namespace) -> str:
    return _removed(storage.clear(), args)


_COMMANDS: dict[str, t.Callable[[BaseStorage, argparse.Namespace], str]] = {
    "list": _list,
    "show": _show_command,
    "stats": _stats,
    "purge": _purge,
    "clear": _clear,
}


_HELP = {  # command: (its line in ``hishel cache --help``, its own --help)
    "list": (
        "list the stored responses",
        "List the stored responses (bodies are not read): key, status, size, "
        "age, fresh/stale/expired, uses and URL; --json gives every EntryInfo field.",
    ),
    "show": (
        "show one entry",
        "Show every field of the entry under KEY (or a unique key prefix).",
    ),
    "stats": (
        "count entries, bytes and unreadable records",
        "Count the stored responses, the bytes the storage holds and the "
        "records it cannot decode (purge --unreadable removes those).",
    ),
    "purge": (
        "remove matching entries",
        "Remove matching entries. --url and --pattern choose the entries "
        "considered; of those, with --expired, --stale or --older-than, an entry goes when "
        "any of them holds. --unreadable removes the records that cannot be decoded too. "
        "At least one option is needed (clear removes everything).",
    ),
    "clear": (
        "remove everything",
        "Remove every entry (and Vary index) from the storage.",
    ),
}


def add_cache_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> argparse.ArgumentParser:
    """Add ``cache`` and its commands to the subparsers ``commands`` of ``hishel``."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--storage",
        metavar="URI",
        default=DEFAULT_STORAGE,
        help=f"file:PATH (default {DEFAULT_STORAGE}), sqlite:PATH[?table=NAME], "
        "redis://host:port/db[?namespace=N] or s3://bucket/prefix",
    )
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    cache = commands.add_parser(
        "cache",
        help="list, inspect and purge stored responses",
        description="See and manage a hishel cache (any built-in storage).",
    )
    sub = cache.add_subparsers(dest="cache_command", metavar="command", required=True)
    parsers = {
        name: sub.add_parser(name, parents=[common], help=summary, description=description)
        for name, (summary, description) in _HELP.items()
    }
    parsers["show"].add_argument("key", metavar="KEY", help="the entry's key (or a prefix)")
    purge = parsers["purge"]
    purge.add_argument("--url", metavar="U", help="this exact URL (query included)")
    purge.add_argument(
        "--pattern", metavar="G", help="a glob over scheme://host[:port]/path; * spans anything"
    )
    purge.add_argument("--expired", action="store_true", help="past the storage ttl")
    purge.add_argument(
        "--stale", action="store_true", help="past its HTTP freshness, with no validator"
    )
    purge.add_argument(
        "--older-than",
        metavar="S",
        type=_duration,
        help="stored at least S seconds ago (or 30m, 12h, 7d, 2w)",
    )
    purge.add_argument(
        "--unreadable",
        action="store_true",
        help="also the records that cannot be decoded (truncated, corrupt, a bad signature); "
        "alone, only those",
    )
    for name, parser in parsers.items():
        parser.set_defaults(cache_parser=parser, cache_run=_COMMANDS[name])
    return cache


def run(args: argparse.Namespace) -> int:
    """Run a parsed ``hishel cache`` command; returns the exit code."""
    parser: argparse.ArgumentParser = args.cache_parser
    if args.cache_command == "purge" and not (
        args.url
        or args.pattern
        or args.expired
        or args.stale
        or args.unreadable
        or args.older_than is not None
    ):
        parser.error(
            "purge needs --url, --pattern, --expired, --stale, --older-than or --unreadable"
        )
    try:
        storage = open_storage(args.storage)
    except UsageError as exc:
        parser.error(str(exc))
    except Exception as exc:
        return _fail(exc)
    try:
        output = args.cache_run(storage, args)
    except Exception as exc:
        return _fail(exc)
    finally:
        with contextlib.suppress(Exception):  # the command's own outcome is what matters
            storage.close()
    print(output)
    sys.stdout.flush()  # (a closed pipe fails here, for hishel._tools._main to end quietly)
    return 0


def _fail(exc: BaseException) -> int:
    message = " ".join(str(exc).split()) or type(exc).__name__
    print(f"hishel cache: error: {message}", file=sys.stderr)
    return 1
