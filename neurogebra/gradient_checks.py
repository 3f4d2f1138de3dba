"""Gradient checking: a derivative formula against the function it claims to differentiate.

A claim is decided symbolically first: where claim minus derivative simplifies to 0 it is right. Otherwise both
are compared exactly (mpmath, neurogebra.numerics) at adversarial points: sampled and stress points, both sides of
every breakpoint of the function, the claim and the derivative (close and far), between breakpoints, and
magnitudes from tiny to huge. A claim that differs on an interval is wrong (and the function's slope, computed in
high precision without SymPy, confirms the true derivative); one that differs at isolated points meets a kink.
Whatever its verdict, the checked formula's own accuracy in floating point is judged on its own
(neurogebra.stable): a right formula that float64 (or float32) evaluates badly is unstable. The function's kinks
are found from its tree and measured with one-sided differences. See docs/gradcheck.md.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Any, Callable, Iterable, Mapping, Sequence

import mpmath
import numpy as np
import sympy
from sympy.core.relational import Relational
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from neurogebra.builder import symbol
from neurogebra.calculus import differentiate
from neurogebra.compiled import CompileError, Unevaluable, compile_mpmath, compile_numpy
from neurogebra.domains import REAL_LINE, Domain
from neurogebra.numerics import (
    STRESS_VALUES,
    dtype_name,
    exact_value,
    exact_values,
    float_values,
    inside,
    niceness,
    to_float,
    to_sympy,
)
from neurogebra.stable import Stability, judge_stability
from neurogebra.verdict import Kink, Verdict

EPS = float(np.finfo(float).eps)
STEP = EPS ** (1 / 3)
MAX_KINK_ROWS = 24
MAX_ROOT_DEGREE = 4
BREAKPOINT_OFFSETS = (1e-9, 1e-6, 1e-3, 0.1, 1.0)   # relative distances from a breakpoint tried on both sides
SCALE_EXPONENTS = (-300, -100, -30, -12, -6, -3, -1, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20, 50, 100, 300)
NEAR_BREAKPOINT = 1e-2     # relative distance from a breakpoint below which a point is shown only if need be
ISOLATION = 1e-7           # relative distance at which a difference must persist to be an interval
NEIGHBOURHOOD = 1e-3       # relative width over which the derivative's scale is taken
MAX_SIMPLIFY_OPS = 80      # claim minus derivative is expanded and cancelled only up to this size
MAX_FULL_SIMPLIFY_OPS = 30 # and fully simplified only up to this one
BELOW_EVERY_FLOAT = mpmath.mpf("1e-330")
SLOPE_DIGITS = 60
VALUE_PROBES = 8           # points tried exactly when float64 finds no finite value of the function


SEVERITY = {Verdict.OK: 0, Verdict.INCONCLUSIVE: 1, Verdict.NON_DIFFERENTIABLE: 2, Verdict.UNSTABLE: 3,
            Verdict.MISMATCH: 4}
ERRORS = frozenset({Verdict.MISMATCH, Verdict.UNSTABLE})


@dataclass(frozen=True)
class VariableCheck:
    """The verdict for one variable. `point` is where the verdict was seen (None when ok); `numeric` the
    function's slope there, `candidate` the checked formula's value (its float value for `unstable`), `exact`
    the true value. `kinks` are the points where the function was found not differentiable; `kink_message` says
    where, also when a worse verdict is the one reported, and `kink` what kind of point it is. `error_bits`:
    the checked formula's average bits of error in `dtype` over the domain. `finding` is the message without
    the derivative it may restate at its end (" (d/dx = ...)"), for whoever shows the derivative on its own."""

    variable: str
    verdict: Verdict
    message: str
    point: dict[str, float] | None
    numeric: float | None
    candidate: float | None
    exact: float | None
    derivative: sympy.Expr
    kinks: tuple[dict[str, float], ...] = ()
    stable_form: sympy.Expr | None = None
    kink_message: str | None = None
    kink: Kink | None = None
    error_bits: float | None = None
    dtype: str = "float64"
    finding: str = ""

    @property
    def is_error(self) -> bool:
        return self.verdict in ERRORS


@dataclass(frozen=True)
class GradcheckReport:
    results: tuple[VariableCheck, ...]

    @property
    def ok(self) -> bool:
        """No mismatch and no instability (kinks and inconclusive checks are not errors)."""
        return not any(r.is_error for r in self.results)

    @property
    def worst(self) -> VariableCheck | None:
        return max(self.results, key=lambda r: SEVERITY[r.verdict], default=None)

    def __getitem__(self, variable: str | sympy.Symbol) -> VariableCheck:
        name = variable.name if isinstance(variable, sympy.Symbol) else variable
        for result in self.results:
            if result.variable == name:
                return result
        raise KeyError(name)


@dataclass(frozen=True)
class FunctionCheck:
    """The function's own accuracy in floating point: ok, or unstable (`value` at `point` vs `exact`)."""

    verdict: Verdict
    message: str
    point: dict[str, float] | None = None
    value: float | None = None
    exact: float | None = None
    stable_form: sympy.Expr | None = None
    error_bits: float | None = None
    dtype: str = "float64"


# ---------------------------------------------------------------------------------------------- sampling
def _sample_axis(domain: Domain, count: int, rng: np.random.Generator) -> np.ndarray:
    """Normal and log-uniform (1e-3 .. 1e3, both signs) values, plus uniform ones on a bounded side, that lie
    in the domain."""
    magnitudes = 10 ** rng.uniform(-3, 3, count)
    pool = [rng.normal(0, 1, count), rng.choice([-1.0, 1.0], count) * magnitudes]
    finite_lo, finite_hi = math.isfinite(domain.lo), math.isfinite(domain.hi)
    if finite_lo and finite_hi:
        pool.append(rng.uniform(domain.lo, domain.hi, count))
    if finite_lo:
        pool.append(domain.lo + magnitudes)
    if finite_hi:
        pool.append(domain.hi - magnitudes)
    values = np.concatenate(pool)
    values = values[inside(domain, values)]
    if len(values) == 0:
        values = np.array([(domain.lo + domain.hi) / 2])
    return rng.choice(values, count, replace=len(values) < count)


def sample_points(variables: Sequence[sympy.Symbol], domains: Mapping[str, Domain], samples: int = 100,
                  seed: int = 0) -> np.ndarray:
    """Rows of points, one column per variable: `samples` random points of the domain (sampled jointly), then
    the stress points inside it (all variables at once, and each variable alone). Read-only: every check over
    the same domains shares them."""
    return _sample_points(tuple(domains.get(v.name, REAL_LINE) for v in variables), max(int(samples), 1), seed)


@lru_cache(maxsize=256)
def _sample_points(axes: tuple[Domain, ...], count: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    regular = np.column_stack([_sample_axis(d, count, rng) for d in axes]) if axes else np.zeros((count, 0))
    if not axes:
        return _read_only(regular[:1])
    stress = []
    for value in STRESS_VALUES + _closed_ends(axes):
        takes = [inside(d, np.array([value]))[0] for d in axes]
        if any(takes):
            stress.append(np.where(takes, value, regular[0]))
        if len(axes) > 1:
            for j, take in enumerate(takes):
                if take:
                    row = regular[0].copy()
                    row[j] = value
                    stress.append(row)
    rows = np.vstack([regular, *stress]) if stress else regular
    _, first = np.unique(rows, axis=0, return_index=True)
    return _read_only(rows[np.sort(first)])


def _read_only(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def _closed_ends(axes: Sequence[Domain]) -> tuple[float, ...]:
    ends = [d.lo for d in axes if d.lo_closed and math.isfinite(d.lo)]
    ends += [d.hi for d in axes if d.hi_closed and math.isfinite(d.hi)]
    return tuple(ends)


# ---------------------------------------------------------------------------------------------- kinks
def kink_sets(expr: sympy.Expr) -> tuple[sympy.Expr, ...]:
    """Expressions whose zeros are the kinks, jumps, poles or domain edges of expr, read from its tree."""
    zeros: list[sympy.Expr] = []
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Abs, sympy.sign, sympy.Heaviside)):
            zeros.append(node.args[0])
        elif isinstance(node, (sympy.Max, sympy.Min)):
            zeros += [a - b for a, b in combinations(node.args, 2)]
        elif isinstance(node, sympy.Piecewise):
            zeros += [r.lhs - r.rhs for _, condition in node.args for r in condition.atoms(Relational)]
        elif isinstance(node, sympy.Pow) and node.exp.is_Number and (node.exp < 0 or not node.exp.is_Integer):
            zeros.append(node.base)
        elif isinstance(node, sympy.log):
            zeros.append(node.args[0])
        elif isinstance(node, (sympy.floor, sympy.ceiling, sympy.Mod)):  # jumps where it is whole: three of them
            whole = node.args[0] / node.args[1] if isinstance(node, sympy.Mod) else node.args[0]
            zeros += [whole, whole - 1, whole + 1]
        else:
            zeros += _special_edges(node)
    return tuple(dict.fromkeys(zeros))


def _special_edges(node: sympy.Basic) -> list[sympy.Expr]:
    """Expressions whose zeros are a special function's poles and domain edges (the first two poles of gamma)."""
    if isinstance(node, (sympy.gamma, sympy.loggamma, sympy.polygamma)):
        return [node.args[-1], node.args[-1] + 1]
    if isinstance(node, sympy.zeta):
        return [node.args[0] - 1]
    if isinstance(node, (sympy.bessely, sympy.besselk)):
        return [node.args[1]]
    if isinstance(node, sympy.erfinv):
        return [node.args[0] - 1, node.args[0] + 1]
    if isinstance(node, sympy.erfcinv):
        return [node.args[0], node.args[0] - 2]
    if isinstance(node, sympy.LambertW):
        return [node.args[0] + sympy.exp(-1)]
    return []


def _roots(zero: sympy.Expr, variable: sympy.Symbol) -> list[sympy.Expr]:
    """Real roots in `variable` of a polynomial of small degree (coefficients may hold other variables); of
    anything else in `variable` alone, those among 0 and ±1 (sin(x), tanh(x), exp(x) - 1 ...)."""
    numerator = sympy.together(zero).as_numer_denom()[0]
    if not numerator.has(variable):
        return []
    try:
        poly = sympy.Poly(numerator, variable)
    except sympy.PolynomialError:
        if numerator.free_symbols != {variable}:
            return []
        return [v for v in (sympy.S.Zero, sympy.S.One, sympy.S.NegativeOne) if numerator.subs(variable, v) == 0]
    coefficients = poly.all_coeffs()
    degree = poly.degree()
    if degree == 1:
        return [-coefficients[1] / coefficients[0]]
    if degree > MAX_ROOT_DEGREE:
        return []
    if all(c.is_number for c in coefficients):
        found = np.roots([complex(c) for c in coefficients])
        return [sympy.Float(r.real) for r in found if abs(r.imag) <= 1e-12 * max(1.0, abs(r))]
    if degree == 2:
        a, b, c = coefficients
        root = sympy.sqrt(b**2 - 4 * a * c)
        return [(-b - root) / (2 * a), (-b + root) / (2 * a)]
    return []


@lru_cache(maxsize=1024)
def kink_roots(expr: sympy.Expr, variable: sympy.Symbol) -> tuple[sympy.Expr, ...]:
    """Where (in `variable`, possibly as a function of the other variables) expr may be non-differentiable."""
    return tuple(dict.fromkeys(r for zero in kink_sets(expr) for r in _roots(zero, variable)))


def _root_values(roots: Sequence[sympy.Expr], variables: Sequence[sympy.Symbol], rows: np.ndarray) -> np.ndarray:
    """Each root at each row: shape (rows, roots), NaN where it is not real."""
    columns = []
    for root in roots:
        try:
            columns.append(float_values(compile_numpy(root, variables), rows))
        except CompileError:
            continue
    return np.column_stack(columns) if columns else np.zeros((len(rows), 0))


def _kink_rows(root_values: np.ndarray, rows: np.ndarray, regular_count: int, j: int, domain: Domain) -> np.ndarray:
    """Points on the kinks strictly inside the domain; the other variables take the first regular points' values."""
    found = []
    for base in range(min(3, regular_count)):
        for value in root_values[base]:
            if math.isfinite(value) and domain.lo < value < domain.hi:
                row = rows[base].copy()
                row[j] = value
                found.append(row)
    if not found:
        return np.zeros((0, rows.shape[1]))
    unique = np.unique(np.array(found), axis=0)
    return unique[:MAX_KINK_ROWS]


# ---------------------------------------------------------------------------------------------- slopes
@dataclass
class Slopes:
    """One-sided finite differences along one variable at every row (the function's kinks)."""

    value: np.ndarray      # f at the point
    right: np.ndarray      # second-order one-sided differences
    left: np.ndarray
    edge: np.ndarray       # f finite at some stencil points and not at others
    kinky: np.ndarray      # one-sided slopes disagree, or f jumps
    jump: np.ndarray       # f jumps


def slopes(function: Callable, rows: np.ndarray, j: int) -> Slopes:
    x = rows[:, j]
    h = (x + STEP * np.maximum(1.0, np.abs(x))) - x
    offsets = (-h, -h / 2, -h / 64, 0 * h, h / 64, h / 2, h)
    stencil = np.repeat(rows[None, :, :], len(offsets), axis=0)
    for k, offset in enumerate(offsets):
        stencil[k, :, j] = x + offset
    values = float_values(function, stencil.reshape(-1, rows.shape[1])).reshape(len(offsets), len(rows))
    far_left, half_left, near_left, f0, near_right, half_right, far_right = values
    with np.errstate(all="ignore"):
        right = (-3 * f0 + 4 * half_right - far_right) / h
        left = (3 * f0 - 4 * half_left + far_left) / h
        noise = EPS * np.max(np.abs(values), axis=0) / h
        scale = np.maximum(1.0, np.maximum(np.abs(right), np.abs(left)))
        sides_differ = np.abs(right - left) > 1e-3 * scale + 64 * noise
        floor = 1e-3 * h * scale + 1e4 * noise * h  # above rounding and a kink point's own rounding
        jump = _jumps(near_right - f0, half_right - f0, floor) | _jumps(f0 - near_left, f0 - half_left, floor)
    finite_points = np.isfinite(values)
    finite = finite_points.all(axis=0)
    return Slopes(value=f0, right=right, left=left, edge=finite_points.any(axis=0) & ~finite,
                  kinky=finite & (sides_differ | jump), jump=finite & jump)


def _jumps(tiny_step: np.ndarray, half_step: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """f changes over h/64 by at least half as much as over h/2 (a smooth f by 1/32 or less): a jump."""
    return (np.abs(tiny_step) > 0.5 * np.abs(half_step)) & (np.abs(half_step) > floor)


# ---------------------------------------------------------------------------------------------- checking
@dataclass
class _Findings:
    mismatch: tuple[int, mpmath.mpf, mpmath.mpf | None, mpmath.mpf] | None = None  # row, slope, claimed, exact
    unconfirmed: tuple[int, float, float] | None = None              # row, claimed, exact
    undefined: tuple[int, float] | None = None                       # row, exact: the claim alone is undefined
    kinks: list[tuple[int, Kink]] = field(default_factory=list)


def _point(variables: Sequence[sympy.Symbol], row: np.ndarray) -> dict[str, float]:
    return {v.name: float(value) for v, value in zip(variables, row)}


def _show_point(point: Mapping[str, float]) -> str:
    return ", ".join(f"{name} = {show(value)}" for name, value in point.items())


def show(value: Any) -> str:
    """Six significant digits; an exact value beyond float64's range (1e+400) as mpmath writes it."""
    if isinstance(value, mpmath.mpf):
        rounded = to_float(value)
        if not math.isfinite(rounded) or (rounded == 0 and value != 0):
            return mpmath.nstr(value, 6)
        value = rounded
    return f"{value + 0.0:.6g}"  # + 0.0 turns -0 into 0


@dataclass
class _Probe:
    """What is compared for one variable: the function, its true derivative and the checked formula, at rows
    (sampled and stress points, then adversarial ones), and the function's one-sided slopes at its kinks."""

    function: sympy.Expr
    variables: tuple[sympy.Symbol, ...]
    j: int
    truth: sympy.Expr
    candidate: sympy.Expr
    subject: str           # "the derivative" or "the claimed derivative", for messages
    domain: Domain
    tolerance: tuple[float, float]   # rtol, atol
    rows: np.ndarray
    kink_rows: np.ndarray
    slope: Slopes          # at kink_rows

    def row(self, i: int) -> np.ndarray:
        return self.rows[i] if i < len(self.rows) else self.kink_rows[i - len(self.rows)]

    def point(self, i: int) -> dict[str, float]:
        return _point(self.variables, self.row(i))

    def exact(self, expr: sympy.Expr, row: np.ndarray) -> mpmath.mpf | None:
        return exact_value(expr, self.variables, row)

    def moved(self, row: np.ndarray, value: float) -> np.ndarray | None:
        """row with this variable at value, if that lies in the domain."""
        if not (math.isfinite(value) and self.domain.contains(value)):
            return None
        moved = row.copy()
        moved[self.j] = value
        return moved

    def differs(self, row: np.ndarray, claimed: mpmath.mpf | None, exact: mpmath.mpf | None) -> bool:
        """The claim differs from the derivative at row beyond the tolerance, taken relative to the derivative's
        scale around the point (so a claim with rounded constants is not wrong next to a zero of the derivative,
        and a function of tiny scale is judged at its own scale)."""
        if exact is None:
            return False
        if claimed is None:
            return True
        rtol, atol = self.tolerance
        gap = abs(claimed - exact)
        if gap <= atol + rtol * max(abs(claimed), abs(exact)) or max(abs(claimed), abs(exact)) < BELOW_EVERY_FLOAT:
            return False
        x = float(row[self.j])
        width = NEIGHBOURHOOD * (abs(x) if x != 0 else 1.0)
        scale = max(abs(claimed), abs(exact))
        for side in (x - width, x + width):
            near = self.moved(row, side)
            value = self.exact(self.truth, near) if near is not None else None
            if value is not None:
                scale = max(scale, abs(value))
        return gap > atol + rtol * scale

    def differs_at(self, row: np.ndarray | None) -> bool:
        if row is None:
            return False
        return self.differs(row, self.exact(self.candidate, row), self.exact(self.truth, row))


def _breakpoints(probe: _Probe) -> tuple[sympy.Expr, ...]:
    """Where the function, the claim or the derivative may break, in the variable (as functions of the others)."""
    variable = probe.variables[probe.j]
    return tuple(dict.fromkeys(r for e in (probe.function, probe.candidate, probe.truth)
                               for r in kink_roots(e, variable)))


def _adversarial_rows(probe: _Probe, sampled: int) -> np.ndarray:
    """Points along the variable where wrong claims show: both sides of every breakpoint, close and far; the
    middle between neighbouring breakpoints; magnitudes from tiny to huge. The other variables take the first
    sampled points' values."""
    base = probe.rows[:min(3, sampled)]
    root_values = _root_values(_breakpoints(probe), probe.variables, base)
    found = []
    for b, row in enumerate(base):
        values = sorted({float(v) for v in root_values[b] if math.isfinite(v)})
        along = [v + side * offset * (abs(v) or 1.0) for v in values for offset in BREAKPOINT_OFFSETS
                 for side in (-1, 1)]
        along += [(low + high) / 2 for low, high in zip(values, values[1:])]
        if b == 0:
            along += [side * 10.0 ** k for k in SCALE_EXPONENTS for side in (-1, 1)]
        found += [moved for v in along if (moved := probe.moved(row, v)) is not None]
    if not found:
        return np.zeros((0, probe.rows.shape[1]))
    return np.unique(np.array(found), axis=0)


def _search_order(probe: _Probe) -> tuple[np.ndarray, np.ndarray]:
    """Rows in the order a difference is looked for: away from breakpoints (so a message does not show a point
    one rounding away from one), then nicest first; and which rows lie exactly on a breakpoint, where formulas
    may differ by convention (Heaviside(0))."""
    rows = probe.rows
    values = _root_values(_breakpoints(probe), probe.variables, rows)
    x = rows[:, probe.j, None]
    with np.errstate(all="ignore"):
        distance = np.abs(values - x) / np.maximum(np.abs(x), 1e-300)
    near = (distance < NEAR_BREAKPOINT).any(axis=1)
    on = (values == x).any(axis=1)
    order = np.lexsort((niceness(rows), near))
    return order, on


def _compare(probe: _Probe, findings: _Findings) -> None:
    """Exact comparison at every row until a difference on an interval is found; a claim undefined at a single
    point is noted."""
    order, on_breakpoint = _search_order(probe)
    for i in order:
        try:
            if _compare_at(probe, int(i), on_breakpoint[i], findings):
                return
        except Unevaluable:
            continue  # exp(1e50) somewhere: not undefined, only out of reach, so this point tells nothing


def _compare_at(probe: _Probe, i: int, on_breakpoint: bool, findings: _Findings) -> bool:
    """One row: True when it shows the claim wrong on an interval."""
    row = probe.rows[i]
    exact = probe.exact(probe.truth, row)
    claimed = probe.exact(probe.candidate, row)
    if not probe.differs(row, claimed, exact) or probe.exact(probe.function, row) is None:
        return False
    x = float(row[probe.j])
    step = ISOLATION * (abs(x) if x != 0 else 1.0)
    if on_breakpoint or not any(probe.differs_at(probe.moved(row, x + side * step)) for side in (-1, 1)):
        if claimed is None and findings.undefined is None:
            findings.undefined = (i, to_float(exact))  # like 0/0 at a single point: not wrong
        return False
    slope = _exact_slope(probe, row)
    if slope is None or probe.differs(row, slope, exact):
        if findings.unconfirmed is None:
            findings.unconfirmed = (i, to_float(claimed) if claimed is not None else math.nan, to_float(exact))
        return False
    findings.mismatch = (i, slope, claimed, exact)
    return True


def _exact_slope(probe: _Probe, row: np.ndarray) -> mpmath.mpf | None:
    """The function's slope at row by a central difference at 60 digits (no symbolic derivative involved)."""
    function = compile_mpmath(probe.function, probe.variables)
    x = float(row[probe.j])
    arguments = [mpmath.mpf(float(v)) for v in row]

    def along(value):
        arguments[probe.j] = value
        return function(*arguments)

    with mpmath.workdps(SLOPE_DIGITS):
        try:
            slope = mpmath.diff(along, mpmath.mpf(x), h=mpmath.mpf(10) ** -20 * max(abs(x), mpmath.mpf(1e-300)))
        except (ArithmeticError, ValueError, TypeError, mpmath.libmp.NoConvergence):
            return None
        if isinstance(slope, mpmath.mpc):
            slope = slope.real if slope.imag == 0 else None
        return slope if slope is not None and mpmath.isfinite(slope) else None


def provably_equal(a: sympy.Expr, b: sympy.Expr) -> bool:
    """a - b is 0 by algebra SymPy does in bounded time: expansion, cancellation of fractions, and full
    simplification only for small formulas without trigonometric or hyperbolic functions (trigsimp can take
    seconds on a GELU derivative). False means "not shown", and the numeric comparison decides."""
    difference = a - b
    if difference == 0:
        return True
    operations = sympy.count_ops(difference)
    if operations > MAX_SIMPLIFY_OPS or difference.has(sympy.Piecewise, sympy.Heaviside, sympy.Max, sympy.Min):
        return False
    expanded = sympy.expand(difference)
    if expanded == 0 or sympy.cancel(sympy.together(expanded)) == 0:
        return True
    trigonometric = difference.has(TrigonometricFunction, HyperbolicFunction)
    return operations <= MAX_FULL_SIMPLIFY_OPS and not trigonometric and sympy.simplify(difference) == 0


def _judge_kinks(slope: Slopes, findings: _Findings, offset: int) -> None:
    for i in range(len(slope.value)):
        if slope.edge[i]:
            findings.kinks.append((offset + i, Kink.POLE))
        elif slope.jump[i]:
            findings.kinks.append((offset + i, Kink.JUMP))
        elif slope.kinky[i]:
            findings.kinks.append((offset + i, Kink.CORNER))


def _first_kink(probe: _Probe, findings: _Findings) -> tuple[dict[str, float], float, str, Kink] | None:
    """The nicest kink point, the checked formula's value there, a sentence saying so, and its kind."""
    if not findings.kinks:
        return None
    i, kind = min(findings.kinks, key=lambda k: niceness(probe.row(k[0])[None, :])[0])
    value = _candidate_at(probe.candidate, probe.variables, probe.row(i))
    return probe.point(i), value, _kink_message(probe, kind, i, value), kind


def _kink_message(probe: _Probe, kind: Kink, i: int, value: float) -> str:
    function, where, subject = probe.function, _show_point(probe.point(i)), probe.subject
    if kind == Kink.POLE:
        return f"{function} is not finite at or next to {where}, so it has no derivative there"
    if kind == Kink.JUMP:
        return f"{function} jumps at {where}, so it has no derivative there ({subject} gives {show(value)})"
    k = i - len(probe.rows)
    left, right = probe.slope.left[k], probe.slope.right[k]
    noise = 1e-8 * max(1.0, abs(left), abs(right))  # rounding left in a flat side's slope
    left, right = (0.0 if abs(v) < noise else v for v in (left, right))
    return (f"{function} is not differentiable at {where}: its slope is {show(left)} from the left and "
            f"{show(right)} from the right, and {subject} gives {show(value)} there")


def _candidate_at(candidate: sympy.Expr, variables: Sequence[sympy.Symbol], row: np.ndarray) -> float:
    try:
        return float(float_values(compile_numpy(candidate, variables), row[None, :])[0])
    except CompileError:
        return math.nan


def _uncompilable(exprs: Iterable[sympy.Expr], variables: Sequence[sympy.Symbol]) -> sympy.Expr | None:
    """The first expression that NumPy or mpmath cannot evaluate."""
    probe = np.ones((1, len(variables)))
    for expr in exprs:
        try:
            float_values(compile_numpy(expr, variables), probe)
            compile_mpmath(expr, variables)
        except CompileError:
            return expr
    return None


def _result(variable: sympy.Symbol, truth: sympy.Expr, verdict: Verdict, finding: str, restate: bool = False,
            point=None, numeric=None, candidate=None, exact=None, **details: Any) -> VariableCheck:
    """The check; its message is `finding`, followed by the derivative when `restate`."""
    message = f"{finding} (d/d{variable.name} = {truth})" if restate else finding
    return VariableCheck(variable.name, verdict, message, point, numeric, candidate, exact, truth, finding=finding,
                         **details)


def _check_variable(function: sympy.Expr, variables: tuple[sympy.Symbol, ...], j: int, claim: sympy.Expr | None,
                    rows: np.ndarray, sampled: int, domains: Mapping[str, Domain], tolerance: tuple[float, float],
                    dtype: str, accuracy: bool) -> VariableCheck:
    """The verdict for variables[j]; rows[:sampled] are the random points, the rest stress points."""
    variable = variables[j]
    domain = domains.get(variable.name, REAL_LINE)
    truth = differentiate(function, variable)
    candidate = truth if claim is None else claim
    subject = "the derivative" if claim is None else "the claimed derivative"
    culprit = _uncompilable((function, candidate, truth), variables)
    if culprit is not None:
        return _result(variable, truth, Verdict.INCONCLUSIVE,
                       f"cannot check d/d{variable.name}: {culprit} has no numeric evaluation")
    if not _has_values(function, variables, rows):
        return _result(variable, truth, Verdict.INCONCLUSIVE, f"{function} has no finite value at the sampled "
                                                              f"points of the domain, so nothing could be checked")
    root_values = _root_values(kink_roots(function, variable), variables, rows)
    kink_rows = _kink_rows(root_values, rows, sampled, j, domain)
    slope = slopes(compile_numpy(function, variables), kink_rows, j)
    probe = _Probe(function, variables, j, truth, candidate, subject, domain, tolerance, rows, kink_rows, slope)
    findings = _Findings()
    if claim is not None and not provably_equal(claim, truth):
        probe.rows = np.vstack([rows, _adversarial_rows(probe, sampled)])
        _compare(probe, findings)
    _judge_kinks(slope, findings, len(probe.rows))
    stability = judge_stability(candidate, domains, dtype) if accuracy and not findings.mismatch else None
    return _verdict(probe, findings, stability, accuracy)


def _has_values(function: sympy.Expr, variables: Sequence[sympy.Symbol], rows: np.ndarray) -> bool:
    """The function is defined somewhere among the rows: finite in float64, or exactly (x*exp(x) past 710)."""
    if np.isfinite(float_values(compile_numpy(function, variables), rows)).any():
        return True
    return any(value is not None for value in exact_values(function, variables, rows[:VALUE_PROBES]))


def _verdict(probe: _Probe, findings: _Findings, stability: Stability | None, judged: bool) -> VariableCheck:
    """The worst finding, as one sentence: mismatch, then unstable, non_differentiable, inconclusive, ok."""
    variable, truth, subject = probe.variables[probe.j], probe.truth, probe.subject
    kinks = tuple(probe.point(i) for i, _ in findings.kinks)
    kink = _first_kink(probe, findings)
    bits = stability.accuracy.bits if stability is not None else None
    dtype = stability.dtype if stability is not None else "float64"

    def result(verdict: Verdict, finding: str, restate: bool = True, **details: Any) -> VariableCheck:
        return _result(variable, truth, verdict, finding, restate, kinks=kinks, kink_message=kink and kink[2],
                       kink=kink and kink[3], error_bits=bits, dtype=dtype, **details)

    if findings.mismatch:
        i, slope, claimed, exact = findings.mismatch
        point = probe.point(i)
        gives = f"it gives {show(claimed)}" if claimed is not None else "it is undefined"
        return result(Verdict.MISMATCH, f"{subject} is wrong: at {_show_point(point)} {gives} but the function's "
                                        f"slope is {show(slope)}", point=point,
                      numeric=to_float(slope), candidate=to_float(claimed) if claimed is not None else math.nan,
                      exact=to_float(exact))
    if stability is not None and stability.unstable:
        accuracy = stability.accuracy
        return result(Verdict.UNSTABLE, unstable_message(f"{subject} {probe.candidate}", stability), False,
                      point=accuracy.worst, candidate=accuracy.value, exact=accuracy.exact,
                      stable_form=stability.proposed)
    if kink is not None:
        point, value, message, _ = kink
        return result(Verdict.NON_DIFFERENTIABLE, message, False, point=point, candidate=value)
    if findings.unconfirmed:
        i, claimed, exact = findings.unconfirmed
        point = probe.point(i)
        return result(Verdict.INCONCLUSIVE, f"{subject} gives {show(claimed)} at {_show_point(point)} where the exact "
                                            f"derivative is {show(exact)}, but the function's slope there could "
                                            f"not confirm it", point=point, candidate=claimed,
                      exact=exact)
    if findings.undefined:
        i, exact = findings.undefined
        point = probe.point(i)
        return result(Verdict.INCONCLUSIVE, f"{subject} is undefined at {_show_point(point)}, where the derivative is "
                                            f"{show(exact)}", point=point, exact=exact)
    if stability is None and judged:
        return result(Verdict.INCONCLUSIVE, f"{subject} has no finite value on the domain, so its accuracy could not "
                                            f"be measured")
    if probe.candidate == truth:  # structurally: whether SymPy hands out one object for both depends on its cache
        return result(Verdict.OK, f"{subject} evaluates accurately in {dtype}")
    return result(Verdict.OK, f"{subject} is right")


def unstable_message(subject: str, stability: Stability) -> str:
    """'<subject> is unstable in float64: at x = 710 it gives inf but its exact value is 710 (18 bits of error on
    average over the domain); a stable form is ...' (the last part only when one is known)."""
    accuracy, better = stability.accuracy, stability.proposed
    detail = f"{accuracy.bits:.0f} bits of error on average over the domain"
    if accuracy.worst is not None:
        detail = (f"at {_show_point(accuracy.worst)} it gives {show(accuracy.value)} but its exact value is "
                  f"{show(accuracy.exact)} ({detail})")
    advice = f"; a stable form is {better}" if better is not None else ""
    return f"{subject} is unstable in {stability.dtype}: {detail}{advice}"


# ---------------------------------------------------------------------------------------------- entry points
def _as_expr(value: Any) -> sympy.Expr:
    """A SymPy expression whose symbols are all the library's real symbols."""
    expr = to_sympy(value)
    return expr.xreplace({s: symbol(s.name) for s in expr.free_symbols if isinstance(s, sympy.Symbol)})


def _name(variable: str | sympy.Symbol) -> str:
    return variable.name if isinstance(variable, sympy.Symbol) else str(variable)


def _targets(function: sympy.Expr, wrt: Any) -> list[str]:
    if wrt is None:
        return sorted(s.name for s in function.free_symbols)
    if isinstance(wrt, (str, sympy.Symbol)):
        return [_name(wrt)]
    return [_name(w) for w in wrt]


def _claims(claimed: Any, targets: Sequence[str]) -> dict[str, sympy.Expr]:
    if claimed is None:
        return {}
    if isinstance(claimed, Mapping):
        return {_name(k): _as_expr(v) for k, v in claimed.items()}
    if len(targets) != 1:
        raise ValueError(f"a single claimed derivative needs exactly one variable; say which with wrt= "
                         f"(variables: {', '.join(targets) or 'none'})")
    return {targets[0]: _as_expr(claimed)}


def _domains(domain: Mapping[Any, Domain] | None) -> dict[str, Domain]:
    return {_name(k): v for k, v in (domain or {}).items()}


def gradcheck(expr: Any, wrt: str | sympy.Symbol | Sequence[str | sympy.Symbol] | None = None,
              claimed: Mapping[Any, Any] | sympy.Expr | None = None,
              domain: Mapping[Any, Domain] | None = None, samples: int = 100, rtol: float = 1e-6,
              atol: float = 0.0, seed: int = 0, dtype: str = "float64", accuracy: bool = True) -> GradcheckReport:
    """Check `claimed` derivatives (default: SymPy's own derivative) of `expr` for each variable in `wrt`
    (default: all); the checked formulas' accuracy is judged in `dtype` ("float64" or "float32") unless
    `accuracy` is False. Deterministic for a given seed; never raises on overflow."""
    function = _as_expr(expr)
    targets = _targets(function, wrt)
    claims = _claims(claimed, targets)
    names = set(targets) | {s.name for s in function.free_symbols}
    names |= {s.name for c in claims.values() for s in c.free_symbols}
    variables = tuple(symbol(n) for n in sorted(names))
    domains = _domains(domain)
    rows = sample_points(variables, domains, samples, seed)
    return GradcheckReport(tuple(
        _check_variable(function, variables, variables.index(symbol(name)), claims.get(name), rows,
                        max(int(samples), 1), domains, (float(rtol), float(atol)), dtype_name(dtype), accuracy)
        for name in targets))


def check_function(expr: Any, domain: Mapping[Any, Domain] | None = None, dtype: str = "float64",
                   samples: int | None = None, seed: int = 0) -> FunctionCheck:
    """How accurately `dtype` evaluates `expr` over its domain, in bits of error against the exact value, with a
    verified more accurate form when it is unstable (a value beyond the float's range is not an instability)."""
    function = _as_expr(expr)
    options = {} if samples is None else {"samples": samples}
    stability = judge_stability(function, _domains(domain), dtype, seed=seed, **options)
    if stability is None:
        culprit = _uncompilable((function,), tuple(sorted(function.free_symbols, key=lambda s: s.name)))
        reason = "has no numeric evaluation" if culprit is not None else "has no finite value on the domain"
        return FunctionCheck(Verdict.INCONCLUSIVE, f"{function} {reason}", dtype=dtype_name(dtype))
    accuracy, better = stability.accuracy, stability.proposed
    if stability.unstable:
        return FunctionCheck(Verdict.UNSTABLE, unstable_message(str(function), stability), accuracy.worst,
                             accuracy.value, accuracy.exact, better, accuracy.bits, stability.dtype)
    return FunctionCheck(Verdict.OK, f"{function} evaluates accurately in {stability.dtype} "
                                     f"({accuracy.bits:.1f} bits of error on average over the domain)",
                         error_bits=accuracy.bits, dtype=stability.dtype)
