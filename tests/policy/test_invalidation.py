"""RFC 9111 §4.4: what a non-error response to an unsafe method invalidates."""

from __future__ import annotations

import pytest

from hishel._policy import invalidated_urls
from tests.policy.helpers import URL, request, response

OTHER = "https://example.com/other"


@pytest.mark.parametrize(
    ("method", "status", "resp", "expected"),
    [
        pytest.param("POST", 200, [], (URL,), id="9111-4.4-post-200-invalidates-target"),
        pytest.param("PUT", 201, [], (URL,), id="9111-4.4-put-201"),
        pytest.param("DELETE", 204, [], (URL,), id="9111-4.4-delete-204"),
        pytest.param("PATCH", 302, [], (URL,), id="9111-4.4-patch-3xx-is-non-error"),
        pytest.param("PURGE", 200, [], (URL,), id="9111-4.4-unknown-method-is-unsafe"),
        pytest.param("POST", 404, [], (), id="9111-4.4-client-error-invalidates-nothing"),
        pytest.param("POST", 500, [], (), id="9111-4.4-server-error-invalidates-nothing"),
        pytest.param("POST", 100, [], (), id="9111-4.4-informational-invalidates-nothing"),
        pytest.param("GET", 200, [f"Location: {OTHER}"], (), id="9111-4.4-get-is-safe"),
        pytest.param("HEAD", 200, [], (), id="9111-4.4-head-is-safe"),
        pytest.param("OPTIONS", 200, [], (), id="9111-4.4-options-is-safe"),
        pytest.param("TRACE", 200, [], (), id="9111-4.4-trace-is-safe"),
        pytest.param(
            "POST", 201, [f"Location: {OTHER}"], (URL, OTHER), id="9111-4.4-location-same-origin"
        ),
        pytest.param(
            "POST", 201, ["Location: /other"], (URL, OTHER), id="9111-4.4-location-relative"
        ),
        pytest.param(
            "POST", 201, ["Location: other"], (URL, OTHER), id="9111-4.4-location-path-relative"
        ),
        pytest.param(
            "POST",
            200,
            ["Content-Location: /other"],
            (URL, OTHER),
            id="9111-4.4-content-location-same-origin",
        ),
        pytest.param(
            "POST",
            200,
            ["Location: /a", "Content-Location: /b"],
            (URL, "https://example.com/a", "https://example.com/b"),
            id="9111-4.4-location-and-content-location",
        ),
        pytest.param(
            "POST",
            201,
            ["Location: https://evil.example/x"],
            (URL,),
            id="9111-4.4-other-host-never-invalidated",
        ),
        pytest.param(
            "POST",
            201,
            ["Location: http://example.com/other"],
            (URL,),
            id="9111-4.4-other-scheme-never-invalidated",
        ),
        pytest.param(
            "POST",
            201,
            ["Location: https://example.com:8443/other"],
            (URL,),
            id="9111-4.4-other-port-never-invalidated",
        ),
        pytest.param(
            "POST",
            201,
            ["Location: https://example.com:443/other"],
            (URL, "https://example.com:443/other"),
            id="9111-4.4-explicit-default-port-same-origin",
        ),
        pytest.param(
            "POST",
            201,
            ["Location: HTTPS://EXAMPLE.COM/other"],
            (URL, "https://EXAMPLE.COM/other"),
            id="9111-4.4-origin-case-insensitive",
        ),
        pytest.param(
            "POST",
            201,
            ["Location: //evil.example/x"],
            (URL,),
            id="9111-4.4-network-path-other-host",
        ),
        pytest.param(
            "POST", 201, [f"Location: {URL}"], (URL,), id="9111-4.4-location-equal-to-target"
        ),
        pytest.param(
            "POST", 201, ["Location: /other#frag"], (URL, OTHER), id="9111-4.4-fragment-dropped"
        ),
        pytest.param("POST", 201, ["Location:   "], (URL,), id="9111-4.4-empty-location-ignored"),
        pytest.param(
            "POST",
            201,
            ["Location: http://[::1"],
            (URL,),
            id="9111-4.4-malformed-location-ignored",
        ),
    ],
)
def test_invalidated_urls(
    method: str, status: int, resp: list[str], expected: tuple[str, ...]
) -> None:
    assert invalidated_urls(request([], method), response(resp, status)) == expected
