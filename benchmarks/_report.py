"""The printed tables and the JSON file; the goals themselves are in ``_goals.py``."""

from __future__ import annotations

import json
import os
import platform
import sys
import typing as t
from dataclasses import asdict

import httpx
from _cases import Row
from _goals import Key, check_text, checks, goal, key, memory_check, memory_goals

import hishel


def row_goal(row: Row, by_key: dict[Key, Row]) -> tuple[str, str]:
    """The goal text and verdict (``ok`` / ``MISS`` / ``-``) of one timed row."""
    found = goal(row, by_key)
    return ("-", "-") if found is None else (found.text, found.verdict)


def hit10k_note(row: Row, by_key: dict[Key, Row]) -> str:
    if row.case != "hit10k":
        return row.note
    hit = by_key.get(("hit", row.mode, row.storage, row.size, row.origin))
    if hit is None:
        return row.note
    return f"{row.ratio / hit.ratio:.2f}x the 1-entry hit's ratio; {row.note}"


def machine() -> dict[str, t.Any]:
    return {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "hishel": hishel.__version__,
        "httpx": httpx.__version__,
    }


def _table(header: list[str], lines: list[list[str]], right: set[int]) -> str:
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]

    def fmt(cells: list[str]) -> str:
        return " | ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([fmt(header), rule, *(fmt(line) for line in lines)])


def _us(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def timed_table(rows: list[Row], peer: dict[Key, dict[str, t.Any]] | None = None) -> str:
    by_key = {key(row): row for row in rows}
    writer = any(row.writer_us is not None for row in rows)
    header = ["case", "mode", "storage", "size", "origin", "floor us", "hishel us", "ratio"]
    header += ["writer us", "hishel/writer"] if writer else []
    header += ["peer us", "peer ratio"] if peer is not None else []
    header += ["goal", "verdict", "checks", "verification", "note"]
    lines = []
    for row in rows:
        text, verdict = row_goal(row, by_key)
        line = [row.case, row.mode, row.storage, row.size, row.origin]
        line += [f"{row.floor_us:.1f}", f"{row.hishel_us:.1f}", f"{row.ratio:.2f}x"]
        if writer:
            ratio = row.writer_ratio
            line += [_us(row.writer_us), "-" if ratio is None else f"{ratio:.2f}x"]
        if peer is not None:
            other = peer.get(key(row))
            line += [f"{other['hishel_us']:.1f}", f"{other['ratio']:.2f}x"] if other else ["-", "-"]
        line += [text, verdict, check_text(checks(row, by_key))]
        line += [row.verification, hit10k_note(row, by_key)]
        lines.append(line)
    return _table(header, lines, set(range(5, header.index("goal"))))


def _memory_goal(result: dict[str, t.Any]) -> tuple[str, str]:
    goals = memory_goals(result)
    if not goals:
        return "-", "-"
    verdict = "MISS" if any(g.verdict == "MISS" for g in goals) else "ok"
    return f"each <=floor+{goals[0].limit:g} MiB", verdict


def memory_table(results: list[dict[str, t.Any]]) -> str:
    header = ["storage", "mode", "body MiB", "floor rise", "miss rise", "hit rise", "304 rise"]
    header += ["goal", "verdict", "checks", "verification"]
    lines = []
    for result in results:
        if "error" in result:
            lines.append([result["storage"], result["mode"], *["-"] * 5, "-", "ERROR", "-"])
            lines[-1].append(result["error"][-120:])
            continue
        text, verdict = _memory_goal(result)
        rises = [result["floor_mib"], result["miss_mib"], result["hit_mib"]]
        rises.append(result.get("revalidate_mib", float("nan")))
        lines.append(
            [result["storage"], result["mode"], f"{result['body_mib']:g}"]
            + [f"{rise:.1f} MiB" for rise in rises]
            + [text, verdict, memory_check(result), result["verification"]]
        )
    return _table(header, lines, {2, 3, 4, 5, 6})


def write_json(
    path: str,
    rows: list[Row],
    memory: list[dict[str, t.Any]],
    summary: list[dict[str, t.Any]],
    peer: dict[str, t.Any] | None,
    argv: list[str],
) -> None:
    by_key = {key(row): row for row in rows}

    def timed(row: Row) -> dict[str, t.Any]:
        text, verdict = row_goal(row, by_key)
        found = [{"check": check, "ok": ok} for check, ok in checks(row, by_key)]
        return {**asdict(row), "goal": text, "verdict": verdict, "checks": found}

    def rss(result: dict[str, t.Any]) -> dict[str, t.Any]:
        if "error" in result:
            return result
        text, verdict = _memory_goal(result)
        return {**result, "goal": text, "verdict": verdict, "checks": memory_check(result)}

    data = {
        "machine": machine(),
        "argv": argv,
        "rows": [timed(row) for row in rows],
        "memory": [rss(result) for result in memory],
        "summary": summary,
        "peer": peer,
    }
    with open(path, "w") as out:
        json.dump(data, out, indent=1)
        out.write("\n")
