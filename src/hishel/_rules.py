"""Stand-ins for three policy functions (until the policy package exports them)."""

from __future__ import annotations

from . import _policy as policy

__all__ = ["carries_body", "keyed_method", "validated_reuse"]

_BODYLESS = frozenset({204, 304, 416})


def keyed_method(method: str, options: policy.PolicyOptions) -> str | None:
    if method in options.cacheable_methods:
        return method
    if method == "HEAD" and "GET" in options.cacheable_methods:
        return "GET"  # RFC 9111 §4.3.5
    return None


def carries_body(method: str, status: int) -> bool:
    return method != "HEAD" and status not in _BODYLESS


def validated_reuse(
    head: policy.RequestHead, stored: policy.StoredHead, options: policy.PolicyOptions, now: float
) -> policy.UseStored:
    served = policy.reuse(head, stored, options, now)
    if isinstance(served, policy.UseStored):
        return served
    headers = policy.served_headers(stored, now)
    return policy.UseStored("validated by this exchange", stored.response.status, headers, 0)
