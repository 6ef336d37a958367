"""``LFUCache``: hishel 0.1's least-frequently-used container, kept for users who import it."""

from __future__ import annotations

import typing as t
from collections import OrderedDict

__all__ = ["LFUCache"]

K = t.TypeVar("K")
V = t.TypeVar("V")


class LFUCache(t.Generic[K, V]):
    """A mapping of at most ``capacity`` items that evicts the least frequently used one.

    ``get`` counts a use; among items used equally often, the least recently used goes first.
    All operations are O(1).
    """

    def __init__(self, capacity: int) -> None:
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
            raise ValueError(f"capacity must be a positive integer, not {capacity!r}")
        self.capacity = capacity
        self._values: dict[K, V] = {}
        self._counts: dict[K, int] = {}
        self._buckets: dict[int, OrderedDict[K, None]] = {}
        self._min_count = 0

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def get(self, key: K) -> V:
        """The value under ``key`` (counted as a use); ``KeyError`` when absent."""
        value = self._values[key]
        self._touch(key)
        return value

    def put(self, key: K, value: V) -> None:
        """Set ``key``; when full, first evict the least frequently used item."""
        if key in self._values:
            self._values[key] = value
            self._touch(key)
            return
        if len(self._values) >= self.capacity:
            victim, _ = self._buckets[self._min_count].popitem(last=False)
            if not self._buckets[self._min_count]:
                del self._buckets[self._min_count]
            del self._values[victim]
            del self._counts[victim]
        self._values[key] = value
        self._counts[key] = 1
        self._buckets.setdefault(1, OrderedDict())[key] = None
        self._min_count = 1

    def remove_key(self, key: K) -> None:
        """Forget ``key`` (nothing happens when it is absent)."""
        if key not in self._values:
            return
        del self._values[key]
        count = self._counts.pop(key)
        bucket = self._buckets[count]
        del bucket[key]
        if not bucket:
            del self._buckets[count]
            if self._min_count == count:
                self._min_count = min(self._buckets, default=0)

    def _touch(self, key: K) -> None:
        count = self._counts[key]
        bucket = self._buckets[count]
        del bucket[key]
        if not bucket:
            del self._buckets[count]
            if self._min_count == count:
                self._min_count = count + 1
        self._counts[key] = count + 1
        self._buckets.setdefault(count + 1, OrderedDict())[key] = None
