"""Where a function of one variable is worth plotting: its domain cut to a window, narrowed to where it is finite."""
from __future__ import annotations

import math
from typing import Callable

import numpy as np

from neurogebra.domains import Domain

DEFAULT_WINDOW = (-5.0, 5.0)
OPEN_END_INSET = 1e-3   # of the window's width: how far inside an open end the first point is
PROBES = 2001           # where finiteness is looked for, before the plot's own points


def plot_window(domain: Domain | None) -> tuple[float, float]:
    """The domain with its infinite ends cut to the default window, and its open ends just inside."""
    domain = domain or Domain()
    lo = max(domain.lo, DEFAULT_WINDOW[0]) if math.isinf(domain.lo) else domain.lo
    hi = min(domain.hi, DEFAULT_WINDOW[1]) if math.isinf(domain.hi) else domain.hi
    width = DEFAULT_WINDOW[1] - DEFAULT_WINDOW[0]
    if not lo < hi:  # a half-line wholly outside the default window
        lo, hi = (lo, lo + width) if math.isinf(domain.hi) else (hi - width, hi)
    inset = (hi - lo) * OPEN_END_INSET
    open_lo = math.isfinite(domain.lo) and not domain.lo_closed
    open_hi = math.isfinite(domain.hi) and not domain.hi_closed
    return lo + inset * open_lo, hi - inset * open_hi


def finite_region(values: Callable[[np.ndarray], np.ndarray], lo: float, hi: float) -> tuple[float, float] | None:
    """The part of [lo, hi] from where `values` (a function of an array of points) is first finite to where it is
    last finite, its ends found to within a hair; None where it is finite nowhere (or at a single point)."""
    probes = np.linspace(lo, hi, PROBES)
    finite = np.flatnonzero(np.isfinite(values(probes)))
    if finite.size == 0:
        return None
    first, last = finite[0], finite[-1]
    start = probes[0] if first == 0 else _edge(values, probes[first], probes[first - 1])
    end = probes[-1] if last == PROBES - 1 else _edge(values, probes[last], probes[last + 1])
    return (float(start), float(end)) if end - start > (hi - lo) * 1e-6 else None


def _edge(values: Callable[[np.ndarray], np.ndarray], inside: float, outside: float) -> float:
    """The point nearest `outside` where `values` is still finite, by bisection from a finite `inside`."""
    for _ in range(40):
        middle = (inside + outside) / 2
        if np.isfinite(values(np.array([middle]))[0]):
            inside = middle
        else:
            outside = middle
    return inside
