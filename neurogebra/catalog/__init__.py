"""The catalog: named formulas (activations, losses, regularizers, statistics, metrics, transforms, algebra,
calculus, optimization, linear algebra).

This package is plain data and imports no SymPy (the language server's own process reads it for completion); the
entries as functions formulas can call, parsed on first use, are `neurogebra.catalog.formulas`.
"""
from __future__ import annotations

from typing import Iterable

from neurogebra.catalog import (
    activations,
    algebra,
    calculus,
    linalg,
    losses,
    metrics,
    optimization,
    regularizers,
    statistics,
    transforms,
)
from neurogebra.catalog.entry import CATEGORIES, Entry


def _by_name(entries: Iterable[Entry]) -> dict[str, Entry]:
    table: dict[str, Entry] = {}
    for entry in entries:
        if entry.name in table:
            raise ValueError(f"two catalog entries are named {entry.name!r}")
        table[entry.name] = entry
    return table


ENTRIES: dict[str, Entry] = _by_name(
    entry
    for module in (activations, losses, regularizers, statistics, metrics, transforms, algebra, calculus, optimization,
                   linalg)
    for entry in module.ENTRIES
)
ALIASES: dict[str, str] = {alias: entry.name for entry in ENTRIES.values() for alias in entry.aliases}


def canonical_name(name: str) -> str | None:
    """The entry a name or alias refers to, or None."""
    return name if name in ENTRIES else ALIASES.get(name)


__all__ = ["ALIASES", "CATEGORIES", "ENTRIES", "Entry", "canonical_name"]
