"""Generate the sync code from the async sources; ``--check`` fails when they drift.

Walks whole directories (httpcore's method): every ``.py`` file under an async directory is
rewritten line by line with the substitution table below into the matching sync directory.
``--check`` also fails on a row of the table that rewrites nothing: dead rows are drift too.
What a line rewrite cannot express lives in hand-written pairs in ``hishel._core._concurrency``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Every ``_async`` folder under the package and the tests has a generated ``_sync`` twin beside it.
DIRECTORIES = [
    (folder, folder.with_name("_sync"))
    for tree in (ROOT / "src/hishel", ROOT / "tests")
    for folder in sorted(tree.rglob("_async"))
    if folder.is_dir()
]

SUBS = [
    (r"\banysqlite\b", "sqlite3"),
    (r"\bredis\.asyncio\b", "redis"),
    (r"\bAsyncIterator\b", "Iterator"),
    (r"\bAsyncIterable\b", "Iterable"),
    (r"\bStopAsyncIteration\b", "StopIteration"),
    (r"\b(?:t\.)?Awaitable\[([\w.]+)\]", r"\1"),
    (r"\bAsyncByteStream\b", "SyncByteStream"),
    (r"\bhandle_async_request\b", "handle_request"),
    (r"\b__aenter__\b", "__enter__"),
    (r"\b__aexit__\b", "__exit__"),
    (r"\b__aiter__\b", "__iter__"),
    (r"\b__anext__\b", "__next__"),
    (r"\basync def\b", "def"),
    (r"\basync with\b", "with"),
    (r"\basync for\b", "for"),
    (r"\bawait ", ""),
    (r"\baclose\b", "close"),
    (r"\baread\b", "read"),
    (r"\baiter_", "iter_"),
    (r"\bMockAsync(?=[A-Z])", "Mock"),
    (r"\bAsync(?=[A-Z])", ""),
    (r"\basync_(?=[a-z])", ""),
    (r"\b_async\b", "_sync"),
    (r"^\s*@pytest\.mark\.anyio\n", ""),
]
COMPILED = [(re.compile(pattern), repl) for pattern, repl in SUBS]
Table = list[tuple[re.Pattern[str], str]]


def unasync_line(line: str, table: Table = COMPILED, used: set[str] | None = None) -> str:
    for regex, repl in table:
        line, count = regex.subn(repl, line)
        if count and used is not None:
            used.add(regex.pattern)
    return line


def unasync_source(text: str, table: Table = COMPILED, used: set[str] | None = None) -> str:
    header = "# GENERATED from the async source by scripts/unasync.py; do not edit.\n"
    lines = text.splitlines(keepends=True)
    return header + "".join(unasync_line(line, table, used) for line in lines)


def expected_files(
    directories: list[tuple[Path, Path]], table: Table, used: set[str]
) -> dict[Path, str]:
    files: dict[Path, str] = {}
    for src_dir, dst_dir in directories:
        if not src_dir.exists():
            continue
        for src in sorted(src_dir.rglob("*.py")):
            dst = dst_dir / src.relative_to(src_dir)
            files[dst] = unasync_source(src.read_text(), table, used)
    return files


def existing_files(directories: list[tuple[Path, Path]]) -> set[Path]:
    found: set[Path] = set()
    for _, dst_dir in directories:
        if dst_dir.exists():
            found.update(dst_dir.rglob("*.py"))
    return found


def main(
    argv: list[str],
    directories: list[tuple[Path, Path]] = DIRECTORIES,
    table: Table = COMPILED,
    root: Path = ROOT,
) -> int:
    check = "--check" in argv
    used: set[str] = set()
    expected = expected_files(directories, table, used)
    stale = sorted(existing_files(directories) - set(expected))
    drift = [
        path for path, text in expected.items() if not path.exists() or path.read_text() != text
    ]
    # A row that rewrites nothing is drift too: the async code it was written for is gone.
    dead = [regex.pattern for regex, _ in table if regex.pattern not in used]
    if check:
        for path in drift:
            print(f"out of date: {path.relative_to(root)}")
        for path in stale:
            print(f"no async source: {path.relative_to(root)}")
        for pattern in dead:
            print(f"dead substitution: {pattern!r} matches nothing in the async sources")
        if drift or stale:
            print("run `python scripts/unasync.py` to regenerate the sync code")
        if dead:
            print("remove the dead rows from SUBS in scripts/unasync.py")
        if drift or stale or dead:
            return 1
        print(f"unasync: {len(expected)} generated files up to date")
        return 0
    for path in stale:
        path.unlink()
    for path in drift:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(expected[path])
    print(f"unasync: wrote {len(drift)} files, removed {len(stale)}")
    for pattern in dead:
        print(f"warning: dead substitution: {pattern!r} matches nothing (`--check` fails on it)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
