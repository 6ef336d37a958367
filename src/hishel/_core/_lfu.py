"""``LFUCache``: hishel 0.1's least-frequently-used container, kept for users who import it."""

from __future__ import annotations

import typing as t
from collections import OrderedDict, defaultdict

__all__ = ["LFUCache"]

K = t.TypeVar("K")
V = t.TypeVar("V")


class LFUCache(t.Generic[K, V]):
    """A mapping of at most ``capacity`` items that evicts the least frequently used one.

    ``get`` and ``put`` of a present key count a use; among items used equally often, the
    least recently used goes first. All operations are O(1). Iterating yields the keys.

    The public attributes are 0.1's: ``capacity``; ``cache`` (key -> ``(value, uses)``);
    ``freq_count`` (uses -> the keys with that many uses, oldest first, with their values);
    ``min_freq`` (the smallest use count present, 0 when empty).
    """

    def __init__(self, capacity: int) -> None:
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
            raise ValueError(f"Capacity must be positive (a positive integer, not {capacity!r})")
        self.capacity = capacity
        self.cache: dict[K, tuple[V, int]] = {}
        self.freq_count: defaultdict[int, OrderedDict[K, V]] = defaultdict(OrderedDict)
        self.min_freq = 0

    def __len__(self) -> int:
        return len(self.cache)

    def __contains__(self, key: object) -> bool:
        return key in self.cache

    def __iter__(self) -> t.Iterator[K]:
        return iter(list(self.cache))

    def get(self, key: K) -> V:
        """The value under ``key`` (counted as a use); ``KeyError`` when absent."""
        if key not in self.cache:
            raise KeyError(f"Key {key} not found")
        value, _ = self.cache[key]
        self._touch(key, value)
        return value

    def put(self, key: K, value: V) -> None:
        """Set ``key`` (a use when present); when full, first evict the least frequently used."""
        if key in self.cache:
            self._touch(key, value)
            return
        if len(self.cache) >= self.capacity:
            bucket = self.freq_count[self.min_freq]
            victim, _ = bucket.popitem(last=False)
            if not bucket:
                del self.freq_count[self.min_freq]
            del self.cache[victim]
        self.cache[key] = (value, 1)
        self.freq_count[1][key] = value
        self.min_freq = 1

    def remove_key(self, key: K) -> None:
        """Forget ``key`` (nothing happens when it is absent)."""
        if key not in self.cache:
            return
        _, uses = self.cache.pop(key)
        self._leave(key, uses)
        if self.min_freq == uses and uses not in self.freq_count:
            self.min_freq = min(self.freq_count, default=0)

    def _leave(self, key: K, uses: int) -> None:
        bucket = self.freq_count[uses]
        del bucket[key]
        if not bucket:
            del self.freq_count[uses]

    def _touch(self, key: K, value: V) -> None:
        _, uses = self.cache[key]
        self._leave(key, uses)
        if self.min_freq == uses and uses not in self.freq_count:
            self.min_freq = uses + 1
        self.cache[key] = (value, uses + 1)
        self.freq_count[uses + 1][key] = value
