"""Claim labels: `right` or `wrong`, from mpmath.diff of the function against the claim's exact value.

The points: per variable, log-spaced magnitudes from 1e-12 to 1e12 of both signs and 1e15 to 1e100 beyond,
uniform points on [-10, 10], [-1000, 1000] and the domain, points just inside its ends, random points, and both
sides of every breakpoint of either side (from the sign changes of every kink's argument along the sweep, then
bisected), at 1e-10 to 1e-2 from it, and midway between breakpoints. The claimed variable is swept at two base
points of the others, every other variable at one, and random points of all of them follow. A claim is wrong
when, at 51 digits and again at 102, it differs from the slope by more than 1e-6 relative and by more than the
function's evaluation can resolve (2**-130 of its size over the step), and differs again at a second point
within 1e-4 of the distance to the next point: a difference at an isolated point (a kink) does not count.
"""
from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import mpmath
import numpy as np

from .evaluation import START_PREC, Scope, Unresolved, accurate_to, exact_value
from .exact import Num, Undefined, tracking
from .ngb import Claim, Interval

RELATIVE_TOLERANCE = 1e-6
ARITHMETIC_ERRORS = (Undefined, ZeroDivisionError)


@dataclass(frozen=True)
class Evidence:
    point: dict
    claimed: str
    slope: str

    def __str__(self) -> str:
        where = ", ".join(f"{k} = {v:.9g}" for k, v in self.point.items())
        return f"at {where} the claim gives {self.claimed} but the slope is {self.slope}"


LOG_FINE = [10.0 ** k for k in np.arange(-12, 12.01, 0.5)] + [1e15, 1e20, 1e50, 1e100]
LOG_COARSE = [10.0 ** k for k in np.arange(-12, 12.01, 1.0)] + [1e20]
BASE_CANDIDATES = [0.7, -1.3, 2.9, 0.05, -17.0, 0.31, 123.0, 0.999, -0.45, 5.5, 1e-3, 4000.0]
BREAKPOINT_OFFSETS = (1e-10, 1e-7, 1e-4, 1e-2)


def claim_label(text: str, line: int) -> tuple[str, Evidence | None]:
    scope = Scope.of(text)
    claim = scope.document.claims[line]
    return ClaimCheck(scope, claim).verdict()


class ClaimCheck:
    def __init__(self, scope: Scope, claim: Claim):
        self.scope, self.claim = scope, claim
        call = f"{claim.target}({', '.join(claim.variables)})"
        self.function = scope.exact.compile(call, claim.variables)
        self.claimed = scope.exact.compile(claim.formula, claim.variables)
        self.domains = {v: scope.domain(claim, v) for v in claim.variables}
        self.rng = np.random.default_rng(zlib.crc32(f"{call}={claim.formula}".encode()))
        self.checked = 0

    def verdict(self) -> tuple[str, Evidence | None]:
        variable = self.claim.variable
        others = [v for v in self.claim.variables if v != variable]
        bases = self.base_points(others)
        for base in bases:
            if evidence := self.sweep(variable, base, fine=True):
                return "wrong", evidence
        for other in others:
            for base in self.base_points([v for v in self.claim.variables if v != other], 1):
                if evidence := self.sweep(other, base, fine=False):
                    return "wrong", evidence
        for point in self.random_points(20 * len(self.claim.variables)):
            if evidence := self.compare_confirmed(point, None):
                return "wrong", evidence
        if self.checked < 50:
            raise Unresolved(f"only {self.checked} points could be checked")
        return "right", None

    # points

    def base_points(self, variables: list[str], count: int = 2) -> list[dict]:
        if not variables:
            return [{}]
        choices = {}
        for v in variables:
            interval = self.domains[v]
            inside = [x for x in BASE_CANDIDATES if interval.contains(x)]
            while len(inside) < count:
                inside.append(self.random_value(interval))
            choices[v] = inside
        return [{v: choices[v][(i + k) % len(choices[v])] for k, v in enumerate(variables)} for i in range(count)]

    def random_value(self, interval: Interval) -> float:
        if interval.bounded:
            return float(self.rng.uniform(interval.lo, interval.hi))
        while True:
            x = float(10.0 ** self.rng.uniform(-6, 6) * self.rng.choice([-1.0, 1.0]))
            if interval.contains(x):
                return x

    def random_points(self, count: int) -> list[dict]:
        return [{v: self.random_value(self.domains[v]) for v in self.claim.variables} for _ in range(count)]

    def grid(self, interval: Interval, fine: bool) -> list[float]:
        points = [s * m for m in (LOG_FINE if fine else LOG_COARSE) for s in (1.0, -1.0)]
        points += list(np.linspace(-10, 10, 21 if fine else 11)) + list(np.linspace(-1000, 1000, 11 if fine else 5))
        if interval.bounded:
            points += list(np.linspace(interval.lo, interval.hi, 21 if fine else 11))
        for end in (interval.lo, interval.hi):
            if math.isfinite(end):
                points += [end + s * d * max(abs(end), 1.0) for d in (1e-9, 1e-6, 1e-3) for s in (1.0, -1.0)]
        points += [self.random_value(interval) for _ in range(10 if fine else 5)]
        return sorted({float(x) for x in points if x != 0 and interval.contains(float(x))})

    # breakpoints

    def kinks(self, point: dict) -> dict:
        values = {}
        for fn in (self.function, self.claimed):
            with mpmath.workdps(30):
                tracker = tracking(record_kinks=True)
                try:
                    fn({k: Num(mpmath.mpf(v)) for k, v in point.items()})
                except ARITHMETIC_ERRORS:
                    pass
                values.update((key, value) for key, value in tracker.kinks)
        return values

    def breakpoints(self, variable: str, base: dict, grid: list[float]) -> list[float]:
        if not self.kinks({**base, variable: grid[len(grid) // 2]}):
            return []  # neither side has a kink (kinks are in the formulas' structure, not in the point)
        found = set()
        kink_values = [self.kinks({**base, variable: x}) for x in grid]
        for i in range(len(grid) - 1):
            for key, a in kink_values[i].items():
                b = kink_values[i + 1].get(key)
                if a == 0:
                    found.add(grid[i])
                elif b is not None and b != 0 and (a > 0) != (b > 0):
                    found.add(self.bisect(variable, base, key, grid[i], grid[i + 1], a > 0))
        return sorted(found)

    def bisect(self, variable: str, base: dict, key, lo: float, hi: float, lo_positive: bool) -> float:
        for _ in range(200):
            mid = lo + (hi - lo) / 2
            if mid in (lo, hi):
                break
            value = self.kinks({**base, variable: mid}).get(key)
            if value is None:
                break
            if value == 0:
                return mid
            if (value > 0) == lo_positive:
                lo = mid
            else:
                hi = mid
        return lo + (hi - lo) / 2

    # comparison

    def sweep(self, variable: str, base: dict, fine: bool) -> Evidence | None:
        interval = self.domains[variable]
        grid = self.grid(interval, fine)
        breaks = self.breakpoints(variable, base, grid)
        extra = [b + s * d * max(abs(b), 1e-3) for b in breaks for d in BREAKPOINT_OFFSETS for s in (1.0, -1.0)]
        extra += [(a + b) / 2 for a, b in zip(breaks, breaks[1:])]
        points = sorted({x for x in grid + extra if x != 0 and interval.contains(x)})
        for i, x in enumerate(points):
            neighbour = points[i + 1] if i + 1 < len(points) else points[i - 1] if i else x * 1.001
            if evidence := self.compare_confirmed({**base, variable: x}, (variable, neighbour)):
                return evidence
        return None

    def compare_confirmed(self, point: dict, towards: tuple[str, float] | None) -> Evidence | None:
        evidence = self.compare(point, START_PREC)
        if evidence is None or self.compare(point, 2 * START_PREC, converged=True) is None:
            return None
        variable, neighbour = towards or (self.claim.variable, point[self.claim.variable] * (1 + 1e-6))
        x = point[variable]
        nearby = {**point, variable: x + (neighbour - x) * 1e-4}
        if nearby[variable] == x or not self.domains[variable].contains(nearby[variable]):
            return None
        return evidence if self.compare(nearby, 2 * START_PREC, converged=True) is not None else None

    def compare(self, point: dict, bits: int, converged: bool = False) -> Evidence | None:
        """Evidence when the claim differs from the slope at point; None when it agrees or cannot be judged.

        `converged` (the recheck of a difference): the function's value is first settled to `bits` (giving the
        precision it needs) and the difference step shrinks until two steps agree (for functions that vary fast
        far out). Without it (the first look), one difference quotient at the claim's precision."""
        variable, order = self.claim.variable, self.claim.order
        value, needed = None, START_PREC
        if converged:
            try:
                value, needed = exact_value(self.function, point, accurate_to(bits - 40), twice=False)
            except (*ARITHMETIC_ERRORS, Unresolved):
                return None
        try:
            claimed = exact_value(self.claimed, point, accurate_to(bits - 40), twice=False)[0].v
        except Unresolved:
            return None
        except ARITHMETIC_ERRORS:
            claimed = None
        x = point[variable]
        scale = min(abs(x), 1.0) or 1.0
        try:
            slope, nearby_value = self.slope(point, needed, bits, converged)
        except (*ARITHMETIC_ERRORS, Unresolved):
            return None
        self.checked += 1
        if claimed is None:
            return Evidence(point, "no real value", mpmath.nstr(slope, 8))
        size = abs(value.v) if value is not None else abs(nearby_value)
        floor = size / mpmath.mpf(scale) ** order * mpmath.mpf(2) ** -(bits - 40)
        difference = abs(claimed - slope)
        if difference > RELATIVE_TOLERANCE * max(abs(claimed), abs(slope)) and difference > floor:
            return Evidence(point, mpmath.nstr(claimed, 8), mpmath.nstr(slope, 8))
        return None

    def slope(self, point: dict, needed: int, bits: int, converged: bool):
        """mpmath.diff of the function along the claim's variable, with a central step of 2**-bits (relative
        below 1), and the function's value next to the point; converged: the step shrinks by 2**-bits until two
        steps agree to half the bits."""
        variable, order = self.claim.variable, self.claim.order
        x = point[variable]
        env = {k: Num(mpmath.mpf(v)) for k, v in point.items()}
        seen = []

        def along(t):
            seen.append(self.function({**env, variable: Num(t)}).v)
            return seen[-1]

        step_bits, previous = bits, None
        for _ in range(6 if converged else 1):
            # mpmath.diff works at (order + 1) times the context's precision
            work = needed + order * step_bits + bits + max(0, int(mpmath.mag(x)))
            with mpmath.workprec(-(-work // (order + 1))):
                tracking()
                h = mpmath.ldexp(mpmath.mpf(min(abs(x), 1.0) or 1.0), -step_bits)
                slope = mpmath.diff(along, mpmath.mpf(x), order, h=h)
            if not converged:
                return slope, seen[-1]
            if previous is not None and abs(slope - previous) <= mpmath.ldexp(max(abs(slope), abs(previous)),
                                                                               -(bits // 2)):
                return slope, seen[-1]
            previous, step_bits = slope, step_bits + bits
        raise Unresolved("the difference quotient does not settle")
