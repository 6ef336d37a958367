"""The core's message types, the shell interface and the modules already moved onto them
import no client library; what still speaks httpcore or httpx is named here, and the list
only shrinks (a module not named may not start importing one)."""

from __future__ import annotations

import ast
from pathlib import Path

import hishel

PACKAGE = Path(hishel.__file__).parent
CLIENT_LIBRARIES = frozenset({"httpx", "httpcore"})

# The 0.1 API's edges: they take and return httpcore / httpx models by contract.
EDGES_0_1 = {
    "_storage/_documents.py",
    "_storage/_serializers.py",
    # the seed's public storage methods, and the adapter over a 0.1 storage's own
    *(
        f"{folder}/{name}.py"
        for folder in ("_storage/_async", "_storage/_sync")
        for name in ("_base", "_public")
    ),
}
# Not yet on the core's message types (each leaves this list as it moves).
NOT_YET: set[str] = set()


def _client_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
    return found & CLIENT_LIBRARIES


def test_the_core_and_the_storages_import_no_client_library_beyond_the_named_modules() -> None:
    importing = {
        str(path.relative_to(PACKAGE))
        for folder in ("_core", "_storage")
        for path in (PACKAGE / folder).rglob("*.py")
        if _client_imports(path)
    }
    assert importing <= EDGES_0_1 | NOT_YET, sorted(importing - EDGES_0_1 - NOT_YET)
    assert not NOT_YET - importing, f"moved onto the core's types: {sorted(NOT_YET - importing)}"


def test_the_message_types_and_the_shell_interface_import_no_client_library() -> None:
    for name in ("_core/_messages.py", "_hosts/_async/_host.py", "_hosts/_sync/_host.py"):
        assert not _client_imports(PACKAGE / name), name


def test_the_core_imports_no_shell() -> None:
    # The flow gets a FlowConfig; the Controller (0.1's API over httpcore) lives with the hosts.
    for path in (PACKAGE / "_core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert "_hosts" not in node.module and "_controller" not in node.module, path
