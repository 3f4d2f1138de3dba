"""Stability labels (float64) by Herbie's measure: bits of error averaged over points sampled like Herbie does.

Points are drawn uniformly over the float64 bit patterns of each variable's domain (magnitudes 1e-300 to 1e300,
both signs where the domain allows), plus a few uniform points on bounded domains, with a seed fixed by the
formula. At each, the formula evaluated in NumPy float64 as written is compared with its exact value rounded to
float64; points where that is undefined or beyond float64's range are skipped. The error at a point is
log2(1 + the number of floats between the two), 64 for inf or NaN. The label is `unstable` above 8 bits on
average, `stable` below 2, and none in between, or when the exact value is out of reach at over 5% of the points.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np

from .evaluation import MAX_PREC, Scope, Unresolved, exact_value, float64_of, ordinal
from .exact import Undefined
from .ngb import Claim, Interval

UNSTABLE_BITS, STABLE_BITS = 8.0, 2.0
STABILITY_POINTS, UNIFORM_POINTS, MIN_POINTS = 256, 16, 100
MAX_UNRESOLVED = 0.05
ARITHMETIC_ERRORS = (Undefined, ZeroDivisionError)


def from_ordinals(ordinals: np.ndarray) -> np.ndarray:
    magnitudes = np.abs(ordinals).astype(np.int64).view(np.float64)
    return np.where(ordinals < 0, -magnitudes, magnitudes)


def bits_of_error(computed: float, exact: float) -> float:
    if not math.isfinite(computed):
        return 64.0
    return math.log2(1 + abs(ordinal(computed) - ordinal(exact)))


def sample(interval: Interval, rng: np.random.Generator, count: int) -> np.ndarray:
    lo, hi = max(interval.lo, -1e300), min(interval.hi, 1e300)
    first = ordinal(lo) + (0 if interval.lo_closed or lo != interval.lo else 1)
    last = ordinal(hi) - (0 if interval.hi_closed or hi != interval.hi else 1)
    points: list[float] = []
    while len(points) < count:
        drawn = from_ordinals(rng.integers(first, last, size=count, endpoint=True))
        points += [x for x in drawn if abs(x) >= 1e-300 or (x and interval.hi < 1e-300)]
    if interval.bounded:
        points[:UNIFORM_POINTS] = rng.uniform(interval.lo, interval.hi, UNIFORM_POINTS)
    return np.array([x for x in points[:count] if interval.contains(x)])


@dataclass(frozen=True)
class Stability:
    bits: float
    points: int

    @property
    def label(self) -> str | None:
        if self.bits > UNSTABLE_BITS:
            return "unstable"
        return "stable" if self.bits < STABLE_BITS else None


def stability(text: str, line: int) -> Stability:
    scope = Scope.of(text)
    statement = scope.document.claims.get(line) or scope.document.definitions[line]
    variables = statement.variables if isinstance(statement, Claim) else statement.params
    formula = statement.formula
    rng = np.random.default_rng(zlib.crc32(formula.encode()))
    count = STABILITY_POINTS + UNIFORM_POINTS
    columns = {v: sample(scope.domain(statement, v), rng, count) for v in variables}
    count = min(len(column) for column in columns.values())
    columns = {v: column[:count] for v, column in columns.items()}
    with np.errstate(all="ignore"):
        computed = np.broadcast_to(scope.float64.compile(formula, variables)(columns), (count,)).astype(float)
    exact_fn = scope.exact.compile(formula, variables)
    errors, unresolved = [], 0
    for i in range(count):
        point = {v: columns[v][i] for v in variables}
        try:
            exact = float64_of(exact_value(exact_fn, point, float64_of)[0])
        except ARITHMETIC_ERRORS:
            continue
        except Unresolved:
            unresolved += 1
            continue
        if math.isfinite(exact):
            errors.append(bits_of_error(float(computed[i]), exact))
    if unresolved > MAX_UNRESOLVED * count:
        raise Unresolved(f"{unresolved} of {count} points have no exact value within {MAX_PREC} bits")
    if len(errors) < MIN_POINTS:
        raise Unresolved(f"only {len(errors)} points have an exact value in float64's range")
    return Stability(float(np.mean(errors)), len(errors))
