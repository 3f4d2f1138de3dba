"""How accurately a formula evaluates in floating point, and a more accurate equal formula where one is known.

A formula is judged on its own, over its domain, in Herbie's measure: the average bits of error of its float
evaluation against the exact value (neurogebra.numerics), at points sampled over the floats of the domain (tiny
and huge magnitudes as often as ordinary ones) plus the stress points where ML formulas break. It is unstable
above WARN_BITS, or wherever it gives NaN or inf for a finite value. A proposed form comes from the rewrite rules
(neurogebra.rewrites) and is kept only when it equals the formula at every sampled point (exactly, where the
formula is defined) and measures better: the tool never proposes a formula less accurate than the one it
replaces.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, Sequence

import mpmath
import numpy as np
import sympy

from neurogebra.compiled import CompileError
from neurogebra.domains import REAL_LINE, Domain
from neurogebra.numerics import Accuracy, dtype_name, exact_values, float_type, measure_accuracy, stability_rows
from neurogebra.rewrites import candidates

WARN_BITS = 5.0            # average bits of error above which a formula is unstable
GAIN_BITS = 1.0            # how much better a proposed form must measure
SAMPLES = 64               # sampled points (plus the stress points)
EQUAL_DIGITS = 15          # a rewrite agrees with the formula to this many digits at every point (both exact)
MAX_CANDIDATE_OPS = 400    # rewrites larger than this are not measured
QUICK_REJECT = 12          # points a rewrite must match before it is evaluated at the others
BELOW_EVERY_FLOAT = mpmath.mpf("1e-330")  # values this small round to 0 in every float type: equal for us


@dataclass(frozen=True)
class Stability:
    """A formula's accuracy and, when it is unstable, the most accurate equal form found (or None)."""

    expr: sympy.Expr
    accuracy: Accuracy
    proposed: sympy.Expr | None = None
    proposed_accuracy: Accuracy | None = None

    @property
    def unstable(self) -> bool:
        """More than WARN_BITS of average error, or NaN/inf somewhere the exact value is a finite float."""
        return self.accuracy.bits > WARN_BITS or self.accuracy.nonfinite > 0

    @property
    def dtype(self) -> str:
        return self.accuracy.dtype


def judge_stability(expr: sympy.Expr, domains: Mapping[str, Domain] | None = None, dtype: Any = "float64",
                    samples: int = SAMPLES, seed: int = 0) -> Stability | None:
    """The formula's accuracy in `dtype` over its domains, with a proposed form when it is unstable; None when
    NumPy cannot evaluate it or it has no finite exact value on the domain."""
    variables = tuple(sorted(expr.free_symbols, key=lambda s: s.name))
    axes = tuple((domains or {}).get(v.name, REAL_LINE) for v in variables)
    return _judge(expr, variables, axes, dtype_name(dtype), int(samples), int(seed))


@lru_cache(maxsize=2048)
def _judge(expr: sympy.Expr, variables: tuple[sympy.Symbol, ...], axes: tuple[Domain, ...], dtype: str,
           samples: int, seed: int) -> Stability | None:
    kind = float_type(dtype)
    rows = stability_rows(variables, {v.name: d for v, d in zip(variables, axes)}, samples, seed, kind)
    exact = exact_values(expr, variables, rows)
    try:
        accuracy = measure_accuracy(expr, variables, rows, kind, exact, samples)
    except CompileError:
        return None
    if accuracy.points == 0:
        return None
    judged = Stability(expr, accuracy)
    if not judged.unstable:
        return judged
    best = None
    for candidate in candidates(expr):
        if sympy.count_ops(candidate) > MAX_CANDIDATE_OPS or not candidate.free_symbols <= set(variables):
            continue
        measured = _measure_equal(candidate, variables, rows, kind, exact, samples)
        if measured is not None and (best is None or _rank(measured) < _rank(best[1])):
            best = (candidate, measured)
    if best is None or not _better(best[1], accuracy):
        return judged
    return Stability(expr, accuracy, best[0], best[1])


def _rank(accuracy: Accuracy) -> tuple[int, float]:
    return accuracy.nonfinite, accuracy.bits


def _better(proposed: Accuracy, original: Accuracy) -> bool:
    """Fewer NaN/inf and no more error, or as few and GAIN_BITS less error: never a less accurate formula."""
    if proposed.nonfinite > original.nonfinite or proposed.bits > original.bits:
        return False
    return proposed.nonfinite < original.nonfinite or proposed.bits <= original.bits - GAIN_BITS


def _measure_equal(candidate: sympy.Expr, variables: Sequence[sympy.Symbol], rows: np.ndarray, kind: type,
                   exact: Sequence[mpmath.mpf | None], sampled: int) -> Accuracy | None:
    """The candidate's accuracy, or None when it differs from the formula at a point where the formula is
    defined (or NumPy cannot evaluate it)."""
    first = min(len(rows), QUICK_REJECT)  # a wrong rewrite usually shows at once: spare the other points
    head = exact_values(candidate, variables, rows[:first])
    if not _agrees(head, exact[:first]):
        return None
    own = head + exact_values(candidate, variables, rows[first:])
    if not _agrees(own, exact):
        return None
    try:
        return measure_accuracy(candidate, variables, rows, kind, own, sampled)
    except CompileError:
        return None


def _agrees(own: Sequence[mpmath.mpf | None], exact: Sequence[mpmath.mpf | None]) -> bool:
    """Equal wherever the formula is defined (values below every float's range count as equal)."""
    for mine, theirs in zip(own, exact):
        if theirs is None or (mine is not None and max(abs(mine), abs(theirs)) < BELOW_EVERY_FLOAT):
            continue
        if mine is None or abs(mine - theirs) > abs(theirs) * mpmath.mpf(10) ** -EQUAL_DIGITS:
            return False
    return True


def stable_form(expr: sympy.Expr, domains: Mapping[str, Domain] | None = None,
                dtype: Any = "float64") -> sympy.Expr | None:
    """A verified, more accurate equal form of an unstable formula, or None (stable, or nothing better known)."""
    judged = judge_stability(expr, domains, dtype)
    return judged.proposed if judged is not None and judged.unstable else None
