"""What the httpx shells (async and sync) share: httpx's header type for served fields."""

from __future__ import annotations

import typing as t

import httpx

__all__ = ["httpx_headers"]


def httpx_headers(raw: t.Sequence[tuple[bytes, bytes]]) -> httpx.Headers:
    """``httpx.Headers`` of the core's header fields ``raw`` (a response's, as served)."""
    return httpx.Headers(list(raw))
