"""Generate the sync code from the async sources; ``--check`` fails when they drift.

Walks whole directories (httpcore's method): every ``.py`` file under an async directory is
rewritten line by line with the substitution table below into the matching sync directory.
``--check`` also fails on a row of the table that rewrites nothing: dead rows are drift too.
What a line rewrite cannot express lives in hand-written pairs in ``hishel._core._concurrency``.

A second rule set copies host shells to a library with the same API under another name
(httpx2 and httpcore2 continue httpx and httpcore): the listed modules of ``hishel._hosts``
(and the sync twins of the ``_async`` ones) are renamed (``HOST_SUBS``) into a generated
package, their relative imports re-pointed: a module that is copied is imported as its
copy, any other as the original. See ``HOST_COPIES``.
"""

from __future__ import annotations

import dataclasses
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
    (r"\bt\.Coroutine\[t\.Any, t\.Any, ([^\]]+)\]", r"\1"),
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


@dataclasses.dataclass(frozen=True)
class HostCopy:
    """Modules of ``package`` copied into ``target`` for a library renamed by ``table``.

    ``modules`` maps a module (dotted, relative to ``package``) to its name under ``target``;
    a module under ``_async`` brings its sync twin too (``_sync``, through the unasync table).
    """

    package: str
    target: str
    modules: dict[str, str]
    table: Table
    note: str

    def folder(self, root: Path, package: str) -> Path:
        return root / "src" / Path(*package.split("."))

    def renamed(self) -> dict[str, str]:
        """Every copied module's full name -> its copy's, sync twins included."""
        names: dict[str, str] = {}
        for source, copy in self.modules.items():
            names[f"{self.package}.{source}"] = f"{self.target}.{copy}"
            if source.startswith("_async."):
                names[f"{self.package}._sync.{source[7:]}"] = f"{self.target}._sync.{copy[7:]}"
        return names


HOST_SUBS = [
    (r"\bhttpx\b", "httpx2"),
    (r"\bhttpcore\b", "httpcore2"),
    # where httpx2's API differs from httpx's: default_encoding's callable may return None
    (r"(?<=default_encoding: str \| t\.Callable\[\[bytes\], )str\]", "str | None]"),
]
HOST_COPIES = [
    HostCopy(
        package="hishel._hosts",
        target="hishel._hosts._x2",
        modules={
            "_httpcore": "_httpcore2",
            "_async._client": "_async._client",
            "_async._pool": "_async._pool",
            "_async._transports": "_async._transports",
        },
        table=[(re.compile(pattern), repl) for pattern, repl in HOST_SUBS],
        note="httpx -> httpx2, httpcore -> httpcore2",
    )
]

RELATIVE_IMPORT = re.compile(r"^(\s*)from (\.+)([\w.]*) import ")


def repoint(line: str, source: str, copy: str, renamed: dict[str, str]) -> str:
    """A relative import of module ``source``, as module ``copy`` writes it (a copied module
    imported as its copy, any other as the original)."""
    match = RELATIVE_IMPORT.match(line)
    if match is None:
        return line
    indent, dots, rest = match.groups()
    base = source.split(".")[: -len(dots)]
    absolute = ".".join(base + ([rest] if rest else []))
    absolute = renamed.get(absolute, absolute)
    here, there = copy.split(".")[:-1], absolute.split(".")
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    relative = "." * (len(here) - common + 1) + ".".join(there[common:])
    return f"{indent}from {relative} import {line[match.end() :]}"


def _statements(lines: list[str], start: int) -> list[list[str]]:
    """The relative-import statements from ``lines[start]`` on, each with its continuation."""
    found: list[list[str]] = []
    index = start
    while index < len(lines) and RELATIVE_IMPORT.match(lines[index]):
        statement = [lines[index]]
        if lines[index].rstrip().endswith("("):
            while not lines[index].strip().startswith(")"):
                index += 1
                statement.append(lines[index])
        found.append(statement)
        index += 1
    return found


def sort_relative_imports(text: str) -> str:
    """Each run of top-level relative imports sorted as ruff's isort does: furthest first."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    index = 0
    while index < len(lines):
        if not lines[index].startswith("from ."):
            out.append(lines[index])
            index += 1
            continue
        statements = _statements(lines, index)
        index += sum(len(statement) for statement in statements)

        def key(statement: list[str]) -> tuple[int, str]:
            match = RELATIVE_IMPORT.match(statement[0])
            assert match is not None
            return -len(match.group(2)), match.group(3).lower()

        for statement in sorted(statements, key=key):
            out.extend(statement)
    return "".join(out)


def host_copy_files(copy: HostCopy, root: Path, used: set[str]) -> dict[Path, str]:
    """The generated package of ``copy``: its copied modules and their packages' inits."""
    renamed = copy.renamed()
    files: dict[Path, str] = {}
    target = copy.folder(root, copy.target)
    for source, name in renamed.items():
        relative = source.removeprefix(copy.package + ".")
        is_sync = relative.startswith("_sync.")
        original = relative.replace("_sync.", "_async.", 1) if is_sync else relative
        path = copy.folder(root, copy.package) / Path(*original.split("."))
        text = path.with_suffix(".py").read_text()
        if is_sync:
            text = "".join(unasync_line(line) for line in text.splitlines(keepends=True))
        lines = [
            repoint(unasync_line(line, copy.table, used), source, name, renamed)
            for line in text.splitlines(keepends=True)
        ]
        how = "unasync, then " + copy.note if is_sync else copy.note
        origin = path.with_suffix(".py").relative_to(root)
        header = f"# GENERATED by scripts/unasync.py from {origin}\n# ({how}); do not edit.\n"
        files[copy.folder(root, name).with_suffix(".py")] = header + sort_relative_imports(
            "".join(lines)
        )
    packages = {name.rsplit(".", 1)[0] for name in renamed.values()}
    for package in sorted(packages):
        init = copy.folder(root, package) / "__init__.py"
        files[init] = f'"""GENERATED by scripts/unasync.py ({copy.note}); do not edit."""\n'
    assert all(path.is_relative_to(target) for path in files)
    return files


def main(
    argv: list[str],
    directories: list[tuple[Path, Path]] = DIRECTORIES,
    table: Table = COMPILED,
    root: Path = ROOT,
    copies: list[HostCopy] | None = None,
) -> int:
    check = "--check" in argv
    if copies is None:
        copies = HOST_COPIES if root == ROOT else []
    used: set[str] = set()
    expected = expected_files(directories, table, used)
    existing = existing_files(directories)
    for copy in copies:
        expected.update(host_copy_files(copy, root, used))
        existing.update(copy.folder(root, copy.target).rglob("*.py"))
    stale = sorted(existing - set(expected))
    drift = [
        path for path, text in expected.items() if not path.exists() or path.read_text() != text
    ]
    # A row that rewrites nothing is drift too: the async code it was written for is gone.
    rows = [*table, *(row for copy in copies for row in copy.table)]
    dead = [regex.pattern for regex, _ in rows if regex.pattern not in used]
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
            print("remove the dead rows from SUBS (or HOST_SUBS) in scripts/unasync.py")
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
