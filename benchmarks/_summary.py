"""The end-of-run summary: one line per issue-13 goal, as a markdown table and as JSON.

Figures are ratios (1 KiB, mock origin): hishel / floor, hishel / writer for the file lines
``(vs writer)``, and for ``async/sync`` lines the two ratios to the floor with the quotient
the goal applies to. RSS lines show each phase's peak RSS rise minus the floor's, in MiB
(``--memory``).
A line's verdict is ``ok`` when every goal it measured is met, ``MISS`` when one is not, ``-``
when none of its rows ran.
"""

from __future__ import annotations

import math
import typing as t

from _cases import Row
from _goals import (
    ASYNC_SYNC_GOAL,
    FLOOR_GOALS,
    GOAL_ORIGIN,
    GOAL_SIZE,
    RSS_GOAL_MIB,
    WRITER_GOAL,
    Goal,
    Key,
    async_sync_goal,
    combined,
    floor_goal,
    key,
    memory_goals,
    writer_goal,
)

# (label, case, storage, what the figure is: floor | writer | async/sync)
LINES = (
    ("memory hit", "hit", "memory", "floor"),
    ("file hit", "hit", "file", "floor"),
    ("sqlite hit", "hit", "sqlite", "floor"),
    ("redis hit", "hit", "redis", "floor"),
    ("memory miss", "miss", "memory", "floor"),
    ("memory 304", "revalidate", "memory", "floor"),
    ("file miss (vs writer)", "miss", "file", "writer"),
    ("file 304 (vs writer)", "revalidate", "file", "writer"),
    ("sqlite miss", "miss", "sqlite", "floor"),
    ("sqlite 304", "revalidate", "sqlite", "floor"),
    ("async/sync file miss", "miss", "file", "async/sync"),
    ("async/sync sqlite miss", "miss", "sqlite", "async/sync"),
)
PHASE_NAMES = {"miss": "miss", "hit": "hit", "revalidate": "304"}
Entry = dict[str, t.Any]


def _x(value: float | None) -> str:
    if value is None:
        return "-"
    return "error" if math.isnan(value) else f"{value:.2f}x"


def _floor_goal_text(case: str, storage: str) -> str:
    sync, async_ = FLOOR_GOALS[(case, storage)]
    if async_ is None:
        return f"<= {sync:.2f}x (sync)"
    return f"<= {sync:.2f}x" if sync == async_ else f"<= {sync:.2f}x / {async_:.2f}x"


def _timed_line(label: str, case: str, storage: str, kind: str, by_key: dict[Key, Row]) -> Entry:
    sync = by_key.get((case, "sync", storage, GOAL_SIZE, GOAL_ORIGIN))
    async_ = by_key.get((case, "async", storage, GOAL_SIZE, GOAL_ORIGIN))
    goals: list[Goal | None]
    extra: dict[str, float | None] = {}
    if kind == "floor":
        values = [None if r is None else r.ratio for r in (sync, async_)]
        goals = [None if r is None else floor_goal(r) for r in (sync, async_)]
        cells, text = [_x(v) for v in values], _floor_goal_text(case, storage)
    elif kind == "writer":
        values = [None if r is None else r.writer_ratio for r in (sync, async_)]
        goals = [None if sync is None else writer_goal(sync)]
        cells, text = [_x(v) for v in values], f"<= {WRITER_GOAL:.2f}x writer (sync)"
    else:
        values = [None if r is None else r.ratio for r in (sync, async_)]
        found = None if async_ is None else async_sync_goal(async_, by_key)
        quotient: float | None = None
        goals = [found]
        cells = [_x(values[0]), _x(values[1])]
        if found is not None and found.measured:
            cells[1] += f" ({found.value:.2f}x sync)"
            quotient = found.value
        text = f"async <= {ASYNC_SYNC_GOAL:.2f}x sync"
        extra["async/sync"] = quotient
    return {
        "case": label,
        "sync": cells[0],
        "async": cells[1],
        "goal": text,
        "verdict": combined(goals),
        "values": {"sync": values[0], "async": values[1], **extra},
    }


def _rss_cell(result: Entry | None) -> str:
    if result is None:
        return "-"
    if "error" in result:
        return "error"
    goals = memory_goals(result)
    return " / ".join(
        f"{PHASE_NAMES[g.text]} {round(t.cast(float, g.value), 1) + 0.0:.1f}"
        if g.measured
        else f"{PHASE_NAMES[g.text]} -"
        for g in goals
    )


def _rss_lines(memory: list[Entry]) -> list[Entry]:
    lines: list[Entry] = []
    storages = list(dict.fromkeys(m["storage"] for m in memory if m["storage"] != "memory"))
    for storage in storages:
        by_mode = {m["mode"]: m for m in memory if m["storage"] == storage}
        sync, async_ = by_mode.get("sync"), by_mode.get("async")
        goals = [g for m in (sync, async_) if m is not None for g in memory_goals(m)]
        failed = any("error" in m for m in (sync, async_) if m is not None)
        body = next((m["body_mib"] for m in (sync, async_) if m and "body_mib" in m), None)
        size = "" if body is None else f" ({body:g} MiB body)"
        lines.append(
            {
                "case": f"{storage} peak RSS{size}",
                "sync": _rss_cell(sync),
                "async": _rss_cell(async_),
                "goal": f"each <= floor + {RSS_GOAL_MIB:g} MiB",
                "verdict": "MISS" if failed else combined(goals),
                "values": {
                    mode: {g.text: g.value for g in memory_goals(m)} for mode, m in by_mode.items()
                },
            }
        )
    return lines


def build(rows: list[Row], memory: list[Entry]) -> list[Entry]:
    """The summary entries; timed lines only when timed rows ran."""
    by_key = {key(row): row for row in rows}
    lines = [_timed_line(*line, by_key) for line in LINES] if rows else []
    return lines + _rss_lines(memory)


def markdown(entries: list[Entry]) -> str:
    header = ["case", "sync", "async", "goal", "verdict"]
    table = [header] + [[str(e[h]) for h in header] for e in entries]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]

    def fmt(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([fmt(table[0]), rule, *(fmt(line) for line in table[1:])])
