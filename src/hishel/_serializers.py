"""hishel 0.1's ``hishel._serializers`` import path: the serializers live in
``hishel._storage._serializers``, the documents they write in ``hishel._storage._documents``;
this module hands on what the first lists in its ``__all__``."""

from __future__ import annotations

from ._storage import _serializers
from ._storage._serializers import *  # noqa: F403

__all__ = _serializers.__all__
