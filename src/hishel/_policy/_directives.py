"""Cache-Control, Pragma and Connection, parsed once into typed values (``_messages``).

RFC 9111 §5.2: ``Cache-Control = #cache-directive``, ``cache-directive = token [ "=" ( token /
quoted-string ) ]``; names compare case-insensitively. Recipients ought to accept both
argument forms (§5.2), but the delta-seconds directives are defined in token form only and
we read a quoted one as malformed, the safe side for freshness. A cache must never fail on
what an origin sends, so parsing here is total: a malformed freshness argument (max-age,
s-maxage) in a response makes it stale (§4.2.1), any other malformed directive is ignored
(§5.2.3), values above 2**31 saturate (§1.3), and when a directive repeats the first
occurrence wins (§4.2.1). Where directives conflict the policy honours the most restrictive
one (a bare ``no-cache`` beats a qualified one, and so on). The strict 0.1 parser in
``hishel._headers`` reuses the splitting functions below.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._messages import NO_DIRECTIVES, CacheDirectives
from ._tables import MAX_DELTA

__all__ = [
    "delta_seconds",
    "parse_connection",
    "parse_directives",
    "parse_pragma_no_cache",
    "split_directive",
    "split_members",
    "unquote",
]


_FLAGS = {
    "no-store": "no_store",  # RFC 9111 §5.2.1.5, §5.2.2.5
    "no-transform": "no_transform",  # RFC 9111 §5.2.1.6, §5.2.2.6
    "only-if-cached": "only_if_cached",  # RFC 9111 §5.2.1.7
    "must-revalidate": "must_revalidate",  # RFC 9111 §5.2.2.2
    "must-understand": "must_understand",  # RFC 9111 §5.2.2.3
    "proxy-revalidate": "proxy_revalidate",  # RFC 9111 §5.2.2.8
    "public": "public",  # RFC 9111 §5.2.2.9
    "immutable": "immutable",  # RFC 8246
}

_DELTAS = {
    "max-age": "max_age",  # RFC 9111 §5.2.1.1, §5.2.2.1
    "s-maxage": "s_maxage",  # RFC 9111 §5.2.2.10
    "max-stale": "max_stale",  # RFC 9111 §5.2.1.2
    "min-fresh": "min_fresh",  # RFC 9111 §5.2.1.3
    "stale-while-revalidate": "stale_while_revalidate",  # RFC 5861 §3
    "stale-if-error": "stale_if_error",  # RFC 5861 §4
}

_FIELD_LISTS = {
    "no-cache": ("no_cache", "no_cache_fields"),  # RFC 9111 §5.2.1.4, §5.2.2.4
    "private": ("private", "private_fields"),  # RFC 9111 §5.2.2.7
}

_STALE_WHEN_MALFORMED = frozenset({"max-age", "s-maxage"})  # RFC 9111 §4.2.1


def split_members(value: str) -> list[str]:
    """Split a list field value (RFC 9110 §5.6.1) on commas outside quoted strings.

    Members are stripped of optional whitespace; empty members are dropped (§5.6.1.2).
    """
    if '"' not in value:
        return [m for m in (p.strip() for p in value.split(",")) if m]
    out: list[str] = []
    start = 0
    quoted = False
    escaped = False
    for i, char in enumerate(value):
        if escaped:
            escaped = False
        elif quoted:
            if char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == ",":
            member = value[start:i].strip()
            if member:
                out.append(member)
            start = i + 1
    member = value[start:].strip()
    if member:
        out.append(member)
    return out


def split_directive(member: str) -> tuple[str, str | None]:
    """``name[=argument]`` into the stripped name and the raw argument (``None`` when absent)."""
    name, sep, argument = member.partition("=")
    return name.strip(), (argument.strip() if sep else None)


def unquote(argument: str) -> str:
    """The content of a quoted-string (RFC 9110 §5.6.4); a token is returned as is."""
    if len(argument) < 2 or argument[0] != '"' or argument[-1] != '"':
        return argument
    inner = argument[1:-1]
    if "\\" not in inner:
        return inner
    out: list[str] = []
    escaped = False
    for char in inner:
        if escaped or char != "\\":
            out.append(char)
            escaped = False
        else:
            escaped = True
    return "".join(out)


def delta_seconds(argument: str | None, *, quoted: bool = False) -> int | None:
    """``1*DIGIT`` (RFC 9111 §1.3); ``None`` when absent or malformed.

    The directives that take delta-seconds use the token form (RFC 9111 §5.2.1.1,
    §5.2.2.1, ...); the policy treats a quoted argument as malformed (so a quoted max-age
    makes a response stale), while the lenient 0.1 parser accepts it (``quoted=True``).
    """
    if argument is None:
        return None
    if quoted and argument[:1] == '"':
        argument = unquote(argument)
    if not (argument.isascii() and argument.isdigit()):
        return None
    if len(argument) > 10:
        argument = argument.lstrip("0") or "0"
        if len(argument) > 10:
            return MAX_DELTA  # RFC 9111 §1.3
    return min(int(argument), MAX_DELTA)  # RFC 9111 §1.3


def _field_names(argument: str) -> list[str]:
    return [name.lower() for name in split_members(unquote(argument))]


def parse_directives(values: Sequence[str], *, response: bool) -> CacheDirectives:
    """Parse every Cache-Control line of a message; never raises.

    A stored head is parsed once, when the caller builds it (its entry keeps it).
    """
    if not values:
        return NO_DIRECTIVES
    if len(values) == 1:
        simple = _simple_directives(values[0])
        if simple is not None:
            return simple
    return _parse_directives(values, response)


_FIELD = {name: i for i, name in enumerate(CacheDirectives._fields)}
_SIMPLE_DELTAS = {name: _FIELD[attr] for name, attr in _DELTAS.items()}
_SIMPLE_FLAGS = {  # (the bare forms of the field lists too)
    name: _FIELD[attr]
    for name, attr in {**_FLAGS, "no-cache": "no_cache", "private": "private"}.items()
}
_PRESENT = [True, *NO_DIRECTIVES[1:]]  # every delta-seconds view is None here


def _simple_directives(value: str) -> CacheDirectives | None:
    """The common shapes (``max-age=3600``, ``public, max-age=60``, ``no-cache``) read
    without the general splitting; ``None`` for anything else (the general parser then
    reads it): a quote, a name not lower-case or not known here, a repeated or qualified
    directive, an argument that is not 1-10 ASCII digits, whitespace around ``=``. Where it
    answers it agrees with ``_parse_directives`` (tests/policy/test_directives.py)."""
    if '"' in value:
        return None
    found = _PRESENT.copy()  # the views in field order, set in place
    for member in value.split(","):
        member = member.strip()
        if not member:
            continue
        name, sep, argument = member.partition("=")
        if sep:
            i = _SIMPLE_DELTAS.get(name)
            if (
                i is None
                or found[i] is not None  # repeated
                or not (0 < len(argument) <= 10 and argument.isascii() and argument.isdigit())
            ):
                return None
            found[i] = min(int(argument), MAX_DELTA)  # RFC 9111 §1.3
        else:
            i = _SIMPLE_FLAGS.get(name)
            if i is None:
                return None
            found[i] = True
    return tuple.__new__(CacheDirectives, found)  # (its fields, in order: no _make check)


def _parse_directives(values: Sequence[str], response: bool) -> CacheDirectives:
    found: dict[str, object] = {"present": True}
    lists: dict[str, list[str] | None] = {}  # None: the bare form was seen
    for value in values:
        for member in split_members(value):
            raw_name, argument = split_directive(member)
            name = raw_name.lower()
            attr = _FLAGS.get(name)
            if attr is not None:
                found[attr] = True
                continue
            attr = _DELTAS.get(name)
            if attr is not None:
                if attr in found:
                    continue  # RFC 9111 §4.2.1: the first occurrence wins
                if argument is not None and member.partition("=")[0][-1:] in (" ", "\t"):
                    argument = ""  # RFC 9111 §5.2: no whitespace before "=": malformed
                seconds = delta_seconds(argument)
                if seconds is None:
                    if argument is None and name == "max-stale":
                        seconds = MAX_DELTA  # RFC 9111 §5.2.1.2: any staleness
                    elif response and name in _STALE_WHEN_MALFORMED:
                        seconds = 0  # RFC 9111 §4.2.1: invalid freshness means stale
                    else:
                        continue  # RFC 9111 §5.2.3: ignore what we cannot use
                found[attr] = seconds
                continue
            if name in _FIELD_LISTS:
                fields = _field_names(argument) if argument is not None else []
                seen = lists.get(name, [])
                if seen is None or not fields:
                    lists[name] = None  # the bare form is the most restrictive
                else:
                    seen.extend(f for f in fields if f not in seen)
                    lists[name] = seen
    for name, listed in lists.items():
        flag_attr, fields_attr = _FIELD_LISTS[name]
        found[flag_attr] = True
        if listed:
            found[fields_attr] = tuple(listed)
    return CacheDirectives(**found)  # type: ignore[arg-type]


def parse_pragma_no_cache(values: Sequence[str]) -> bool:
    """Whether ``Pragma`` carries ``no-cache`` (RFC 9111 §5.4)."""
    return any(m.lower() == "no-cache" for v in values for m in split_members(v))


def parse_connection(values: Sequence[str]) -> frozenset[str]:
    """The field names a ``Connection`` header lists (RFC 9110 §7.6.1), lower-cased."""
    return frozenset(m.lower() for v in values for m in split_members(v))
