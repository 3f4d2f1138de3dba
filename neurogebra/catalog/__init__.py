"""The catalog: named formulas (activations, losses, regularizers, statistics, metrics, transforms).

This package is plain data and imports no SymPy (the language server's own process reads it for completion); the
entries as functions formulas can call, parsed on first use, are `neurogebra.catalog.formulas`.
"""
from __future__ import annotations

from neurogebra.catalog import activations, losses, metrics, regularizers, statistics, transforms
from neurogebra.catalog.entry import CATEGORIES, Entry

ENTRIES: dict[str, Entry] = {
    entry.name: entry
    for module in (activations, losses, regularizers, statistics, metrics, transforms)
    for entry in module.ENTRIES
}
ALIASES: dict[str, str] = {alias: entry.name for entry in ENTRIES.values() for alias in entry.aliases}


def canonical_name(name: str) -> str | None:
    """The entry a name or alias refers to, or None."""
    return name if name in ENTRIES else ALIASES.get(name)


__all__ = ["ALIASES", "CATEGORIES", "ENTRIES", "Entry", "canonical_name"]
