"""The storage breaker: after a storage failure, leave the storage alone for a while.

A storage that is down (and slow to say so) then costs one request its latency, not every
request: for ``cooldown`` seconds the flow serves without the cache, then tries again.
Time is read only through the injected clock.
"""

from __future__ import annotations

import logging
import typing as t

from ._clock import Clock

__all__ = ["STORAGE_COOLDOWN", "Breaker"]

logger = logging.getLogger("hishel")

STORAGE_COOLDOWN = 5.0  # seconds without storage calls after a storage failure


class Breaker:
    """Open (storage bypassed) for ``cooldown`` seconds after each failure."""

    def __init__(
        self,
        clock: Clock,
        cooldown: float = STORAGE_COOLDOWN,
        on_failure: t.Callable[[], None] | None = None,
    ) -> None:
        self._clock = clock
        self._cooldown = cooldown
        self._on_failure = on_failure
        self._open_until: float | None = None

    def available(self) -> bool:
        """Whether the storage may be called now."""
        return self._open_until is None or self._clock.now() >= self._open_until

    def failed(self, what: str, exc: BaseException | None = None) -> None:
        """Record a failure of ``what`` (read, write, ...): open for the cooldown."""
        self._open_until = self._clock.now() + self._cooldown
        if self._on_failure is not None:
            self._on_failure()
        logger.warning(
            "hishel: storage %s failed (%s); serving without the cache for %.0f s",
            what,
            type(exc).__name__ if exc is not None else "error",
            self._cooldown,
        )
        logger.debug("hishel: the storage failure", exc_info=exc)
