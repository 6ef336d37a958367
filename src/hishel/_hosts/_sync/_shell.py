# GENERATED from the async source by scripts/unasync.py; do not edit.
"""What the httpx transport and the httpcore pool share: building the flow from arguments."""

from __future__ import annotations

import typing as t

from ..._core._sync._flow import CacheFlow
from ..._core._status import CacheStats
from ..._storage._sync._storages import BaseStorage, FileStorage
from .._controller import Controller, flow_config


def build_flow(
    owner: object,
    storage: BaseStorage | None,
    controller: Controller | None,
    origin_errors: tuple[type[Exception], ...] = (),
) -> tuple[CacheFlow, BaseStorage, Controller]:
    """Check the caller's arguments and build the flow (default: FileStorage, Controller());
    the flow, and the storage and Controller it holds. ``origin_errors``: the host's
    unreachable-origin errors."""
    if storage is None:
        storage = FileStorage()
    elif not isinstance(storage, BaseStorage):
        raise TypeError(
            f"{type(owner).__name__} needs a storage derived from {BaseStorage.__name__} "
            f"(for example {FileStorage.__name__}); got {type(storage).__name__}"
        )
    if controller is None:
        controller = Controller()
    elif not isinstance(controller, Controller):
        raise TypeError(f"controller must be a hishel.Controller, got {type(controller).__name__}")
    return CacheFlow(storage, flow_config(controller), origin_errors), storage, controller


class Shell:
    """The part of the httpx transport and the httpcore pool that is the same: the flow."""

    origin_errors: t.ClassVar[tuple[type[Exception], ...]] = ()
    """The host's errors meaning the origin could not be reached or dropped the exchange."""

    def _build(self, storage: BaseStorage | None, controller: Controller | None) -> None:
        self._flow, self._storage, self._controller = build_flow(
            self, storage, controller, self.origin_errors
        )

    @property
    def storage(self) -> BaseStorage:
        """The storage this cache keeps responses in (read-only)."""
        return self._storage

    @property
    def controller(self) -> Controller:
        """The Controller deciding what is stored and reused (read-only)."""
        return self._controller

    @property
    def stats(self) -> CacheStats:
        """What this cache did since it was built: hits, misses, revalidated, stored,
        stale_served, errors."""
        return self._flow.stats
