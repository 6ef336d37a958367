"""The policy is an acyclic graph of modules, ``_messages`` at its bottom."""

from __future__ import annotations

import ast
from pathlib import Path

import hishel._policy

POLICY = Path(hishel._policy.__file__).parent


def _imports() -> dict[str, set[str]]:
    """Each policy module and the policy modules it imports (type-only imports included)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(POLICY.glob("*.py")):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    found.add(node.module.split(".")[0])
                else:
                    found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                parts = (node.module or "").split(".")
                if parts[:2] == ["hishel", "_policy"] and len(parts) > 2:
                    found.add(parts[2])
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[:2] == ["hishel", "_policy"] and len(parts) > 2:
                        found.add(parts[2])
        graph[path.stem] = found
    return graph


def test_messages_imports_nothing_from_the_policy() -> None:
    assert _imports()["_messages"] == set()


def test_policy_imports_no_io_or_host_library() -> None:
    banned = {"httpx", "httpcore", "logging", "time", "os", "socket", "anyio", "asyncio"}
    for path in POLICY.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            assert not {n.split(".")[0] for n in names} & banned, (path.name, names)


def test_import_graph_is_acyclic() -> None:
    graph = _imports()
    graph.pop("__init__")
    assert all(target in graph for targets in graph.values() for target in targets), graph
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module in done:
            return
        for target in sorted(graph[module]):
            visit(target, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())
