"""The every-host suite reaches every host: the collector finds one driver per host library
and mode, and each driver opens the host it names."""

from __future__ import annotations

import importlib

from tests.hosts.drivers import DRIVERS

# the host libraries hishel serves, and whether each has an async client
HOSTS = {"httpx": True, "httpcore": True, "httpx2": True, "httpcore2": True, "requests": False}


def test_every_host_library_has_its_drivers() -> None:
    found = {(driver.library, driver.is_async) for driver in DRIVERS}
    expected = {(library, False) for library in HOSTS}
    expected |= {(library, True) for library, has_async in HOSTS.items() if has_async}
    assert found == expected
    assert len({driver.name for driver in DRIVERS}) == len(DRIVERS)


def test_driver_names_follow_the_protocol() -> None:
    for driver in DRIVERS:
        expected = f"{driver.library}-async" if driver.is_async else driver.library
        assert driver.name == expected
        importlib.import_module(driver.library)
