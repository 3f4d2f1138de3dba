"""Numbers the checks rest on: evaluation in a float precision, exact references (mpmath), Herbie's measure of
error in bits and the sampling of domains. Gradient checking, stable forms and self-forms all stand on it.

The exact value of a formula at a point is computed with mpmath at rising precision until two precisions agree
far beyond the float's own, so cancellation (`exp(x) - 1` at 1e-300) cannot fool it. The error of a float result
is log2 of the number of floats between it and the correctly rounded exact value, plus one (0 bits: correctly
rounded; 64: NaN, or nothing right).
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping, Sequence

import mpmath
import numpy as np
import sympy

from neurogebra.compiled import CompileError, Unevaluable, compile_mpmath, compile_numpy
from neurogebra.domains import REAL_LINE, Domain

DTYPES: dict[str, type] = {"float64": np.float64, "float32": np.float32}
SIGNIFICAND_BITS: dict[type, int] = {np.float64: 53, np.float32: 24}
TOTAL_BITS: dict[type, int] = {np.float64: 64, np.float32: 32}
ORDINAL_TYPES: dict[type, type[np.signedinteger[Any]]] = {np.float64: np.int64, np.float32: np.int32}
WORKING_MAGNITUDES = (1e-30, 1e15)  # sampled magnitudes: wider than any activation, logit or loss, and narrow
                                   # enough that x**3 overflowing at 1e103 is not what a formula is judged on
COMMON_SPREAD = 3          # decades around the common scale of a formula's unbounded inputs
EXACT_DIGITS = 30          # first precision tried; doubled until two precisions agree
MAX_EXACT_DIGITS = 1920    # enough for exp(x) - 1 at x = 1e-300 (the smallest normal floats need about 330)
OUT_OF_RANGE = 400         # decimal exponent of values no float holds (float64 ends near 1e308 and 5e-324)
FLOAT_RANGE_DIGITS = 330   # a zero that holds at this many digits more than the operands' scale rounds to 0
CONDITION_DIGITS = 60      # precision of the perturbed evaluations
PERTURBATION = mpmath.mpf("1e-20")  # relative change of an input when measuring the condition number
AGREEMENT_DIGITS = 24      # two precisions agreeing to this many digits settle float64 rounding
AGREEMENT = mpmath.mpf(10) ** -AGREEMENT_DIGITS
BEYOND_FLOATS = (mpmath.mpf(10) ** -OUT_OF_RANGE, mpmath.mpf(10) ** OUT_OF_RANGE)  # magnitudes no float comes near


def float_type(dtype: Any = "float64") -> type:
    """np.float64 or np.float32, from a name or a NumPy type."""
    if isinstance(dtype, str):
        if dtype not in DTYPES:
            raise ValueError(f"unknown dtype {dtype!r}: use one of {', '.join(DTYPES)}")
        return DTYPES[dtype]
    kind = np.dtype(dtype).type
    if kind not in SIGNIFICAND_BITS:
        raise ValueError(f"unsupported dtype {dtype!r}: use one of {', '.join(DTYPES)}")
    return kind


def dtype_name(dtype: Any) -> str:
    return np.dtype(float_type(dtype)).name


def to_sympy(value: Any) -> sympy.Expr:
    """A number, Fraction, SymPy expression or Expression (anything with a `symbolic_expr`) as a SymPy
    expression (never parses text)."""
    if isinstance(value, sympy.Expr):
        return value
    if hasattr(value, "symbolic_expr"):
        return value.symbolic_expr
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, numbers.Integral):
        return sympy.Integer(int(value))
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, numbers.Real):
        return sympy.Float(float(value))
    raise TypeError(f"cannot use {type(value).__name__} in an expression")


# ---------------------------------------------------------------------------------------------- float values
def float_values(function: Callable, rows: np.ndarray, dtype: Any = np.float64) -> np.ndarray:
    """A compiled NumPy function at every row (one column per variable), in `dtype`; NaN where it fails or the
    value is not real. CompileError when it calls a function NumPy does not have."""
    kind = float_type(dtype)
    columns = np.asarray(rows, dtype=kind).T
    with np.errstate(all="ignore"):
        try:
            value = np.asarray(function(*columns))
        except NameError as exc:
            raise CompileError(f"no NumPy evaluation: {exc}") from None
        except (ArithmeticError, ValueError, TypeError):
            return np.full(len(rows), np.nan, dtype=kind)
        if np.iscomplexobj(value):
            value = np.where(value.imag == 0, value.real, np.nan)
        return np.broadcast_to(value.astype(kind), (len(rows),))


def in_precision(expr: sympy.Expr, dtype: Any) -> sympy.Expr:
    """expr with its constant subexpressions (sqrt(2), log(2), pi/4) as plain numbers: NumPy computes them as
    float64 scalars, which would lift a float32 evaluation to float64."""
    if float_type(dtype) is np.float64:
        return expr

    def constant(node: sympy.Expr) -> bool:
        return (not node.is_Atom and node.is_number and not node.is_Rational
                and not isinstance(node, sympy.Piecewise))

    return expr.replace(constant, lambda node: sympy.Float(node.evalf(25), 25))


def compile_in(expr: sympy.Expr, variables: Sequence[sympy.Symbol], dtype: Any = np.float64) -> Callable:
    return compile_numpy(in_precision(expr, dtype), variables)


# ---------------------------------------------------------------------------------------------- exact values
def exact_value(expr: sympy.Expr, variables: Sequence[sympy.Symbol], point: Iterable[float],
                digits: int = EXACT_DIGITS) -> mpmath.mpf | None:
    """The real value at `point`, exact for every float purpose; None where it is undefined, infinite or not
    real; Unevaluable where no precision reaches it (exp(1e50)). Computed at `digits` plus the point's range of
    magnitudes in digits, then at twice as many until two agree to AGREEMENT_DIGITS. A zero must also hold at a
    precision that covers the floats' range and twice the point's range, since cancellation at too low a
    precision gives exactly 0 (log(1 + exp(-700)) at 60 digits, 1 - cos(1e-100) at 150)."""
    return _exact(compile_mpmath(expr, variables), point, digits)


def _exact(function: Callable, point: Iterable[float], digits: int = EXACT_DIGITS) -> mpmath.mpf | None:
    arguments = tuple(v if isinstance(v, mpmath.mpf) else _exactly(float(v)) for v in point)  # mpf: between floats
    spread = max((abs(math.log10(abs(float(v)))) for v in arguments if v and math.isfinite(v)), default=0.0)
    precision = max(int(digits), 15) + int(spread)  # N + 1 - N at N = 1e40 needs 40 digits before any agree
    zero_needs = min(precision + int(spread) + FLOAT_RANGE_DIGITS, MAX_EXACT_DIGITS)
    previous = _at_precision(function, arguments, precision)
    if previous is not None and previous != 0 and not BEYOND_FLOATS[0] < abs(previous) < BEYOND_FLOATS[1]:
        return previous  # far beyond any float's range (exp(1e300)), which no cancellation explains
    while precision < MAX_EXACT_DIGITS:
        unresolved_zero = previous == 0 and precision > EXACT_DIGITS
        precision = zero_needs if unresolved_zero and precision < zero_needs else min(2 * precision, MAX_EXACT_DIGITS)
        value = _at_precision(function, arguments, precision)
        if (value is not None and previous is not None and _agree(value, previous)
                and (value != 0 or precision >= zero_needs)):
            return value
        previous = value
    return previous


def _exactly(value: float) -> mpmath.mpf:
    """The float as an mpf, whatever the working precision (from_float keeps all 53 bits)."""
    return mpmath.mp.make_mpf(mpmath.libmp.from_float(value))


def _at_precision(function: Callable, arguments: tuple[mpmath.mpf, ...], digits: int) -> mpmath.mpf | None:
    """The function's value at `digits`, from exact arguments. The precision is set and restored by hand: a
    workdps context per evaluation costs as much as evaluating a small formula."""
    context = mpmath.mp
    saved = context.prec
    context.dps = digits
    try:
        value = function(*arguments)
        value = +value if type(value) is context.mpf else _real(value, digits)  # rounded: digamma gives more bits
        return value if value is not None and mpmath.isfinite(value) else None
    except (ArithmeticError, ValueError, TypeError, NameError, mpmath.libmp.NoConvergence):
        return None  # NoConvergence: mpmath's Bessel functions of huge orders
    finally:
        context.prec = saved


def _real(value: Any, digits: int) -> mpmath.mpf | None:
    """A value that is not an mpf, as one: the real part of a complex value whose imaginary part is rounding noise
    (else None), an integer or rational as an mpf at the working precision."""
    if isinstance(value, mpmath.mpc):
        if abs(value.imag) > abs(value.real) * mpmath.mpf(10) ** (-digits // 2):
            return None
        value = value.real
    return mpmath.mpf(value)


def _agree(a: mpmath.mpf, b: mpmath.mpf) -> bool:
    if a == b:
        return True
    return abs(a - b) <= abs(b) * AGREEMENT


def rounded(value: mpmath.mpf | None, dtype: Any = np.float64) -> float:
    """The correctly rounded value in `dtype` (±inf beyond its range, NaN for None), as a Python float."""
    if value is None:
        return math.nan
    kind = float_type(dtype)
    if kind is np.float32:
        with mpmath.workprec(SIGNIFICAND_BITS[np.float32]):
            value = +value
    try:
        result = float(value)
    except OverflowError:
        return math.copysign(math.inf, value)
    with np.errstate(over="ignore"):
        return float(kind(result))


def to_float(value: Any) -> float:
    """float64 rounding (±inf beyond its range)."""
    try:
        return float(value)
    except OverflowError:
        return math.copysign(math.inf, value)


# ---------------------------------------------------------------------------------------------- bits of error
def ordinals(values: np.ndarray, dtype: Any = np.float64) -> np.ndarray:
    """Each float's position in the ordered sequence of floats of its type (-0 and 0 share one), as int64."""
    kind = float_type(dtype)
    integers = np.asarray(values, dtype=kind).view(ORDINAL_TYPES[kind]).astype(np.int64)
    magnitude_mask = (1 << (TOTAL_BITS[kind] - 1)) - 1
    return np.where(integers < 0, -(integers & magnitude_mask), integers)


def error_bits(computed: np.ndarray, exact: np.ndarray, dtype: Any = np.float64) -> np.ndarray:
    """Herbie's error: log2(1 + floats between computed and exact) per point; the type's width for NaN. The
    distance is counted in unsigned integers (as float64 it would lose the last 9 bits of an ordinal)."""
    kind = float_type(dtype)
    computed = np.asarray(computed, dtype=kind)
    exact = np.asarray(exact, dtype=kind)
    bias = np.uint64(1 << 63)
    first = ordinals(computed, kind).astype(np.uint64) + bias  # wraps into the ordered unsigned range
    second = ordinals(exact, kind).astype(np.uint64) + bias
    with np.errstate(all="ignore"):
        distance = np.where(first >= second, first - second, second - first).astype(np.float64)
        bits = np.log2(1.0 + distance)
    return np.where(np.isnan(computed), float(TOTAL_BITS[kind]), np.minimum(bits, TOTAL_BITS[kind]))


# ---------------------------------------------------------------------------------------------- sampling
def inside(domain: Domain, values: np.ndarray) -> np.ndarray:
    """Whether each value lies in the domain, as an array of booleans."""
    return np.asarray(domain.contains(np.asarray(values)), dtype=bool)


def sample_floats(domain: Domain, count: int, rng: np.random.Generator, dtype: Any = np.float64,
                  magnitudes: tuple[float, float] = WORKING_MAGNITUDES) -> np.ndarray:
    """Floats of the domain whose magnitudes lie in `magnitudes`, drawn uniformly over their bit patterns as
    Herbie samples: every binade as likely as any other, so tiny and huge magnitudes are tried as often as
    ordinary ones. Stratified (one point in each of `count` equal slices, in random order), so that an average
    over few points varies little with the seed. (A domain that lies wholly outside `magnitudes`, like
    [1e20, 1e30], is sampled whole.)"""
    kind = float_type(dtype)
    tiny, huge = (max(m, float(np.finfo(kind).smallest_subnormal)) for m in magnitudes)
    huge = min(huge, float(np.finfo(kind).max))
    segments = []
    for low, high in ((-huge, -tiny), (tiny, huge)):
        low, high = max(low, domain.lo), min(high, domain.hi)
        if low <= high:
            segments.append(tuple(ordinals(np.array([low, high]), kind)))
    if not segments:
        return sample_floats(domain, count, rng, dtype, (0.0, math.inf))
    widths = np.array([high - low + 1 for low, high in segments])
    picks = rng.permutation((np.arange(count) + rng.random(count)) / count) * widths.sum()  # one per stratum
    positions = np.empty(count, dtype=np.int64)
    start = 0.0
    for (low, _), width in zip(segments, widths):
        chosen = (picks >= start) & (picks < start + width)
        positions[chosen] = (low + np.floor(picks[chosen] - start)).astype(np.int64)
        start += width
    values = _from_ordinals(positions, kind).astype(np.float64)
    kept = values[inside(domain, values)]
    if len(kept) == 0:
        middle = (domain.lo + domain.hi) / 2
        return np.full(count, middle if math.isfinite(middle) else 0.0)
    return kept if len(kept) == count else np.concatenate([kept, rng.choice(kept, count - len(kept))])


def _from_ordinals(positions: np.ndarray, kind: type) -> np.ndarray:
    integers = positions.astype(np.int64)
    sign_bit = np.int64(1) << (TOTAL_BITS[kind] - 1)
    raw = np.where(integers < 0, (-integers) | sign_bit, integers)
    unsigned = raw.astype(np.uint64) if kind is np.float64 else raw.astype(np.uint32)
    return unsigned.view(kind)


STRESS_VALUES = (0.0, 1e-8, -1e-8, 1.0, -1.0, 20.0, -20.0, 40.0, -40.0, 100.0, -100.0, 700.0, -700.0, 710.0,
                 -710.0, 1000.0, -1000.0)  # where ML formulas typically break: exp overflows past 709.78


@lru_cache(maxsize=256)
def _stability_rows(axes: tuple[Domain, ...], count: int, seed: int, kind: type) -> np.ndarray:
    """`count` points sampled like Herbie's, then the stress points inside the domain (every variable at once).
    Variables whose domain is unbounded are drawn at a common scale, within COMMON_SPREAD decades of one another,
    as an ML formula's inputs are (the logits of one softmax, the features of one layer norm); variables with a
    bounded domain are drawn independently over it."""
    rng = np.random.default_rng(seed)
    if not axes:
        return np.zeros((1, 0))
    columns = [sample_floats(domain, count, rng, kind) for domain in axes]
    unbounded = [j for j, d in enumerate(axes) if not (math.isfinite(d.lo) and math.isfinite(d.hi))]
    scale = np.abs(columns[unbounded[0]]) if unbounded else None
    for j in unbounded[1:]:
        assert scale is not None  # set from unbounded[0]
        domain = axes[j]
        sign = 1.0 if domain.lo >= 0 else -1.0 if domain.hi <= 0 else rng.choice([-1.0, 1.0], count)
        together = sign * scale * 10.0 ** rng.uniform(-COMMON_SPREAD, COMMON_SPREAD, count)
        columns[j] = np.where(inside(domain, together), together, columns[j])
    sampled = np.column_stack(columns)
    stress = [[value if domain.contains(value) else sampled[0, j] for j, domain in enumerate(axes)]
              for value in STRESS_VALUES if any(domain.contains(value) for domain in axes)]
    rows = np.vstack([sampled, np.array(stress).reshape(-1, len(axes))])
    rows.flags.writeable = False
    return rows


def stability_rows(variables: Sequence[sympy.Symbol], domains: Mapping[str, Domain] | None, count: int,
                   seed: int = 0, dtype: Any = np.float64) -> np.ndarray:
    """Points for measuring a formula's accuracy, one column per variable (read-only, shared)."""
    axes = tuple((domains or {}).get(v.name, REAL_LINE) for v in variables)
    return _stability_rows(axes, max(int(count), 1), seed, float_type(dtype))


@dataclass(frozen=True)
class Accuracy:
    """How well a formula evaluates in a float type over sampled points of its domain."""

    bits: float                        # average bits of error over the points where the exact value fits
    points: int                        # those points
    worst: dict[str, float] | None     # a point where it fails, the most ordinary one among the worst
    value: float | None                # the float result there
    exact: float | None                # the correctly rounded exact value there
    failing: float                     # the share of points with more than half the significand wrong
    dtype: str = "float64"
    nonfinite: int = 0                 # points (stress points included) where it is NaN or inf but the exact
                                       # value is a finite float: a failure no average excuses


def exact_values(expr: sympy.Expr, variables: Sequence[sympy.Symbol], rows: np.ndarray) -> list[mpmath.mpf | None]:
    """Exact values at the rows; None where undefined or out of reach (such a point is left out of a measure)."""
    function = compile_mpmath(expr, variables)
    return [_known(function, row) for row in rows]


def _known(function: Callable, row: np.ndarray) -> mpmath.mpf | None:
    try:
        return _exact(function, row)
    except Unevaluable:
        return None


def measure_accuracy(expr: sympy.Expr, variables: Sequence[sympy.Symbol], rows: np.ndarray,
                     dtype: Any = np.float64, exact: Sequence[mpmath.mpf | None] | None = None,
                     sampled: int | None = None) -> Accuracy:
    """Herbie's average bits of error of expr (compiled for NumPy in `dtype`) against its exact values (computed
    here unless given, one per row), over the points where the value is well-conditioned: where rounding the
    inputs to floats could not by itself change half its digits, so that an error there is the formula's fault
    (a layer norm's derivative near one of its zeros is left out; 1 - cos(x) at 1e-9 is not). Only the first
    `sampled` rows count for the average (the rest, stress points, can only be shown); CompileError when NumPy
    cannot evaluate it."""
    kind = float_type(dtype)
    computed = float_values(compile_in(expr, variables, kind), rows, kind)
    exact = exact_values(expr, variables, rows) if exact is None else exact
    reference = np.array([rounded(value, kind) for value in exact])
    valid = np.isfinite(reference)
    bits = np.zeros(len(rows))
    bits[valid] = error_bits(computed[valid], reference[valid], kind)
    limit = SIGNIFICAND_BITS[kind] / 2
    for i in np.flatnonzero(valid & (bits > limit) & np.isfinite(computed)):  # no perturbation explains a NaN
        if condition_number(expr, variables, rows[i], exact[int(i)]) > 2.0 ** limit:
            valid[i] = False
    counted = valid.copy()
    counted[len(rows) if sampled is None else sampled:] = False
    if not counted.any():
        return Accuracy(0.0, 0, None, None, None, 0.0, dtype_name(kind))
    bad = valid & (bits > limit)
    nonfinite = valid & ~np.isfinite(computed)
    worst = value = expected = None
    if bad.any():
        wrong = bad & (bits >= 0.9 * TOTAL_BITS[kind])  # inf, NaN, 0 for a tiny value: what a reader sees
        pool = np.flatnonzero(nonfinite if nonfinite.any() else wrong if wrong.any() else bad)
        i = pool[np.argmin(niceness(rows[pool]))]
        worst = {v.name: float(x) for v, x in zip(variables, rows[i])}
        value, expected = float(computed[i]), float(reference[i])
    return Accuracy(float(bits[counted].mean()), int(counted.sum()), worst, value, expected,
                    float(bad[counted].mean()), dtype_name(kind), int(nonfinite.sum()))


def condition_number(expr: sympy.Expr, variables: Sequence[sympy.Symbol], row: np.ndarray,
                     value: mpmath.mpf | None = None) -> float:
    """How much a relative change of the inputs changes the exact value, relatively: the sum over the variables
    of |x * df/dx| / |f|, measured with a tiny exact perturbation of each (inf where f is exactly 0)."""
    function = compile_mpmath(expr, variables)
    value = _known(function, row) if value is None else value
    if value is None:
        return math.inf
    spread = max((abs(math.log10(abs(float(v)))) for v in row if v != 0 and math.isfinite(v)), default=0.0)
    digits = CONDITION_DIGITS + int(2 * spread)  # enough for the change a perturbation of 1e-20 makes
    total = mpmath.mpf(0)
    for j, x in enumerate(row):
        if x == 0 or not math.isfinite(x):
            continue
        with mpmath.workdps(digits):
            point = [mpmath.mpf(float(v)) for v in row]
            try:
                here = _at_precision(function, tuple(point), digits)
                point[j] = point[j] * (1 + PERTURBATION)
                changed = _at_precision(function, tuple(point), digits)
            except Unevaluable:
                return math.inf
        if changed is None or here is None:
            return math.inf
        total += abs(changed - here)
    if value == 0:
        return 0.0 if total == 0 else math.inf
    return float(total / (abs(value) * PERTURBATION))


def niceness(rows: np.ndarray) -> np.ndarray:
    """How far each point's coordinates are from magnitude 1 (0 counts as nice): points are shown nicest first."""
    rows = np.atleast_2d(rows)
    with np.errstate(all="ignore"):
        distance = np.where(rows == 0, 0.0, np.abs(np.log10(np.abs(rows))))
    return distance.max(axis=1) if rows.shape[1] else np.zeros(len(rows))
