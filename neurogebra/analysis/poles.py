"""Notes on poles (`-log(p) is not finite at or next to p = 0, so it has no derivative there`): information a
formula string in Python gets for every log and division, kept out of the diagnostics unless the setting
`poles` asks for them. Kinks (relu at 0) are not poles and stay."""
from __future__ import annotations

from typing import Iterable

from neurogebra.analysis.model import Diagnostic, Settings


def shown(diagnostics: Iterable[Diagnostic], settings: Settings) -> tuple[Diagnostic, ...]:
    """The diagnostics to report: notes on poles only when `settings.poles` asks for them."""
    return tuple(d for d in diagnostics if settings.poles or not d.pole)
