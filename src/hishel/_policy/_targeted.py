"""Targeted cache-control fields (RFC 9213): a shared cache's own Cache-Control.

"When a cache that implements this specification receives a response with one or more of the
header field names on its target list, the cache MUST select the first (in target-list
order) field with a valid, non-empty value and use its value to determine the caching policy
for the response, and it MUST ignore the Cache-Control and Expires header fields in that
response, unless no valid, non-empty value is available from the listed header fields"
(RFC 9213 §2.2). "Targeted fields are Dictionary Structured Fields" (§2.1), so a field that
fails RFC 9651 parsing "MUST be ignored by the cache (i.e., it behaves as if the field were
not present)" (§2.1). Members map to directives by type: a directive without a value is
Boolean true, max-age and the other delta-seconds are Integers, qualified no-cache / private
are Strings; "implementations SHOULD NOT consume values that violate these inferred
constraints" (§2.1), so such a member is ignored, and "parameters received on cache
directives are to be ignored". The response's headers are untouched: every targeted field is
passed through to the caller. Only a shared cache with a target list
(``PolicyOptions.targeted_cache_control``) reads them.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._directives import _DELTAS, _FIELD_LISTS, _FLAGS, split_members
from ._messages import CacheDirectives, ResponseHead, revised
from ._options import PolicyOptions
from ._structured import Dictionary, parse_dictionary
from ._tables import MAX_DELTA

__all__ = ["for_this_cache", "target_list", "targeted_directives"]

_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz")
"""RFC 9110 §5.1, §5.6.2: a field name is a token (compared case-insensitively)."""

_REQUEST_ONLY = frozenset({"max-stale", "min-fresh", "only-if-cached"})


def target_list(names: Iterable[str]) -> tuple[str, ...]:
    """The caller's target list checked (RFC 9213 §2.2): lower-case, de-duplicated, in order.

    A string (not a list of names) is a ``TypeError``; a name that is not an HTTP field
    name a ``ValueError``.
    """
    if isinstance(names, str | bytes):
        raise TypeError(
            'targeted_cache_control must be a list of field names, e.g. ["CDN-Cache-Control"]'
        )
    checked: list[str] = []
    for name in names:
        if not isinstance(name, str) or not name or not set(name.lower()) <= _TCHAR:
            raise ValueError(f"targeted_cache_control: {name!r} is not an HTTP field name")
        if name.lower() not in checked:
            checked.append(name.lower())
    return tuple(checked)


def targeted_directives(dictionary: Dictionary) -> CacheDirectives:
    """The response directives of a parsed targeted field (RFC 9213 §2.1)."""
    found: dict[str, object] = {"present": True}
    for name, (value, _parameters) in dictionary.items():  # RFC 9213 §2.1: params ignored
        if name in _REQUEST_ONLY:
            continue
        attr = _FLAGS.get(name)
        if attr is not None:
            if value is True:  # RFC 9213 §2.1: no value is Boolean true
                found[attr] = True
            continue
        attr = _DELTAS.get(name)
        if attr is not None:
            if type(value) is int and value >= 0:  # RFC 9213 §2.1: an Integer
                found[attr] = min(value, MAX_DELTA)  # RFC 9111 §1.3
            continue
        attrs = _FIELD_LISTS.get(name)
        if attrs is not None:
            flag, fields = attrs
            if value is True:
                found[flag] = True  # the bare form
            elif isinstance(value, str):  # RFC 9213 §2.1: a String of field names
                found[flag] = True
                names = tuple(n.lower() for n in split_members(value))
                if names:
                    found[fields] = names
    return CacheDirectives(**found)  # type: ignore[arg-type]


def for_this_cache(response: ResponseHead, options: PolicyOptions) -> ResponseHead:
    """``response`` as this cache's freshness and storage rules see it (RFC 9213 §2.2).

    With a valid, non-empty targeted field: its directives in place of Cache-Control, and no
    Expires. Otherwise (a private cache, no target list, no valid field) ``response`` itself.
    """
    names = options.targeted_cache_control
    if not names or not options.shared:
        return response
    for name in names:  # RFC 9213 §2.2: the first in target-list order
        lines = [value for field, value in response.headers if field == name]
        if not lines:
            continue
        dictionary = parse_dictionary(lines)
        if not dictionary:
            continue  # RFC 9213 §2.1: empty or invalid: as if absent
        return revised(  # RFC 9213 §2.2: Cache-Control and Expires are ignored
            response, cache_control=targeted_directives(dictionary), expires=None
        )
    return response
