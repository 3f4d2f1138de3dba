"""Stability labels (float64), by the measure docs/gradcheck.md defines, computed here from first principles.

Points are drawn uniformly over the float64 bit patterns of each variable's domain, magnitudes 1e-30 to 1e15
(both signs where the domain allows); variables whose domain is unbounded are drawn at one common scale (the
first one's magnitude times 10**U(-3, 3)), bounded ones independently. At each, the formula evaluated in NumPy
float64 as written is compared with its exact value rounded to float64; points where that is undefined or beyond
float64's range are skipped, and so are the ill-conditioned ones: where float64 is finite but more than 26 bits
off, and a relative change of 1e-20 in the inputs changes the exact value 2**26 times as much. The error at a
point is log2(1 + the number of floats between the two), 64 for inf or NaN. The label is `unstable` above 8 bits
on average, or when float64 gives inf or NaN at a sampled or stress point (0, +-1e-8, +-1, +-20, +-40, +-100,
+-700, +-710, +-1000) where the exact value is a finite float; `stable` below 2 bits with no such point; none in
between, or when the exact value is out of reach at over 5% of the points.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import mpmath
import numpy as np

from .evaluation import MAX_PREC, Scope, Unresolved, accurate_to, exact_value, float64_of, ordinal
from .exact import Undefined
from .ngb import Claim, Interval

UNSTABLE_BITS, STABLE_BITS = 8.0, 2.0
STABILITY_POINTS, UNIFORM_POINTS, MIN_POINTS = 256, 16, 100
MAX_UNRESOLVED = 0.05
ARITHMETIC_ERRORS = (Undefined, ZeroDivisionError)
TINY, HUGE = 1e-30, 1e15
COMMON_DECADES = 3
HALF_DIGITS = 26  # float64 bits: an error above this, or a condition number above 2**this, is "half wrong"
PERTURBATION = mpmath.mpf("1e-20")
CONDITION_BITS = 100
STRESS = (0.0, 1e-8, -1e-8, 1.0, -1.0, 20.0, -20.0, 40.0, -40.0, 100.0, -100.0, 700.0, -700.0, 710.0, -710.0,
          1000.0, -1000.0)


def from_ordinals(ordinals: np.ndarray) -> np.ndarray:
    magnitudes = np.abs(ordinals).astype(np.int64).view(np.float64)
    return np.where(ordinals < 0, -magnitudes, magnitudes)


def bits_of_error(computed: float, exact: float) -> float:
    if not math.isfinite(computed):
        return 64.0
    return math.log2(1 + abs(ordinal(computed) - ordinal(exact)))


def sample(interval: Interval, rng: np.random.Generator, count: int) -> np.ndarray:
    """Uniform over the bit patterns of the interval's floats with magnitudes in [TINY, HUGE]."""
    segments = []
    for lo, hi in ((-HUGE, -TINY), (TINY, HUGE)):
        lo, hi = max(lo, interval.lo), min(hi, interval.hi)
        if lo <= hi:
            segments.append((ordinal(lo), ordinal(hi)))
    if not segments:  # an interval wholly outside the magnitudes is sampled whole
        segments = [(ordinal(max(interval.lo, -1e300)), ordinal(min(interval.hi, 1e300)))]
    widths = np.array([hi - lo + 1 for lo, hi in segments], dtype=float)
    points: list[float] = []
    while len(points) < count:
        which = rng.choice(len(segments), size=count, p=widths / widths.sum())
        drawn = [from_ordinals(np.array([rng.integers(segments[k][0], segments[k][1], endpoint=True)]))[0]
                 for k in which]
        points += [x for x in drawn if interval.contains(x)]
    if interval.bounded:
        points[:UNIFORM_POINTS] = rng.uniform(interval.lo, interval.hi, UNIFORM_POINTS)
    return np.array(points[:count])


def common_scale(columns: dict, intervals: dict, rng: np.random.Generator) -> dict:
    """Unbounded variables at the first one's magnitude, within COMMON_DECADES decades either way."""
    unbounded = [v for v, interval in intervals.items() if not interval.bounded]
    if len(unbounded) < 2:
        return columns
    scale = np.abs(columns[unbounded[0]])
    for v in unbounded[1:]:
        interval = intervals[v]
        sign = 1.0 if interval.lo >= 0 else -1.0 if interval.hi <= 0 else rng.choice([-1.0, 1.0], len(scale))
        together = sign * scale * 10.0 ** rng.uniform(-COMMON_DECADES, COMMON_DECADES, len(scale))
        keep = np.array([interval.contains(x) for x in together])
        columns[v] = np.where(keep, together, columns[v])
    return columns


@dataclass(frozen=True)
class Stability:
    bits: float
    points: int
    nonfinite: int = 0  # sampled or stress points where float64 is inf/NaN for a finite exact value

    @property
    def label(self) -> str | None:
        if self.bits > UNSTABLE_BITS or self.nonfinite:
            return "unstable"
        return "stable" if self.bits < STABLE_BITS else None


def stability(text: str, line: int) -> Stability:
    scope = Scope.of(text)
    statement = scope.document.claims.get(line) or scope.document.definitions[line]
    variables = statement.variables if isinstance(statement, Claim) else statement.params
    formula = statement.formula
    rng = np.random.default_rng(zlib.crc32(formula.encode()))
    intervals = {v: scope.domain(statement, v) for v in variables}
    count = STABILITY_POINTS + UNIFORM_POINTS
    columns = common_scale({v: sample(intervals[v], rng, count) for v in variables}, intervals, rng)
    stress = [value for value in STRESS if any(interval.contains(value) for interval in intervals.values())]
    for v, column in columns.items():
        at_stress = [value if intervals[v].contains(value) else column[0] for value in stress]
        columns[v] = np.concatenate([column, at_stress])
    with np.errstate(all="ignore"):
        computed = np.broadcast_to(scope.float64.compile(formula, variables)(columns),
                                   (count + len(stress),)).astype(float)
    exact_fn = scope.exact.compile(formula, variables)
    errors, unresolved, nonfinite = [], 0, 0
    for i in range(count + len(stress)):
        point = {v: columns[v][i] for v in variables}
        try:
            value = exact_value(exact_fn, point, float64_of)[0]
            exact = float64_of(value)
        except ARITHMETIC_ERRORS:
            continue
        except Unresolved:
            unresolved += i < count
            continue
        if not math.isfinite(exact):
            continue
        error = bits_of_error(float(computed[i]), exact)
        if math.isfinite(computed[i]) and error > HALF_DIGITS and ill_conditioned(exact_fn, point):
            continue
        nonfinite += not math.isfinite(computed[i])
        if i < count:
            errors.append(error)
    if unresolved > MAX_UNRESOLVED * count:
        raise Unresolved(f"{unresolved} of {count} points have no exact value within {MAX_PREC} bits")
    if len(errors) < MIN_POINTS:
        raise Unresolved(f"only {len(errors)} points have an exact value in float64's range")
    return Stability(float(np.mean(errors)), len(errors), nonfinite)


def ill_conditioned(exact_fn, point: dict) -> bool:
    """Changing any input by a relative 1e-20 changes the value by more than 2**HALF_DIGITS times as much
    (both values known to 100 bits, far below the change that matters)."""
    settled = accurate_to(CONDITION_BITS)
    try:
        value = settled(exact_value(exact_fn, point, settled, twice=False)[0])
        if not value:
            return True
        total = mpmath.mpf(0)
        for v, x in point.items():
            if x:
                with mpmath.workprec(4 * CONDITION_BITS):  # at float64's 53 bits, 1 + 1e-20 would be 1
                    moved = {**point, v: mpmath.mpf(float(x)) * (1 + PERTURBATION)}
                total += abs(settled(exact_value(exact_fn, moved, settled, twice=False)[0]) - value)
    except (*ARITHMETIC_ERRORS, Unresolved):
        return True
    return total / (abs(value) * PERTURBATION) > 2 ** HALF_DIGITS
