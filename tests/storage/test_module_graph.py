"""The storage's modules import each other without a cycle, and the core reaches a storage
only through the entry store interface (``_storage/_async/_entry_store.py``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import hishel

PACKAGE = Path(hishel.__file__).parent
FOLDERS = ("_async", "_sync")
# the interface, and the byte-level bodies and writers its methods speak in
CORE_MAY_IMPORT = {"_entry_store"}


def _module_name(path: Path) -> str:
    return ".".join(("hishel", *path.relative_to(PACKAGE).with_suffix("").parts))


def _imported(path: Path) -> set[str]:
    """The hishel modules ``path`` imports (type-only imports included), absolute."""
    package = _module_name(path).rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if node.module is None:
                found.update(f"{module}.{alias.name}" for alias in node.names)
            else:
                found.add(module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("hishel.")}


@pytest.mark.parametrize("folder", FOLDERS)
def test_the_storage_modules_import_each_other_without_a_cycle(folder: str) -> None:
    paths = sorted((PACKAGE / "_storage" / folder).glob("*.py"))
    graph = {_module_name(p): _imported(p) for p in paths}
    graph = {name: {m for m in found if m in graph} for name, found in graph.items()}
    done: set[str] = set()

    def visit(module: str, trail: tuple[str, ...]) -> None:
        assert module not in trail, " -> ".join((*trail, module))
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, (*trail, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())
    assert f"hishel._storage.{folder}._base" not in graph[f"hishel._storage.{folder}._public"]


@pytest.mark.parametrize("folder", FOLDERS)
def test_the_core_reaches_a_storage_only_through_the_entry_store(folder: str) -> None:
    prefix = f"hishel._storage.{folder}."
    for path in sorted((PACKAGE / "_core").rglob("*.py")):
        reached = {m[len(prefix) :] for m in _imported(path) if m.startswith(prefix)}
        assert reached <= CORE_MAY_IMPORT, (path.name, reached)


def test_the_core_calls_no_private_member_of_a_storage() -> None:
    for path in sorted((PACKAGE / "_core").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Attribute) or not node.attr.startswith("_"):
                continue
            owner = node.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            assert not name.lstrip("_").endswith("storage"), (path.name, node.attr)
