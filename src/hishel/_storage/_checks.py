"""Checks of constructor arguments and of storage-level expiry, shared by every storage."""

from __future__ import annotations

import functools
import os
import typing as t
import warnings
from datetime import timedelta
from pathlib import Path

__all__ = ["check_base_path", "check_number", "check_ttl", "expired", "positional_01"]

_Init = t.TypeVar("_Init", bound=t.Callable[..., None])


def positional_01(*names: str) -> t.Callable[[_Init], _Init]:
    """Let a keyword-only ``__init__`` take hishel 0.1's positional arguments, ``names`` in
    0.1's order for that class, with a ``DeprecationWarning`` naming the keywords to pass.

    Type checkers see the keyword-only signature (the decorator returns it unchanged), as does
    ``inspect.signature``; more positional arguments than 0.1 took is a ``TypeError``.
    """

    def decorate(init: _Init) -> _Init:
        owner = init.__qualname__.rpartition(".")[0]

        @functools.wraps(init)
        def __init__(self: object, *args: object, **kwargs: object) -> None:
            if args:
                kwargs = _keywords(owner, names, args, kwargs)
            init(self, **kwargs)

        return t.cast(_Init, __init__)

    return decorate


def _keywords(
    owner: str, names: tuple[str, ...], args: tuple[object, ...], kwargs: dict[str, object]
) -> dict[str, object]:
    if len(args) > len(names):
        raise TypeError(
            f"{owner}() takes at most {len(names)} positional arguments (hishel 0.1's order: "
            f"{', '.join(names)}), {len(args)} were given; pass arguments as keywords"
        )
    given = names[: len(args)]
    for name in given:
        if name in kwargs:
            raise TypeError(f"{owner}() got multiple values for argument {name!r}")
    keywords = ", ".join(f"{name}=..." for name in given)
    warnings.warn(
        f"{owner}() takes keyword arguments; positional ones (hishel 0.1's order) are "
        f"deprecated: pass {keywords} as keywords",
        DeprecationWarning,
        stacklevel=3,
    )
    return {**kwargs, **dict(zip(given, args, strict=True))}


def expired(stored_at: float, ttl: float | None, now: float) -> bool:
    """Whether an entry stored at ``stored_at`` has outlived ``ttl`` seconds at ``now``."""
    return ttl is not None and now - stored_at >= ttl


def check_number(
    name: str, value: object, *, minimum: float = 0, integer: bool = False
) -> float | None:
    """Validate an optional numeric constructor argument; fail with a clear message."""
    if value is None:
        return None
    ok = isinstance(value, int) or (not integer and isinstance(value, float))
    if isinstance(value, bool) or not isinstance(value, int | float) or not ok or value < minimum:
        what = "an integer" if integer else "a number"
        raise ValueError(f"{name} must be {what} >= {minimum}, not {value!r}")
    return value


def check_ttl(name: str, value: object) -> float | None:
    """Seconds from a number or a ``timedelta`` (None: no limit)."""
    if isinstance(value, timedelta):
        value = value.total_seconds()
    return check_number(name, value)


def check_base_path(path: Path) -> None:
    """Fail at construction, naming the path and the fix, when ``path`` cannot hold the
    cache: a file, or a directory (or the nearest existing parent) that cannot be written.
    Nothing is created here: the folder is made on the first store."""
    if path.exists() and not path.is_dir():
        raise ValueError(
            f"FileStorage base_path {str(path)!r} is a file, not a directory: "
            "pass a directory path (it is created when missing)"
        )
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise ValueError(
            f"FileStorage base_path {str(path)!r} cannot be created: {str(probe)!r} is a "
            "file; pass a path under a directory"
        )
    if not os.access(probe, os.W_OK | os.X_OK):
        what = "is not writable" if probe == path else f"cannot be created in {str(probe)!r}"
        raise PermissionError(
            f"FileStorage base_path {str(path)!r} {what}: give this user write access, "
            "or pass a writable base_path"
        )
