"""The public 0.1 header API: ``CacheControl``, ``parse_cache_control`` and ``Vary``.

These are strict, for callers, as 0.1 was: a malformed directive raises ``ParseError``
(syntax: a blank member, a bad character, bad quotes) or ``ValidationError`` (a directive with
a missing, extra, quoted or non-integer argument, an empty member in a field-name list), with
0.1's messages. The cache does not use them: the policy parses the same syntax tolerantly
(``_policy._directives``), because a cache must degrade, not fail, on what an origin sends
(it ignores empty list members, RFC 9110 §5.6.1.2, and treats a malformed ``max-age`` as
stale). Where 0.1 contradicted RFC 9111 the RFC wins: a bare ``max-stale`` means any
staleness (2**31 seconds, RFC 9111 §5.2.1.2, §1.3), a repeated directive keeps its first
value (§4.2.1), and a qualified ``no-cache`` / ``private`` list is read as a list however the
line is written (§5.2.2.4, §5.2.2.7).
"""

from __future__ import annotations

from typing import Any

from ._exceptions import ParseError, ValidationError
from ._policy._directives import delta_seconds, split_members, unquote
from ._policy._tables import MAX_DELTA

__all__ = ["CacheControl", "Vary", "parse_cache_control"]

_TCHAR = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_QDTEXT = frozenset(chr(c) for c in (0x09, 0x20, 0x21, *range(0x23, 0x7F), *range(0x80, 0x100)))


class CacheControl:
    """The directives of a Cache-Control field (RFC 9111 §5.2).

    Delta-seconds directives are ``int`` or ``None``; ``no_cache`` and ``private`` are
    ``True`` (bare), a ``list[str]`` of field names (qualified) or ``False``; every other
    directive is a ``bool``.
    """

    time_fields = ("max_age", "max_stale", "min_fresh", "s_maxage")
    bool_fields = (
        "immutable",
        "must_revalidate",
        "must_understand",
        "no_store",
        "no_transform",
        "only_if_cached",
        "proxy_revalidate",
        "public",
    )
    list_fields = ("no_cache", "private")

    def __init__(
        self,
        *,
        immutable: bool = False,
        max_age: int | None = None,
        max_stale: int | None = None,
        min_fresh: int | None = None,
        must_revalidate: bool = False,
        must_understand: bool = False,
        no_cache: bool | list[str] = False,
        no_store: bool = False,
        no_transform: bool = False,
        only_if_cached: bool = False,
        private: bool | list[str] = False,
        proxy_revalidate: bool = False,
        public: bool = False,
        s_maxage: int | None = None,
    ) -> None:
        self.immutable = immutable
        self.max_age = max_age
        self.max_stale = max_stale
        self.min_fresh = min_fresh
        self.must_revalidate = must_revalidate
        self.must_understand = must_understand
        self.no_cache = no_cache
        self.no_store = no_store
        self.no_transform = no_transform
        self.only_if_cached = only_if_cached
        self.private = private
        self.proxy_revalidate = proxy_revalidate
        self.public = public
        self.s_maxage = s_maxage

    def _fields(self) -> dict[str, Any]:
        names = (*self.time_fields, *self.bool_fields, *self.list_fields)
        return {name: getattr(self, name) for name in sorted(names)}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CacheControl):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, like 0.1

    def __repr__(self) -> str:
        set_fields = (f"{k}={v!r}" for k, v in self._fields().items() if v not in (None, False))
        return f"CacheControl({', '.join(set_fields)})"

    @classmethod
    def validate(cls, directives: dict[str, str | None]) -> dict[str, Any]:
        """Turn ``{directive name: raw argument or None}`` into constructor keywords.

        Unknown directives are ignored (RFC 9111 §5.2.3). Raises ``ValidationError``.
        """
        validated: dict[str, Any] = {}
        for name, argument in directives.items():
            key = name.lower().replace("-", "_")
            if key in cls.time_fields:
                if argument is None:
                    if key != "max_stale":
                        raise ValidationError(f"The directive '{key}' necessitates a value.")
                    validated[key] = MAX_DELTA  # RFC 9111 §5.2.1.2: any staleness
                    continue
                if argument[:1] == '"' or argument[-1:] == '"':
                    raise ValidationError(  # the token form only (RFC 9111 §5.2.1.1, ...)
                        f"The argument '{key}' should be an integer, but a quote was found."
                    )
                seconds = delta_seconds(argument)
                if seconds is None:
                    raise ValidationError(
                        f"The argument '{key}' should be an integer, but got '{argument!r}'."
                    )
                validated[key] = seconds
            elif key in cls.bool_fields:
                if argument is not None:
                    raise ValidationError(
                        f"The directive '{key}' should have no value, but it does."
                    )
                validated[key] = True
            elif key in cls.list_fields:
                if argument is None:
                    validated[key] = True
                    continue
                names = [name.strip(" \t") for name in unquote(argument).split(",")]
                if not all(names):
                    raise ValidationError("The list value must not be empty.")
                validated[key] = names
        return validated


def _check_name(name: str) -> None:
    if not name:
        raise ParseError("The directive should not be left blank.")
    for char in name:
        if char not in _TCHAR:
            raise ParseError(f"The character '{char!r}' is not permitted in the directive name.")


def _check_argument(argument: str) -> None:
    if not argument:
        raise ParseError("The directive value cannot be left blank.")
    if argument[0] != '"':
        for char in argument:
            if char not in _TCHAR:
                raise ParseError(
                    f"The character '{char!r}' is not permitted for the unquoted values."
                )
        return
    if len(argument) < 2 or argument[-1] != '"':
        raise ParseError("Invalid quotes around the value.")
    escaped = False
    for char in argument[1:-1]:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char not in _QDTEXT:
            raise ParseError(f"The character '{char!r}' is not permitted for the quoted values.")
    if escaped:
        raise ParseError("Invalid quotes around the value.")


def _members(value: str) -> list[str]:
    """``value`` split on the commas outside quoted strings, members kept as written (blank
    ones too: 0.1 rejects them)."""
    members: list[str] = []
    start = 0
    quoted = escaped = False
    for i, char in enumerate(value):
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            members.append(value[start:i])
            start = i + 1
    members.append(value[start:])
    return members


def parse_cache_control(cache_control_values: list[str]) -> CacheControl:
    """Parse Cache-Control field values (one per line) into a ``CacheControl``.

    Raises ``ParseError`` for malformed syntax and ``ValidationError`` for directives with a
    missing, extra or malformed argument (both are ``CacheControlError``).
    """
    directives: dict[str, str | None] = {}
    for value in cache_control_values:
        for member in _members(value):
            if not member:
                raise ParseError("The directive should not be left blank.")
            member = member.strip(" \t")
            if not member:
                raise ParseError("The directive should not contain only whitespaces.")
            name, sep, argument = member.partition("=")
            _check_name(name)
            if sep:
                _check_argument(argument)
            key = name.lower()
            if key not in directives:  # RFC 9111 §4.2.1: the first occurrence wins
                directives[key] = argument if sep else None
    return CacheControl(**CacheControl.validate(directives))


class Vary:
    """The field names a Vary header lists (RFC 9110 §12.5.5), as written."""

    def __init__(self, values: list[str]) -> None:
        self._values = values

    @classmethod
    def from_value(cls, vary_values: list[str]) -> Vary:
        """Collect the field names of every Vary line."""
        return cls([name for value in vary_values for name in split_members(value)])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Vary):
            return NotImplemented
        return self._values == other._values

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Vary({self._values!r})"
