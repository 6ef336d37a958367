"""Every host driver: ``DRIVERS`` gathered from each module ``_<name>.py`` of this package.

Adding a host is adding one module here that defines ``DRIVERS: list[Driver]``
(see ``_protocol``); nothing else is edited. A module whose host library is not importable
fails the collection loudly (every host library is in the ``dev`` extra).
"""

from __future__ import annotations

import importlib
import pkgutil

from tests.hosts.drivers._protocol import Answer, Client, Driver, StorageSpec

__all__ = [
    "DRIVERS",
    "RAW_BODY_LIBRARIES",
    "Answer",
    "Client",
    "Driver",
    "StorageSpec",
    "driver_named",
]

# The libraries that hand the user a body as sent (a gzip body stays gzip): no decoding.
RAW_BODY_LIBRARIES = frozenset({"httpcore", "httpcore2"})


def _collect() -> list[Driver]:
    found: list[Driver] = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module_info.name.startswith("_") or module_info.name == "_protocol":
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        drivers = getattr(module, "DRIVERS", None)
        if not isinstance(drivers, list) or not all(isinstance(d, Driver) for d in drivers):
            raise TypeError(f"{module.__name__}.DRIVERS must be a list of Driver")
        found.extend(drivers)
    names = [driver.name for driver in found]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"driver names used twice: {duplicates}")
    return found


DRIVERS: list[Driver] = _collect()


def driver_named(name: str) -> Driver:
    """The collected driver called ``name``."""
    for driver in DRIVERS:
        if driver.name == name:
            return driver
    raise KeyError(name)
