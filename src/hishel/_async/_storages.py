"""hishel 0.1's ``hishel._async._storages`` import path: the storage classes, as
``hishel._storage._async._storages`` lists them."""

from .._storage._async import _storages
from .._storage._async._storages import *  # noqa: F403

__all__ = _storages.__all__
