"""Speed by design: the policy keeps no module state, every memo cache lives in
``hishel._core._memos`` (keyed by values, never by ``id()``), and a stored entry keeps what
the core derives from it, so a hit of an entry held in memory parses nothing again."""

from __future__ import annotations

import ast
from pathlib import Path

import httpx

import hishel
from hishel._core._memos import DecodedHeads, RequestHeads
from hishel._storage._codec import EntryHead

PACKAGE = Path(hishel.__file__).parent
MUTATORS = {"append", "clear", "update", "setdefault", "pop", "popitem", "add", "move_to_end"}


def _sources() -> list[tuple[Path, ast.Module]]:
    return [(p.relative_to(PACKAGE), ast.parse(p.read_text())) for p in PACKAGE.rglob("*.py")]


def _module_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def test_the_policy_keeps_no_module_state() -> None:
    for relative, tree in _sources():
        if relative.parts[0] != "_policy":
            continue
        names = _module_names(tree)
        for node in ast.walk(tree):
            assert not isinstance(node, ast.Global), (str(relative), node.lineno)
            if isinstance(node, ast.ImportFrom):
                assert node.module != "functools", str(relative)  # no lru_cache, no cache
            if isinstance(node, ast.Assign | ast.AugAssign):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                        assert target.value.id not in names, (str(relative), node.lineno)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if isinstance(owner, ast.Name) and owner.id in names:
                    assert node.func.attr not in MUTATORS, (str(relative), node.lineno)


def test_no_memo_outside_the_memos_module_and_none_keyed_by_identity() -> None:
    for relative, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "functools":
                names = {alias.name for alias in node.names}
                assert not names & {"lru_cache", "cache"}, (str(relative), node.lineno)
            if isinstance(node, ast.Attribute) and node.attr in {"lru_cache", "cache"}:
                owner = node.value
                assert getattr(owner, "id", "") != "functools", (str(relative), node.lineno)
            if relative.parts[0] in {"_core", "_policy", "_storage"} and isinstance(node, ast.Call):
                assert getattr(node.func, "id", "") != "id", (str(relative), node.lineno)


def _fresh(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Cache-Control": "max-age=60"}, content=b"body")


def test_a_hit_of_an_entry_held_in_memory_uses_the_views_it_keeps() -> None:
    storage = hishel.InMemoryStorage()
    with hishel.CacheClient(storage=storage, transport=httpx.MockTransport(_fresh)) as client:
        client.get("https://example.com/a")
        heads = []
        for _ in range(3):
            assert client.get("https://example.com/a").extensions["from_cache"]
            (item,) = storage._memory._items.values()
            heads.append(item.value)
    assert all(isinstance(head, EntryHead) for head in heads)
    first = heads[0]
    assert isinstance(first, EntryHead) and first.views.stored is not None
    for head in heads[1:]:
        assert head is first and head.views.stored is first.views.stored  # parsed once


def test_a_changed_copy_of_an_entry_head_derives_its_own_views() -> None:
    storage = hishel.InMemoryStorage()
    with hishel.CacheClient(storage=storage, transport=httpx.MockTransport(_fresh)) as client:
        client.get("https://example.com/a")
        client.get("https://example.com/a")
        (item,) = storage._memory._items.values()
        head = item.value
    assert isinstance(head, EntryHead) and head.views.stored is not None
    copy = head.with_metadata(head.metadata)
    assert copy == head and copy.views is not head.views and copy.views.stored is None


def test_decoded_heads_answer_only_for_the_same_bytes_under_the_same_key() -> None:
    memo: DecodedHeads[str] = DecodedHeads(size=2)
    memo.put("a", b"head-1", "one")
    assert memo.get("a", b"head-1") == "one"  # equal bytes, another object
    assert memo.get("a", b"head-2") is None  # the entry was replaced
    assert memo.get("b", b"head-1") is None  # the same bytes under another key
    memo.put("b", b"x", "two")
    memo.put("c", b"y", "three")  # past its size: the least recently used goes
    assert memo.get("a", b"head-1") is None and memo.get("c", b"y") == "three"


def test_request_heads_are_built_once_per_distinct_request() -> None:
    built: list[bytes] = []

    def build(request: hishel._core._messages.Request) -> bytes:
        built.append(request.method)
        return request.method

    heads: RequestHeads[bytes] = RequestHeads(build, size=4)
    url = hishel._core._messages.URL(b"https", b"example.com", None, b"/")
    same = [hishel._core._messages.Request(b"GET", url, [(b"Accept", b"*/*")]) for _ in range(2)]
    other = hishel._core._messages.Request(b"GET", url, [(b"Accept", b"text/html")])
    assert [heads.head(r) for r in [*same, other]] == [b"GET"] * 3
    assert len(built) == 2  # the same parts: built once; other header values: built again


def test_a_signed_head_changed_on_disk_after_it_was_read_is_verified_again(
    tmp_path: Path,
) -> None:
    calls: list[httpx.Request] = []

    def origin(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return _fresh(request)

    storage = hishel.FileStorage(base_path=tmp_path, signing_key="s" * 32)
    with hishel.CacheClient(storage=storage, transport=httpx.MockTransport(origin)) as client:
        for _ in range(3):  # stored, then read again (decoded once, kept)
            client.get("https://example.com/a")
        assert len(calls) == 1
        (record,) = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
        data = record.read_bytes()
        assert data.count(b"max-age=60") == 1
        record.write_bytes(data.replace(b"max-age=60", b"max-age=99"))  # same length
        response = client.get("https://example.com/a")
    assert not response.extensions["from_cache"] and len(calls) == 2  # refused: a miss
