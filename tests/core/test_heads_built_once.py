"""Heads are built from a host message in one place (``hishel._core._adapters``): one
function per direction, used by the flow, the Controller and 0.1's helpers alike."""

from __future__ import annotations

import ast
from pathlib import Path

import httpcore

import hishel
from hishel._core._adapters import request_head, response_head, response_head_of
from hishel._hosts._compat import get_freshness_lifetime, vary_matches

PACKAGE = Path(hishel.__file__).parent
BUILDERS = {"RequestHead", "ResponseHead", "StoredHead"}


def test_no_module_outside_the_policy_and_the_adapters_builds_a_head() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "_policy" or relative == Path("_core/_adapters.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                assert name not in BUILDERS, (str(relative), node.lineno)


def test_a_response_head_is_the_same_from_the_whole_response_or_its_parts() -> None:
    headers = [(b"Cache-Control", b"max-age=60"), (b"Vary", b"Accept")]
    response = httpcore.Response(200, headers=headers)
    assert response_head(response) == response_head_of(200, headers)
    assert response_head(response).vary == ("accept",)
    assert get_freshness_lifetime(response) == 60  # 0.1's helper reads the same head


def test_0_1_helpers_read_requests_as_the_flow_does() -> None:
    url = "https://Example.com:443/a"
    request = httpcore.Request("GET", url, headers=[(b"Accept", b"text/html")])
    other = httpcore.Request("GET", url, headers=[(b"accept", b"text/html")])
    response = httpcore.Response(200, headers=[(b"Vary", b"Accept")])
    assert request_head(request).headers == request_head(other).headers
    assert vary_matches(request, response, other)
