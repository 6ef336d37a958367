"""The issue-13 goals, the extra checks, and the summary table built from them.

Goals are ratios measured in the same run, against the mock origin, with 1 KiB bodies:
hishel / plain httpx (the floor) for most rows, hishel / the minimal writer (``_writer.py``)
for the sync file miss and revalidation, and async ratio / sync ratio for the file and SQLite
miss. Peak RSS (``--memory``) must rise at most 16 MiB over the floor's on every persistent
backend, for the miss, the hit and the revalidation. Checks (one Redis round trip per hit,
one S3 call per hit, hit10k close to hit, no new TCP connection per revalidation) are shown
beside the goals; they are not goals of issue 13.
"""

from __future__ import annotations

import math
import typing as t
from dataclasses import dataclass

from _cases import Row
from _writer import wants_writer

Key = tuple[str, str, str, str, str]
GOAL_SIZE, GOAL_ORIGIN = "1k", "mock"

# (case, storage) -> (sync, async) maximum ratio hishel / floor; None: no floor goal
FLOOR_GOALS: dict[tuple[str, str], tuple[float | None, float | None]] = {
    ("hit", "memory"): (1.10, 1.10),
    ("hit", "file"): (1.3, 1.4),
    ("hit", "sqlite"): (1.4, 1.8),
    ("hit", "redis"): (2.5, 2.5),
    ("miss", "memory"): (1.5, 1.5),
    ("revalidate", "memory"): (1.4, 1.4),
    ("miss", "sqlite"): (3.0, None),
    ("revalidate", "sqlite"): (2.5, None),
}
WRITER_GOAL = 1.10  # sync file miss / revalidate: hishel / writer
ASYNC_SYNC_GOAL = 1.30  # file / SQLite miss: async ratio / sync ratio
ASYNC_SYNC_STORAGES = ("file", "sqlite")
RSS_GOAL_MIB = 16.0  # peak RSS rise over the floor's, persistent backends
PHASES = ("miss", "hit", "revalidate")


def key(row: Row | dict[str, t.Any]) -> Key:
    data = row if isinstance(row, dict) else row.__dict__
    return (data["case"], data["mode"], data["storage"], data["size"], data["origin"])


@dataclass(frozen=True)
class Goal:
    text: str
    value: float | None  # the measured figure the limit applies to (None: not measured)
    limit: float

    @property
    def measured(self) -> bool:
        return self.value is not None and not math.isnan(self.value)

    @property
    def verdict(self) -> str:
        if not self.measured:
            return "-"
        return "ok" if t.cast(float, self.value) <= self.limit else "MISS"


def _in_scope(row: Row) -> bool:
    return row.origin == GOAL_ORIGIN and row.size == GOAL_SIZE


def floor_goal(row: Row) -> Goal | None:
    limits = FLOOR_GOALS.get((row.case, row.storage))
    limit = None if limits is None else limits[row.mode == "async"]
    if limit is None or not _in_scope(row):
        return None
    return Goal(f"<={limit:.2f}x", row.ratio, limit)


def writer_goal(row: Row) -> Goal | None:
    if row.mode != "sync" or not wants_writer(row.case, row.storage) or not _in_scope(row):
        return None
    return Goal(f"<={WRITER_GOAL:.2f}x writer", row.writer_ratio, WRITER_GOAL)


def async_sync_goal(row: Row, by_key: dict[Key, Row]) -> Goal | None:
    if (row.case, row.mode) != ("miss", "async") or row.storage not in ASYNC_SYNC_STORAGES:
        return None
    if not _in_scope(row):
        return None
    sync = by_key.get(("miss", "sync", row.storage, row.size, row.origin))
    value = row.ratio / sync.ratio if sync is not None and sync.ratio else None
    shown = "" if value is None or math.isnan(value) else f": {value:.2f}x"
    return Goal(f"<={ASYNC_SYNC_GOAL:.2f}x sync ratio{shown}", value, ASYNC_SYNC_GOAL)


def goal(row: Row, by_key: dict[Key, Row]) -> Goal | None:
    """The one issue-13 goal of a timed row, if it has one."""
    return floor_goal(row) or writer_goal(row) or async_sync_goal(row, by_key)


def checks(row: Row, by_key: dict[Key, Row]) -> list[tuple[str, bool]]:
    """The extra checks of a timed row: (text, passed)."""
    found: list[tuple[str, bool]] = []
    if row.origin == GOAL_ORIGIN:
        if (row.case, row.storage, row.size) == ("hit", "redis", GOAL_SIZE):
            found.append(("1 trip", row.calls_per_request == 1))
        if (row.case, row.storage) == ("hit", "s3"):
            found.append(("1 S3 call", row.calls_per_request == 1))
        if (row.case, row.storage, row.size) == ("hit10k", "sqlite", GOAL_SIZE):
            hit = by_key.get(("hit", row.mode, row.storage, row.size, row.origin))
            if hit is not None:  # ratios, each against its own floor
                found.append(("<=1.10x hit", row.ratio <= 1.10 * hit.ratio))
    if row.case == "revalidate" and row.origin == "server":
        found.append(("0 new conn", row.new_connections == 0))
    return found


def check_text(found: list[tuple[str, bool]]) -> str:
    return ", ".join(f"{text} {'ok' if ok else 'MISS'}" for text, ok in found) or "-"


# -- memory ---------------------------------------------------------------------------------


def memory_goals(result: dict[str, t.Any]) -> list[Goal]:
    """Persistent backends: each phase's rise at most 16 MiB over the floor's."""
    if result["storage"] == "memory" or "error" in result:
        return []
    return [Goal(phase, _over_floor(result, phase), RSS_GOAL_MIB) for phase in PHASES]


def _over_floor(result: dict[str, t.Any], phase: str) -> float | None:
    rise = result.get(f"{phase}_mib")
    return None if rise is None else float(rise - result["floor_mib"])


def memory_check(result: dict[str, t.Any]) -> str:
    """In-memory storage: the entry is held, so miss and hit may rise by the body + 10 MiB."""
    if result["storage"] != "memory" or "error" in result:
        return "-"
    limit = result["body_mib"] + 10
    ok = max(result["miss_mib"], result["hit_mib"]) <= limit
    return f"<={limit:g} MiB {'ok' if ok else 'MISS'}"


def combined(goals: t.Sequence[Goal | None]) -> str:
    verdicts = [g.verdict for g in goals if g is not None and g.measured]
    if not verdicts:
        return "-"
    return "MISS" if "MISS" in verdicts else "ok"
