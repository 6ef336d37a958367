"""The ``hishel.controller`` logger of hishel 0.1, over the one ``hishel`` logger we log on.

hishel logs its one DEBUG decision line per request on the ``hishel`` logger. hishel 0.1's
documentation tells users to turn on ``logging.getLogger("hishel.controller")`` instead. So
that both work, the ``hishel`` logger is given a subclass (``__class__`` only; no state added)
that treats its DEBUG records without an exception attached (the decision lines) as records of
``hishel.controller``:

- they are emitted when ``hishel.controller`` is enabled for DEBUG (its own level, or the
  level it inherits from ``hishel``), whatever the level of ``hishel`` itself;
- they are handed to ``hishel.controller``, so they reach its handlers and then, propagating
  as usual, those of ``hishel`` and the root logger: once each. The record keeps its name
  (``hishel``), so filters and formats written for the ``hishel`` logger keep matching.

Every other record of ``hishel`` is handled as usual. Records logged directly on
``hishel.controller`` never pass through here (propagation calls handlers, not ``handle``).
"""

from __future__ import annotations

import logging

__all__ = ["CONTROLLER_LOGGER", "LOGGER", "install"]

LOGGER = "hishel"
CONTROLLER_LOGGER = "hishel.controller"


def _is_decision(record: logging.LogRecord) -> bool:
    return record.levelno == logging.DEBUG and record.exc_info is None


def _controller() -> logging.Logger:
    """``hishel.controller`` (looked up once: the manager keeps a logger for good)."""
    global _CONTROLLER
    if _CONTROLLER is None:
        _CONTROLLER = logging.getLogger(CONTROLLER_LOGGER)
    return _CONTROLLER


_CONTROLLER: logging.Logger | None = None


class _HishelLogger(logging.Logger):
    """``hishel``: its decision lines are ``hishel.controller``'s (see the module docstring)."""

    def isEnabledFor(self, level: int) -> bool:
        # Logger's own cache of answers, cleared by the logging manager whenever any level
        # changes (``setLevel``, ``disable``): it holds this combined answer too.
        if self.disabled:
            return False
        try:
            return self._cache[level]  # type: ignore[attr-defined, no-any-return]
        except KeyError:
            pass
        enabled = super().isEnabledFor(level) or (
            level == logging.DEBUG and _controller().isEnabledFor(level)
        )
        self._cache[level] = enabled  # type: ignore[attr-defined]
        return enabled

    def handle(self, record: logging.LogRecord) -> None:
        if record.name == LOGGER and _is_decision(record):
            controller = _controller()
            if controller.isEnabledFor(record.levelno):
                controller.handle(record)
            return
        super().handle(record)


def install() -> None:
    """Give the ``hishel`` logger its ``hishel.controller`` behaviour (idempotent)."""
    logger = logging.getLogger(LOGGER)
    if type(logger) is logging.Logger:
        logger.__class__ = _HishelLogger
    logging.getLogger(CONTROLLER_LOGGER)  # created now, so it always has ``hishel`` as parent
