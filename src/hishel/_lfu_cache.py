"""hishel 0.1's ``hishel._lfu_cache`` import path: ``LFUCache`` lives in ``hishel._core._lfu``."""

from __future__ import annotations

from ._core._lfu import LFUCache

__all__ = ["LFUCache"]
