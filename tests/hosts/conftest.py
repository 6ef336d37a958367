"""Fixtures of the every-host suite: ``make_spec`` (tests/hosts/storage_specs.py)."""

from tests.hosts.storage_specs import make_spec

__all__ = ["make_spec"]
