"""Formatting measured numbers as Markdown tables, and where results go."""
from __future__ import annotations

import json
import pathlib

RESULTS = pathlib.Path(__file__).resolve().parent / "results"


UNITS = (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9))


def unit_of(seconds: float) -> tuple[str, float]:
    return next(((name, scale) for name, scale in UNITS if seconds >= scale), UNITS[-1])


def duration(seconds: float) -> str:
    name, scale = unit_of(seconds)
    return f"{seconds / scale:.3g} {name}"


def spread(stats: dict) -> str:
    """The median with the range of the samples, in the median's unit: '5.1 µs (4.9–6.3, n=9)'."""
    if stats["n"] == 1:
        return duration(stats["median"])
    name, scale = unit_of(stats["median"])
    return (f"{stats['median'] / scale:.3g} {name} "
            f"({stats['min'] / scale:.3g}–{stats['max'] / scale:.3g}, n={stats['n']})")


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    lines = ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |" for row in [headers, *rows]]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def save(name: str, data: dict, markdown: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(data, indent=1))
    (RESULTS / f"{name}.md").write_text(markdown + "\n")
