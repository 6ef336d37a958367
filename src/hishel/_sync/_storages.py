# GENERATED from the async source by scripts/unasync.py; do not edit.
"""hishel 0.1's ``hishel._sync._storages`` import path: the storage classes, as
``hishel._storage._sync._storages`` lists them."""

from .._storage._sync import _storages
from .._storage._sync._storages import *  # noqa: F403

__all__ = _storages.__all__
