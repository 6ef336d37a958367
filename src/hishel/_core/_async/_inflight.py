"""What a flow is fetching now: coalesced misses (one origin request per key at a time, the
followers wait for it) and stale-while-revalidate refreshes (one per key, a few at a time)."""

from __future__ import annotations

import typing as t

from .._concurrency import AsyncEvent, AsyncLock

__all__ = ["COALESCE_WAIT", "MAX_BACKGROUND_REFRESHES", "AsyncInflight"]

MAX_BACKGROUND_REFRESHES = 8
COALESCE_WAIT = 30.0  # seconds a coalesced request waits for the leader's body


class AsyncInflight:
    """The keys one flow is fetching from the origin or refreshing in the background."""

    def __init__(self) -> None:
        self._lock = AsyncLock()
        self._fetching: dict[str, AsyncEvent] = {}
        self._refreshing: set[str] = set()

    async def start_refresh(self, key: str) -> bool:
        """Claim a background refresh of ``key``; False when one runs or too many do."""
        async with self._lock:
            if key in self._refreshing or len(self._refreshing) >= MAX_BACKGROUND_REFRESHES:
                return False
            self._refreshing.add(key)
            return True

    async def end_refresh(self, key: str) -> None:
        """The background refresh of ``key`` is over."""
        async with self._lock:
            self._refreshing.discard(key)

    async def lead(self, key: str) -> t.Callable[[], None] | None:
        """Lead the origin request for ``key``: the release to call once it is done. When
        another request leads, wait for it (at most ``COALESCE_WAIT``) and answer None."""
        event = AsyncEvent()
        async with self._lock:
            leader = self._fetching.setdefault(key, event)
        if leader is not event:
            await leader.wait(COALESCE_WAIT)
            return None

        def release() -> None:
            self._fetching.pop(key, None)
            event.set()

        return release
