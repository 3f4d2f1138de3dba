"""Gradient checking: a derivative formula against the exact derivative (50 digits) and the function's slope.

For each variable the domain is sampled, stress points (0, ±1e-8, ±1 ... ±1000) and the function's kinks are
added, and the float64 candidate, the float64 true derivative and a Richardson central difference are compared
at every point at once. Only the points where they disagree (or give inf/NaN) are evaluated at 50 digits, which
tells a wrong formula (mismatch) from a right formula that float64 cannot evaluate (unstable), without any step
size. See docs/gradcheck.md.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from itertools import combinations
from typing import Any, Callable, Iterable, Mapping, Sequence

import mpmath
import numpy as np
import sympy
from sympy.core.relational import Relational

from neurogebra.calculus import differentiate
from neurogebra.compiled import CompileError, compile_mpmath, compile_numpy
from neurogebra.domains import REAL_LINE, Domain
from neurogebra.expression import to_sympy
from neurogebra.parsing import symbol

EPS = float(np.finfo(float).eps)
STEP = EPS ** (1 / 3)
STRESS_VALUES = (0.0, 1e-8, -1e-8, 1.0, -1.0, 20.0, -20.0, 40.0, -40.0, 100.0, -100.0,
                 700.0, -700.0, 710.0, -710.0, 1000.0, -1000.0)
EXACT_DIGITS = 50
DEEP_DIGITS = 500          # for values 50 digits lose, like log(1 - sigmoid(800)) or 1 - sigmoid(1000)
MAX_EXACT_POINTS = 32      # 50-digit evaluations per variable, at most
MISMATCHES_ENOUGH = 4      # confirmed mismatch points after which the search stops
MAX_KINK_ROWS = 24
MAX_ROOT_DEGREE = 4


class Verdict(str, Enum):
    OK = "ok"
    MISMATCH = "mismatch"
    NON_DIFFERENTIABLE = "non_differentiable"
    UNSTABLE = "unstable"
    INCONCLUSIVE = "inconclusive"


SEVERITY = {Verdict.OK: 0, Verdict.INCONCLUSIVE: 1, Verdict.NON_DIFFERENTIABLE: 2, Verdict.UNSTABLE: 3,
            Verdict.MISMATCH: 4}
ERRORS = frozenset({Verdict.MISMATCH, Verdict.UNSTABLE})


@dataclass(frozen=True)
class VariableCheck:
    """The verdict for one variable. `point` is where the verdict was seen (None when ok); `numeric` the
    function's slope there, `candidate` the checked formula's value, `exact` the true derivative (50 digits,
    rounded). `kinks` are the points where the function was found not differentiable; `kink_message` says
    where, also when a worse verdict is the one reported."""

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
    """The function's own float64 evaluation: ok, or unstable at `point` (float64 `value` vs `exact`)."""

    verdict: Verdict
    message: str
    point: dict[str, float] | None = None
    value: float | None = None
    exact: float | None = None
    stable_form: sympy.Expr | None = None


@dataclass(frozen=True)
class Tolerance:
    rtol: float = 1e-6
    atol: float = 1e-9

    def close(self, a: Any, b: Any) -> bool:
        """a and b agree (floats or mpmath numbers); NaN and inf agree with nothing."""
        return bool(abs(a - b) <= self.atol + self.rtol * max(abs(a), abs(b)))

    def close_arrays(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.abs(a - b) <= self.atol + self.rtol * np.maximum(np.abs(a), np.abs(b))


# ---------------------------------------------------------------------------------------------- evaluation
def float_values(function: Callable, rows: np.ndarray) -> np.ndarray:
    """A compiled NumPy function at every row (one column per variable), as float64; NaN where it fails or
    the value is not real. CompileError when it calls a function NumPy does not have."""
    with np.errstate(all="ignore"):
        try:
            value = np.asarray(function(*rows.T))
        except NameError as exc:
            raise CompileError(f"no NumPy evaluation: {exc}") from None
        except (ArithmeticError, ValueError, TypeError):
            return np.full(len(rows), np.nan)
        if np.iscomplexobj(value):
            value = np.where(value.imag == 0, value.real, np.nan)
        return np.broadcast_to(value.astype(float), (len(rows),))


def exact_value(expr: sympy.Expr, variables: Sequence[sympy.Symbol], point: Iterable[float],
                digits: int = EXACT_DIGITS) -> mpmath.mpf | None:
    """The real value at `digits` digits (500 when those lose it); None where it is undefined, infinite or
    complex."""
    function = compile_mpmath(expr, variables)
    point = tuple(float(v) for v in point)
    for precision in dict.fromkeys((digits, DEEP_DIGITS)):
        with mpmath.workdps(precision):
            try:
                value = function(*(mpmath.mpf(v) for v in point))
            except (ArithmeticError, ValueError, TypeError, NameError):
                value = None
            if isinstance(value, mpmath.mpc):
                value = value.real if value.imag == 0 else None
            if value is not None:
                value = mpmath.mpf(value)
                if mpmath.isfinite(value):
                    return value
    return None


def to_float(value: Any) -> float:
    """float64 rounding (±inf beyond its range)."""
    try:
        return float(value)
    except OverflowError:
        return math.copysign(math.inf, value)


# ---------------------------------------------------------------------------------------------- sampling
def inside(domain: Domain, values: np.ndarray) -> np.ndarray:
    above = values >= domain.lo if domain.lo_closed else values > domain.lo
    below = values <= domain.hi if domain.hi_closed else values < domain.hi
    return above & below


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
    return tuple(dict.fromkeys(zeros))


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
    """Finite differences along one variable at every row."""

    value: np.ndarray      # f at the point
    central: np.ndarray    # Richardson combination of central differences with steps h and h/2
    error: np.ndarray      # |D(h) - D(h/2)|
    right: np.ndarray      # second-order one-sided differences
    left: np.ndarray
    finite: np.ndarray     # f finite at all five stencil points
    edge: np.ndarray       # f finite at some stencil points and not at others
    kinky: np.ndarray      # one-sided slopes disagree, or f jumps
    jump: np.ndarray       # f jumps
    noise: np.ndarray      # rounding scale of the differences

    def agrees(self, values: np.ndarray, tolerance: Tolerance) -> np.ndarray:
        with np.errstate(all="ignore"):
            allowed = (tolerance.atol + tolerance.rtol * np.abs(values) + 8 * self.error + 64 * self.noise)
            return np.abs(self.central - values) <= allowed


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
        wide = (far_right - far_left) / (2 * h)
        narrow = (half_right - half_left) / h
        right = (-3 * f0 + 4 * half_right - far_right) / h
        left = (3 * f0 - 4 * half_left + far_left) / h
        noise = EPS * np.max(np.abs(values), axis=0) / h
        scale = np.maximum(1.0, np.maximum(np.abs(right), np.abs(left)))
        sides_differ = np.abs(right - left) > 1e-3 * scale + 64 * noise
        floor = 1e-3 * h * scale + 1e4 * noise * h  # above rounding and a kink point's own rounding
        jump = _jumps(near_right - f0, half_right - f0, floor) | _jumps(f0 - near_left, f0 - half_left, floor)
        central = (4 * narrow - wide) / 3
        error = np.abs(wide - narrow)
    finite_points = np.isfinite(values)
    finite = finite_points.all(axis=0)
    return Slopes(value=f0, central=central, error=error, right=right, left=left, finite=finite,
                  edge=finite_points.any(axis=0) & ~finite, kinky=finite & (sides_differ | jump),
                  jump=finite & jump, noise=noise)


def _jumps(tiny_step: np.ndarray, half_step: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """f changes over h/64 by at least half as much as over h/2 (a smooth f by 1/32 or less): a jump."""
    return (np.abs(tiny_step) > 0.5 * np.abs(half_step)) & (np.abs(half_step) > floor)


# ---------------------------------------------------------------------------------------------- checking
@dataclass
class _Findings:
    mismatches: list[tuple[int, float, float, float]] = field(default_factory=list)  # row, numeric, cand, exact
    unstable: list[tuple[int, float, float]] = field(default_factory=list)           # row, float64, exact
    unconfirmed: list[tuple[int, float, float]] = field(default_factory=list)        # row, cand, exact
    kinks: list[tuple[int, str]] = field(default_factory=list)                       # row, "kink"/"jump"/"edge"
    undefined: list[tuple[int, float]] = field(default_factory=list)                 # row, exact


def _point(variables: Sequence[sympy.Symbol], row: np.ndarray) -> dict[str, float]:
    return {v.name: float(value) for v, value in zip(variables, row)}


def _show_point(point: Mapping[str, float]) -> str:
    return ", ".join(f"{name} = {show(value)}" for name, value in point.items())


def show(value: Any) -> str:
    if isinstance(value, (mpmath.mpf, mpmath.mpc)):
        return mpmath.nstr(value, 6)
    return f"{value + 0.0:.6g}"  # + 0.0 turns -0 into 0


def _niceness(rows: np.ndarray) -> np.ndarray:
    """How far each point's coordinates are from magnitude 1 (0 counts as nice): points are examined and shown
    nicest first."""
    with np.errstate(all="ignore"):
        distance = np.where(rows == 0, 0.0, np.abs(np.log10(np.abs(rows))))
    return distance.max(axis=1) if rows.shape[1] else np.zeros(len(rows))


def _nicest_first(rows: np.ndarray, indices: np.ndarray) -> np.ndarray:
    return indices[np.argsort(_niceness(rows[indices]), kind="stable")]


def _magnitude(row: np.ndarray) -> float:
    return float(np.max(np.abs(row))) if len(row) else 0.0


def _relative_error(value: float, exact: float) -> float:
    return abs(value - exact) / max(abs(exact), 1e-300) if math.isfinite(value) else math.inf


@dataclass
class _Probe:
    """What was measured for one variable: rows are the sampled then stress points, kink_rows the kinks."""

    function: sympy.Expr
    variables: tuple[sympy.Symbol, ...]
    truth: sympy.Expr
    candidate: sympy.Expr
    subject: str           # "the derivative" or "the claimed derivative", for messages
    rows: np.ndarray
    kink_rows: np.ndarray
    slope: Slopes          # at rows, then at kink_rows

    def row(self, i: int) -> np.ndarray:
        return self.rows[i] if i < len(self.rows) else self.kink_rows[i - len(self.rows)]

    def point(self, i: int) -> dict[str, float]:
        return _point(self.variables, self.row(i))


def _check_variable(function: sympy.Expr, variables: tuple[sympy.Symbol, ...], j: int,
                    claim: sympy.Expr | None, rows: np.ndarray, sampled: int, domain: Domain,
                    tolerance: Tolerance) -> VariableCheck:
    """The verdict for variables[j]; rows[:sampled] are the random points, the rest stress points."""
    variable = variables[j]
    truth = differentiate(function, variable)
    candidate = truth if claim is None else claim
    subject = "the derivative" if claim is None else "the claimed derivative"
    count = len(rows)
    root_values = _root_values(kink_roots(function, variable), variables, rows)
    kink_rows = _kink_rows(root_values, rows, count, j, domain)
    try:
        candidate_values = float_values(compile_numpy(candidate, variables), rows)
        truth_values = candidate_values if candidate is truth else float_values(compile_numpy(truth, variables), rows)
        slope = slopes(compile_numpy(function, variables), np.vstack([rows, kink_rows]), j)
    except CompileError:
        return _result(variable, truth, Verdict.INCONCLUSIVE,
                       f"cannot check d/d{variable.name}: {_uncompilable((function, candidate, truth), variables)} "
                       f"has no numeric evaluation")
    probe = _Probe(function, variables, truth, candidate, subject, rows, kink_rows, slope)
    with np.errstate(all="ignore"):
        step = STEP * np.maximum(1.0, np.abs(rows[:, j]))
        near_kink = (np.abs(rows[:, j, None] - root_values) <= 1.01 * step[:, None]).any(axis=1)
    head = Slopes(*(getattr(slope, name)[:count] for name in Slopes.__dataclass_fields__))
    regular = head.finite & ~head.kinky & ~near_kink
    same = tolerance.close_arrays(candidate_values, truth_values)
    clean = np.isfinite(candidate_values) & same & (head.agrees(candidate_values, tolerance) | ~regular)
    outside = ~np.isfinite(head.value) & ~np.isfinite(candidate_values) & ~np.isfinite(truth_values)
    suspicious = _nicest_first(rows, np.flatnonzero(~clean & ~outside))[:MAX_EXACT_POINTS]

    findings = _Findings()
    try:
        for i in suspicious:
            _judge_point(i, probe, candidate_values[i], regular[i], i < sampled, tolerance, findings)
            if len(findings.mismatches) >= MISMATCHES_ENOUGH:
                break
    except CompileError:
        culprit = _uncompilable((function, candidate, truth), variables, compile_mpmath)
        return _result(variable, truth, Verdict.INCONCLUSIVE,
                       f"cannot check d/d{variable.name}: {culprit} has no 50-digit evaluation")
    _judge_kinks(slope, count, len(kink_rows), findings)
    return _verdict(variable, probe, findings)


def _result(variable: sympy.Symbol, truth: sympy.Expr, verdict: Verdict, message: str, point=None, numeric=None,
            candidate=None, exact=None, **details: Any) -> VariableCheck:
    return VariableCheck(variable.name, verdict, message, point, numeric, candidate, exact, truth, **details)


def _verdict(variable: sympy.Symbol, probe: _Probe, findings: _Findings) -> VariableCheck:
    """The worst finding, as one sentence: mismatch, then unstable, non_differentiable, inconclusive, ok."""
    subject, truth = probe.subject, probe.truth
    truth_text = f"d/d{variable.name} = {truth}"
    kinks = tuple(probe.point(i) for i, _ in findings.kinks)
    kink = _first_kink(probe, findings)

    def result(verdict: Verdict, message: str, **details: Any) -> VariableCheck:
        return _result(variable, truth, verdict, message, kinks=kinks, kink_message=kink and kink[2], **details)

    if findings.mismatches:
        i, numeric, claimed, exact = findings.mismatches[0]
        point = probe.point(i)
        gives = f"it gives {show(claimed)}" if math.isfinite(claimed) else "it is undefined"
        return result(Verdict.MISMATCH, f"{subject} is wrong: at {_show_point(point)} {gives} but the function's "
                                        f"slope is {show(numeric)} ({truth_text})",
                      point=point, numeric=numeric, candidate=claimed, exact=exact)
    if findings.unstable:
        # the worst point; among inf/NaN ones the smallest, where float64 starts failing
        i, value, exact = min(findings.unstable,
                              key=lambda u: (-_relative_error(u[1], u[2]), _magnitude(probe.rows[u[0]])))
        point = probe.point(i)
        from neurogebra.stable import stable_form

        better = stable_form(probe.candidate)
        advice = f"; a stable form is {better}" if better is not None else ""
        return result(Verdict.UNSTABLE, f"{subject} {probe.candidate} is unstable in float64: at {_show_point(point)} "
                                        f"it gives {show(value)} but its exact value is {show(exact)}{advice}",
                      point=point, numeric=_finite_or_none(probe.slope.central[i]), candidate=value, exact=exact,
                      stable_form=better)
    if kink is not None:
        point, value, message = kink
        return result(Verdict.NON_DIFFERENTIABLE, message, point=point, candidate=value)
    if findings.unconfirmed:
        i, claimed, exact = findings.unconfirmed[0]
        point = probe.point(i)
        return result(Verdict.INCONCLUSIVE, f"{subject} gives {show(claimed)} at {_show_point(point)} where the exact "
                                            f"derivative is {show(exact)}, but the function's numerical slope there "
                                            f"could not confirm it ({truth_text})",
                      point=point, candidate=claimed, exact=exact)
    if findings.undefined:
        i, exact = findings.undefined[0]
        point = probe.point(i)
        return result(Verdict.INCONCLUSIVE, f"{subject} is undefined at {_show_point(point)}, where the derivative is "
                                            f"{show(exact)} ({truth_text})", point=point, exact=exact)
    count = len(probe.rows)
    if not np.isfinite(probe.slope.value[:count]).any():
        return result(Verdict.INCONCLUSIVE, f"{probe.function} has no finite value at the sampled points of the "
                                            f"domain, so nothing could be checked")
    return result(Verdict.OK, f"{subject} agrees with the function's slope at {_count(count)} ({truth_text})")


def _uncompilable(exprs: Iterable[sympy.Expr], variables: Sequence[sympy.Symbol],
                  compiler: Callable = compile_numpy) -> sympy.Expr | None:
    """The first expression that does not compile, or calls a function the backend does not have."""
    probe = np.ones((1, len(variables)))
    for expr in exprs:
        try:
            function = compiler(expr, variables)
            if compiler is compile_numpy:
                float_values(function, probe)
        except CompileError:
            return expr
    return None


def _count(points: int) -> str:
    return f"all {points} checked points" if points != 1 else "the one checked point"


def _finite_or_none(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _candidate_at(candidate: sympy.Expr, variables: Sequence[sympy.Symbol], row: np.ndarray) -> float:
    return float(float_values(compile_numpy(candidate, variables), row[None, :])[0])


def _judge_point(i: int, probe: _Probe, candidate_value: float, regular: bool, sampled: bool,
                 tolerance: Tolerance, findings: _Findings) -> None:
    """A suspicious point at 50 digits: a wrong formula, an unstable one, or nothing to report. `sampled`: a
    random point (not a stress point)."""
    row, variables, candidate, truth, head = probe.rows[i], probe.variables, probe.candidate, probe.truth, probe.slope
    claimed = exact_value(candidate, variables, row)
    exact = claimed if candidate is truth else exact_value(truth, variables, row)
    if exact is None:
        return  # the derivative does not exist here
    if not math.isfinite(head.value[i]) and exact_value(probe.function, variables, row) is None:
        return  # outside the function's own domain
    if (claimed is None or not tolerance.close(claimed, exact)) and candidate is not truth:
        # 50 digits can lose a value to cancellation (1 - sigmoid(200)); 500 settle it
        claimed, exact = (exact_value(e, variables, row, DEEP_DIGITS) for e in (candidate, truth))
        if exact is None:
            return
    if claimed is None and not sampled:
        findings.undefined.append((i, to_float(exact)))  # a single point, like 0 for sin(x)/x: not a wrong formula
        return
    if claimed is None or not tolerance.close(claimed, exact):
        if not regular:
            return  # at or next to a kink, formulas may differ by convention
        shown = to_float(claimed) if claimed is not None else math.nan
        numeric = float(head.central[i])
        if _slope_confirms(head, i, to_float(exact), tolerance):
            findings.mismatches.append((i, numeric, shown, to_float(exact)))
        else:
            findings.unconfirmed.append((i, shown, to_float(exact)))
        return
    rounded = to_float(claimed)
    if math.isfinite(rounded) and not (math.isfinite(candidate_value) and tolerance.close(candidate_value, rounded)):
        findings.unstable.append((i, candidate_value, rounded))


def _slope_confirms(head: Slopes, i: int, exact: float, tolerance: Tolerance) -> bool:
    if not math.isfinite(exact):
        return False
    allowed = tolerance.atol + tolerance.rtol * abs(exact) + 8 * head.error[i] + 64 * head.noise[i]
    return bool(abs(head.central[i] - exact) <= allowed)


def _judge_kinks(slope: Slopes, count: int, kink_count: int, findings: _Findings) -> None:
    for i in range(count, count + kink_count):
        if slope.edge[i]:
            findings.kinks.append((i, "edge"))
        elif slope.jump[i]:
            findings.kinks.append((i, "jump"))
        elif slope.kinky[i]:
            findings.kinks.append((i, "kink"))


def _first_kink(probe: _Probe, findings: _Findings) -> tuple[dict[str, float], float, str] | None:
    """The nicest kink point, the checked formula's value there, and a sentence saying so."""
    if not findings.kinks:
        return None
    i, kind = min(findings.kinks, key=lambda k: _niceness(probe.row(k[0])[None, :])[0])
    value = _candidate_at(probe.candidate, probe.variables, probe.row(i))
    return probe.point(i), value, _kink_message(probe, kind, i, value)


def _kink_message(probe: _Probe, kind: str, i: int, value: float) -> str:
    function, where, subject = probe.function, _show_point(probe.point(i)), probe.subject
    if kind == "edge":
        return f"{function} is not finite at or next to {where}, so it has no derivative there"
    if kind == "jump":
        return f"{function} jumps at {where}, so it has no derivative there ({subject} gives {show(value)})"
    left, right = probe.slope.left[i], probe.slope.right[i]
    noise = 1e-8 * max(1.0, abs(left), abs(right))  # rounding left in a flat side's slope
    left, right = (0.0 if abs(v) < noise else v for v in (left, right))
    return (f"{function} is not differentiable at {where}: its slope is {show(left)} from the left and "
            f"{show(right)} from the right, and {subject} gives {show(value)} there")


# ---------------------------------------------------------------------------------------------- entry points
def _as_expr(value: Any) -> sympy.Expr:
    """A SymPy expression whose symbols are all the library's real symbols."""
    expr = to_sympy(value.symbolic_expr if hasattr(value, "symbolic_expr") else value)
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
              atol: float = 1e-9, seed: int = 0) -> GradcheckReport:
    """Check `claimed` derivatives (default: SymPy's own derivative) of `expr` for each variable in `wrt`
    (default: all). Deterministic for a given seed; never raises on overflow."""
    function = _as_expr(expr)
    targets = _targets(function, wrt)
    claims = _claims(claimed, targets)
    names = set(targets) | {s.name for s in function.free_symbols}
    names |= {s.name for c in claims.values() for s in c.free_symbols}
    variables = tuple(symbol(n) for n in sorted(names))
    domains = _domains(domain)
    rows = sample_points(variables, domains, samples, seed)
    tolerance = Tolerance(rtol, atol)
    return GradcheckReport(tuple(
        _check_variable(function, variables, variables.index(symbol(name)), claims.get(name), rows,
                        max(int(samples), 1), domains.get(name, REAL_LINE), tolerance)
        for name in targets))


def _float_failures(function: sympy.Expr, variables: tuple[sympy.Symbol, ...], rows: np.ndarray,
                    values: np.ndarray, tolerance: Tolerance) -> list[tuple[int, float, float]]:
    """(row, float64 value, exact value) where float64 is inf/NaN or off although the exact value fits float64;
    the inf/NaN points and the stress points are the ones checked."""
    stress = np.isin(rows, STRESS_VALUES).any(axis=1) if variables else np.ones(len(rows), bool)
    finite = np.isfinite(values)
    order = np.concatenate([_nicest_first(rows, np.flatnonzero(~finite)),
                            _nicest_first(rows, np.flatnonzero(finite & stress))])
    failures = []
    for i in order[:MAX_EXACT_POINTS]:
        exact = exact_value(function, variables, rows[i])
        rounded = to_float(exact) if exact is not None else math.nan
        if math.isfinite(rounded) and not (math.isfinite(values[i]) and tolerance.close(values[i], rounded)):
            failures.append((int(i), float(values[i]), rounded))
    return failures


def check_function(expr: Any, domain: Mapping[Any, Domain] | None = None, samples: int = 100,
                   rtol: float = 1e-6, atol: float = 1e-9, seed: int = 0) -> FunctionCheck:
    """Whether float64 evaluates `expr` faithfully: its inf/NaN values and its stress points are compared with
    the 50-digit value (a value beyond float64's range is not an instability)."""
    function = _as_expr(expr)
    variables = tuple(sorted(function.free_symbols, key=lambda s: s.name))
    rows = sample_points(variables, _domains(domain), samples, seed)
    tolerance = Tolerance(rtol, atol)
    try:
        values = float_values(compile_numpy(function, variables), rows)
        failures = _float_failures(function, variables, rows, values, tolerance)
    except CompileError:
        return FunctionCheck(Verdict.INCONCLUSIVE, f"{function} has no numeric evaluation")
    if not np.isfinite(values).any():
        return FunctionCheck(Verdict.INCONCLUSIVE, f"{function} has no finite value at the sampled points")
    if failures:
        from neurogebra.stable import stable_form

        i, value, rounded = min(failures, key=lambda u: (-_relative_error(u[1], u[2]), _magnitude(rows[u[0]])))
        point = _point(variables, rows[i])
        better = stable_form(function)
        advice = f"; a stable form is {better}" if better is not None else ""
        return FunctionCheck(Verdict.UNSTABLE, f"{function} is unstable in float64: at {_show_point(point)} it "
                                               f"gives {show(value)} but its exact value is {show(rounded)}"
                                               f"{advice}", point, value, rounded, better)
    return FunctionCheck(Verdict.OK, f"{function} evaluates accurately in float64 at {_count(len(rows))}")
