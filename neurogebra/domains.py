"""Sampling domains: intervals with open or closed ends, as written in `@domain x in (0, 1]`."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Domain:
    lo: float = -math.inf
    hi: float = math.inf
    lo_closed: bool = False
    hi_closed: bool = False

    def __post_init__(self) -> None:
        if not self.lo < self.hi:
            raise ValueError(f"empty domain: {self}")

    def contains(self, value: float | np.ndarray) -> bool | np.ndarray:
        """Whether the value lies in the domain; for a NumPy array, whether each of its values does."""
        above = value >= self.lo if self.lo_closed else value > self.lo
        below = value <= self.hi if self.hi_closed else value < self.hi
        return above & below

    def __str__(self) -> str:
        def end(v: float) -> str:
            return "inf" if v == math.inf else "-inf" if v == -math.inf else f"{v:g}"

        left = "[" if self.lo_closed else "("
        right = "]" if self.hi_closed else ")"
        return f"{left}{end(self.lo)}, {end(self.hi)}{right}"


REAL_LINE = Domain()
