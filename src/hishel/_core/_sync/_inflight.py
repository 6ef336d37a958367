# GENERATED from the async source by scripts/unasync.py; do not edit.
"""What a flow is fetching now: coalesced misses (one origin request per key at a time, the
followers wait for it) and stale-while-revalidate refreshes (one per key, a few at a time)."""

from __future__ import annotations

import typing as t

from .._concurrency import Event, Lock

__all__ = ["COALESCE_WAIT", "MAX_BACKGROUND_REFRESHES", "Inflight"]

MAX_BACKGROUND_REFRESHES = 8
COALESCE_WAIT = 30.0  # seconds a coalesced request waits for the leader's body


class Inflight:
    """The keys one flow is fetching from the origin or refreshing in the background."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._fetching: dict[str, Event] = {}
        self._refreshing: set[str] = set()

    def start_refresh(self, key: str) -> bool:
        """Claim a background refresh of ``key``; False when one runs or too many do."""
        with self._lock:
            if key in self._refreshing or len(self._refreshing) >= MAX_BACKGROUND_REFRESHES:
                return False
            self._refreshing.add(key)
            return True

    def end_refresh(self, key: str) -> None:
        """The background refresh of ``key`` is over."""
        with self._lock:
            self._refreshing.discard(key)

    def lead(self, key: str) -> t.Callable[[], None] | None:
        """Lead the origin request for ``key``: the release to call once it is done. When
        another request leads, wait for it (at most ``COALESCE_WAIT``) and answer None."""
        event = Event()
        with self._lock:
            leader = self._fetching.setdefault(key, event)
        if leader is not event:
            leader.wait(COALESCE_WAIT)
            return None

        def release() -> None:
            self._fetching.pop(key, None)
            event.set()

        return release
