"""RFC 9651 Structured Field Dictionaries, parsed exactly as §4.2 says, failing as it says.

A targeted cache-control field (RFC 9213 §2.1) is a Dictionary. Parsing follows the
algorithms of RFC 9651 §4.2.2 (Dictionary), §4.2.1.1-§4.2.1.2 (Item or Inner List),
§4.2.3 (Item, Bare Item, Parameters, Key) and §4.2.4-§4.2.10 (Integer or Decimal, String,
Token, Byte Sequence, Boolean, Date, Display String). "If parsing fails, either the entire
field value MUST be ignored (i.e., treated as if the field were not present in the section)"
(§4.2): ``parse_dictionary`` answers ``None`` then. Field lines are combined with commas
first (§4.2). "When duplicate Dictionary keys are encountered, all but the last instance are
ignored" (§4.2.2). Decimals are ``float``, Tokens ``Token``, Byte Sequences ``bytes``, Dates
``Date``, Display Strings ``DisplayString``; Strings ``str``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Date", "DisplayString", "Token", "parse_dictionary"]


@dataclass(frozen=True, slots=True)
class Token:
    """An sf-token (RFC 9651 §3.3.4)."""

    value: str


@dataclass(frozen=True, slots=True)
class Date:
    """An sf-date (RFC 9651 §3.3.7), epoch seconds."""

    seconds: int


@dataclass(frozen=True, slots=True)
class DisplayString:
    """An sf-displaystring (RFC 9651 §3.3.8)."""

    value: str


BareItem = int | float | str | Token | bytes | bool | Date | DisplayString
Parameters = tuple[tuple[str, BareItem], ...]
Item = tuple[BareItem, Parameters]
InnerList = tuple[tuple[Item, ...], Parameters]
Member = Item | InnerList
Dictionary = dict[str, Member]


class _Fail(Exception):
    pass


_DIGITS = frozenset("0123456789")
_LCALPHA = frozenset("abcdefghijklmnopqrstuvwxyz")
_ALPHA = _LCALPHA | frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_KEY_START = _LCALPHA | {"*"}
_KEY_CHARS = _LCALPHA | _DIGITS | frozenset("_-.*")
_TCHAR = _ALPHA | _DIGITS | frozenset("!#$%&'*+-.^_`|~")
_TOKEN_CHARS = _TCHAR | {":", "/"}
_B64 = _ALPHA | _DIGITS | frozenset("+/=")
_HEX = frozenset("0123456789abcdef")
_OWS = " \t"


class _Input:
    __slots__ = ("pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def take(self) -> str:
        char = self.peek()
        if not char:
            raise _Fail
        self.pos += 1
        return char

    def skip(self, chars: str) -> None:
        while self.peek() and self.peek() in chars:
            self.pos += 1

    def empty(self) -> bool:
        return self.pos >= len(self.text)


def _key(s: _Input) -> str:  # RFC 9651 §4.2.3.3
    if s.peek() not in _KEY_START or not s.peek():
        raise _Fail
    start = s.pos
    while s.peek() and s.peek() in _KEY_CHARS:
        s.pos += 1
    return s.text[start : s.pos]


def _number(s: _Input) -> int | float:  # RFC 9651 §4.2.4
    sign = 1
    if s.peek() == "-":
        s.pos += 1
        sign = -1
    if not s.peek() or s.peek() not in _DIGITS:
        raise _Fail
    digits = ""
    decimal = False
    while s.peek():
        char = s.peek()
        if char in _DIGITS:
            digits += char
        elif not decimal and char == ".":
            if len(digits) > 12:
                raise _Fail
            digits += char
            decimal = True
        else:
            break
        s.pos += 1
    if not decimal:
        if len(digits) > 15:
            raise _Fail
        return sign * int(digits)
    if len(digits) > 16 or digits.endswith(".") or len(digits.partition(".")[2]) > 3:
        raise _Fail
    return sign * float(digits)


def _string(s: _Input) -> str:  # RFC 9651 §4.2.5
    if s.take() != '"':
        raise _Fail
    out: list[str] = []
    while not s.empty():
        char = s.take()
        if char == "\\":
            following = s.take()
            if following not in ('"', "\\"):
                raise _Fail
            out.append(following)
        elif char == '"':
            return "".join(out)
        elif not " " <= char <= "~":
            raise _Fail
        else:
            out.append(char)
    raise _Fail


def _token(s: _Input) -> Token:  # RFC 9651 §4.2.6
    if s.peek() not in _ALPHA | {"*"} or not s.peek():
        raise _Fail
    start = s.pos
    while s.peek() and s.peek() in _TOKEN_CHARS:
        s.pos += 1
    return Token(s.text[start : s.pos])


def _bytes(s: _Input) -> bytes:  # RFC 9651 §4.2.7
    s.take()
    end = s.text.find(":", s.pos)
    if end < 0:
        raise _Fail
    content = s.text[s.pos : end]
    s.pos = end + 1
    if any(c not in _B64 for c in content):
        raise _Fail
    try:
        return base64.b64decode(content + "=" * (-len(content) % 4))
    except (binascii.Error, ValueError):
        raise _Fail from None


def _boolean(s: _Input) -> bool:  # RFC 9651 §4.2.8
    s.take()
    char = s.take()
    if char not in ("0", "1"):
        raise _Fail
    return char == "1"


def _date(s: _Input) -> Date:  # RFC 9651 §4.2.9
    s.take()
    value = _number(s)
    if isinstance(value, float):
        raise _Fail
    return Date(value)


def _display(s: _Input) -> DisplayString:  # RFC 9651 §4.2.10
    if s.take() != "%" or s.take() != '"':
        raise _Fail
    out = bytearray()
    while not s.empty():
        char = s.take()
        if not " " <= char <= "~":
            raise _Fail
        if char == "%":
            octet = s.take() + s.take()
            if any(c not in _HEX for c in octet):
                raise _Fail
            out.append(int(octet, 16))
        elif char == '"':
            try:
                return DisplayString(out.decode("utf-8"))
            except UnicodeDecodeError:
                raise _Fail from None
        else:
            out.append(ord(char))
    raise _Fail


def _bare(s: _Input) -> BareItem:  # RFC 9651 §4.2.3.1
    char = s.peek()
    if char == "-" or (char and char in _DIGITS):
        return _number(s)
    if char == '"':
        return _string(s)
    if char == "*" or (char and char in _ALPHA):
        return _token(s)
    if char == ":":
        return _bytes(s)
    if char == "?":
        return _boolean(s)
    if char == "@":
        return _date(s)
    if char == "%":
        return _display(s)
    raise _Fail


def _parameters(s: _Input) -> Parameters:  # RFC 9651 §4.2.3.2
    params: dict[str, BareItem] = {}
    while s.peek() == ";":
        s.pos += 1
        s.skip(" ")
        name = _key(s)
        value: BareItem = True
        if s.peek() == "=":
            s.pos += 1
            value = _bare(s)
        params[name] = value
    return tuple(params.items())


def _item(s: _Input) -> Item:  # RFC 9651 §4.2.3
    return _bare(s), _parameters(s)


def _inner_list(s: _Input) -> InnerList:  # RFC 9651 §4.2.1.2
    s.take()
    items: list[Item] = []
    while not s.empty():
        s.skip(" ")
        if s.peek() == ")":
            s.pos += 1
            return tuple(items), _parameters(s)
        items.append(_item(s))
        if s.peek() not in (" ", ")") or not s.peek():
            raise _Fail
    raise _Fail


def _member(s: _Input) -> Member:  # RFC 9651 §4.2.1.1
    return _inner_list(s) if s.peek() == "(" else _item(s)


def _parse(text: str) -> Dictionary | None:
    if not text.isascii():
        return None  # RFC 9651 §4.2: not ASCII: fail
    s = _Input(text)
    s.skip(" ")
    out: Dictionary = {}
    try:
        while not s.empty():  # RFC 9651 §4.2.2
            name = _key(s)
            if s.peek() == "=":
                s.pos += 1
                out[name] = _member(s)  # RFC 9651 §4.2.2: a repeated key keeps the last
            else:
                out[name] = (True, _parameters(s))
            s.skip(_OWS)
            if s.empty():
                break
            if s.take() != ",":
                raise _Fail
            s.skip(_OWS)
            if s.empty():
                raise _Fail  # RFC 9651 §4.2.2: trailing comma
        s.skip(" ")
        if not s.empty():
            raise _Fail
    except _Fail:
        return None  # RFC 9651 §4.2: ignore the entire field value
    return out


def parse_dictionary(lines: Sequence[str]) -> Dictionary | None:
    """The Dictionary of a field's lines (combined with commas), or ``None`` if invalid."""
    return _parse(",".join(lines))
