"""Generate the sync code from the async sources; ``--check`` fails when they drift.

Walks whole directories (httpcore's method): every ``.py`` file under an async directory is
rewritten line by line with the substitution table below into the matching sync directory.
What a line rewrite cannot express lives in hand-written pairs in ``hishel._concurrency``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DIRECTORIES = [
    (ROOT / "src/hishel/_async", ROOT / "src/hishel/_sync"),
    (ROOT / "tests/_async", ROOT / "tests/_sync"),
]

SUBS = [
    (r"\bfrom anysqlite import\b", "from sqlite3 import"),
    (r"\banysqlite\b", "sqlite3"),
    (r"\bredis\.asyncio\b", "redis"),
    (r"\bAsyncIterator\b", "Iterator"),
    (r"\bAsyncIterable\b", "Iterable"),
    (r"\bAsyncGenerator\b", "Generator"),
    (r"\bAsyncContextManager\b", "ContextManager"),
    (r"\basynccontextmanager\b", "contextmanager"),
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
    (r"\banext\(", "next("),
    (r"\bMockAsync(?=[A-Z])", "Mock"),
    (r"\bAsync(?=[A-Z])", ""),
    (r"\basync_(?=[a-z])", ""),
    (r"\b_async\b", "_sync"),
    (r"^\s*@pytest\.mark\.anyio\n", ""),
    (r"\bpytest\.mark\.anyio\b", "pytest.mark.sync"),
]
COMPILED = [(re.compile(pattern), repl) for pattern, repl in SUBS]


def unasync_line(line: str) -> str:
    for regex, repl in COMPILED:
        line = regex.sub(repl, line)
    return line


def unasync_source(text: str) -> str:
    header = "# GENERATED from the async source by scripts/unasync.py; do not edit.\n"
    return header + "".join(unasync_line(line) for line in text.splitlines(keepends=True))


def expected_files() -> dict[Path, str]:
    files: dict[Path, str] = {}
    for src_dir, dst_dir in DIRECTORIES:
        if not src_dir.exists():
            continue
        for src in sorted(src_dir.rglob("*.py")):
            dst = dst_dir / src.relative_to(src_dir)
            files[dst] = unasync_source(src.read_text())
    return files


def existing_files() -> set[Path]:
    found: set[Path] = set()
    for _, dst_dir in DIRECTORIES:
        if dst_dir.exists():
            found.update(dst_dir.rglob("*.py"))
    return found


def main(argv: list[str]) -> int:
    check = "--check" in argv
    expected = expected_files()
    stale = sorted(existing_files() - set(expected))
    drift = [
        path for path, text in expected.items() if not path.exists() or path.read_text() != text
    ]
    if check:
        for path in drift:
            print(f"out of date: {path.relative_to(ROOT)}")
        for path in stale:
            print(f"no async source: {path.relative_to(ROOT)}")
        if drift or stale:
            print("run `python scripts/unasync.py` to regenerate the sync code")
            return 1
        print(f"unasync: {len(expected)} generated files up to date")
        return 0
    for path in stale:
        path.unlink()
    for path in drift:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(expected[path])
    print(f"unasync: wrote {len(drift)} files, removed {len(stale)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
