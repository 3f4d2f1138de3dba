"""Exact arithmetic for the labeller: mpmath values that carry a bound on their absolute error.

Every operation rounds to the context's precision and propagates its operands' error bounds to first order
(guarded where first order is not enough), so a result knows how far it can be from the true value. That is
what lets `labels.exact_value` raise the precision until the value is pinned down, including through
cancellation (`exp(x) - 1` at x = 1e-300), absorption (`log(1 + exp(-800))`) and overflow-free huge
intermediates (`exp(1e300)/(exp(1e300) + 1)`). While `TRACK.kinks` is a list, every kink (Max, Abs, Heaviside,
a comparison ...) notes the value whose sign decides it, keyed by call site, so that breakpoints can be found.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import mpmath

INF = math.inf
SCALE = 1024  # error bounds are log2 in units of 1/SCALE bit, as Python ints: exact at any magnitude


class Undefined(ArithmeticError):
    """The formula has no real value at this point."""


@dataclass
class Tracker:
    kinks: list | None = None
    path: list = field(default_factory=list)

    def note_kink(self, site: tuple, value) -> None:
        if self.kinks is not None:
            self.kinks.append(((*self.path, *site), value))


TRACK = Tracker()


def tracking(record_kinks: bool = False) -> Tracker:
    global TRACK
    TRACK = Tracker(kinks=[] if record_kinks else None)
    return TRACK


class Num:
    """A value `v` and SCALE*log2 of a bound on its absolute error (`le`, an int; -inf when exact)."""

    __slots__ = ("v", "le")

    def __init__(self, v, le: float = -INF):
        self.v, self.le = v, le

    def __neg__(self) -> "Num":
        return Num(-self.v, self.le)

    def __repr__(self) -> str:
        return f"Num({mpmath.nstr(self.v, 12)}, 2**{self.le / SCALE})"

    @property
    def finite(self) -> bool:
        return _finite(self.v)

    def uncertain_sign(self) -> bool:
        if not self.v:
            return self.le > -INF
        return self.le >= (mag(self.v) - 2) * SCALE


def mag(v) -> int:
    """An upper bound of log2|v| (|v| >= 2**(mag - 2) as a lower bound)."""
    _, man, exp, bc = v._mpf_
    return exp + bc if man else int(mpmath.mag(v))


def _finite(v) -> bool:
    _, man, exp, _ = v._mpf_
    return bool(man) or not exp  # mpmath's zero has exponent 0; inf and nan have no mantissa


def shifted(le, n: int):
    """le + n, where le may be infinite and n a huge int (int + float would overflow)."""
    return le if le in (INF, -INF) else le + n


def bits(n: float) -> int:
    """n bits as an error-bound offset (rounded up)."""
    return math.ceil(n * SCALE)


def lsum(*les):
    """The bound of a sum of errors: SCALE*log2 of the sum of 2**(le/SCALE)."""
    top = max(les)
    if top == INF or top == -INF:
        return top
    total = 0.0
    for le in les:
        if le != -INF and top - le < 2000 * SCALE:
            total += 2.0 ** ((le - top) / SCALE)
    return top + bits(math.log2(total))


def rounding(v):
    _, man, exp, bc = v._mpf_
    return (exp + bc - mpmath.mp.prec) * SCALE if man else -INF


def result(v, *les, rounded: bool = True) -> Num:
    if isinstance(v, mpmath.mpc):
        if v.imag:
            raise Undefined("complex value")
        v = v.real
    if not _finite(v):
        if mpmath.isnan(v):
            raise Undefined("nan")
        return Num(v, INF)
    return Num(v, lsum(*les, rounding(v) if rounded else -INF))


def _any_infinite(*nums: Num) -> bool:
    return any(not n.finite for n in nums)


def _exactly_or_rounded(exact):
    """The exact result if it fits the precision (then nothing was rounded), else rounded."""
    if exact._mpf_[3] <= mpmath.mp.prec:
        return exact, False
    return +exact, True


def add(a: Num, b: Num) -> Num:
    if _any_infinite(a, b):
        return Num(a.v + b.v, INF)
    if a.v and b.v and abs(mag(a.v) - mag(b.v)) > mpmath.mp.prec + 64:
        v, rounded = a.v + b.v, True
    else:
        v, rounded = _exactly_or_rounded(mpmath.fadd(a.v, b.v, exact=True))
    return result(v, a.le, b.le, rounded=rounded)


def sub(a: Num, b: Num) -> Num:
    return add(a, -b)


def mul(a: Num, b: Num) -> Num:
    if _any_infinite(a, b):
        return Num(a.v * b.v, INF)
    v, rounded = _exactly_or_rounded(mpmath.fmul(a.v, b.v, exact=True))
    terms = [-INF if -INF in (a.le, b.le) else INF if INF in (a.le, b.le) else a.le + b.le]
    if a.v:
        terms.append(shifted(b.le, mag(a.v) * SCALE))
    if b.v:
        terms.append(shifted(a.le, mag(b.v) * SCALE))
    return result(v, *terms, rounded=rounded)


def div(a: Num, b: Num) -> Num:
    if not b.v:
        raise Undefined("division by zero")
    if _any_infinite(a, b) or b.le > (mag(b.v) - 3) * SCALE:
        return Num(a.v / b.v, INF)
    v = a.v / b.v
    spread = lsum(a.le, shifted(b.le, mag(v) * SCALE) if v else -INF)
    return result(v, shifted(spread, -(mag(b.v) - 3) * SCALE))


def power(a: Num, b: Num) -> Num:
    if not a.v and b.v < 0:
        raise Undefined("0 to a negative power")
    if _any_infinite(a, b):
        return Num(a.v ** b.v, INF)
    if b.le == -INF and b.v == int(b.v) and abs(b.v) < 2 ** 30:
        n = int(b.v)
        if n == 0:
            return Num(mpmath.mpf(1))
        v = a.v ** n
        if a.le == -INF:
            return result(v)
        if not a.v or a.le > (mag(a.v) - 4) * SCALE - bits(math.log2(abs(n))):
            return Num(v, INF)
        return result(v, shifted(a.le, (mag(v) - mag(a.v) + 3) * SCALE + bits(math.log2(abs(n)))))
    if a.v < 0:
        raise Undefined("negative base to a non-integer power")
    if not a.v:
        return Num(mpmath.mpf(0), INF if a.le > -INF else -INF)
    if a.le > (mag(a.v) - 3) * SCALE:
        return Num(a.v ** b.v, INF)
    v = a.v ** b.v
    log_a = abs(mpmath.log(a.v))
    relative = lsum(shifted(a.le, bits(math.log2(abs(b.v))) - (mag(a.v) - 3) * SCALE) if b.v else -INF,
                    shifted(b.le, mag(log_a) * SCALE) if log_a else -INF)
    return Num(v, INF) if relative > -2 * SCALE else result(v, shifted(relative, (mag(v) + 1) * SCALE))


def big_exp(x):
    """exp(x) for huge |x| at high precision, much faster than mpmath's own at several thousand bits."""
    if mpmath.mp.prec <= 600 or abs(x) < 2 ** 64:
        return mpmath.exp(x)
    with mpmath.workprec(mpmath.mp.prec + mag(x) + 20):
        k = mpmath.floor(x / mpmath.ln2)
        r = x - k * mpmath.ln2
    return mpmath.ldexp(mpmath.exp(r), int(k))


def big_expm1(x):
    return big_exp(x) - 1 if abs(x) > 1 else mpmath.expm1(x)


def big_cosh(x):
    return (big_exp(x) + big_exp(-x)) / 2 if abs(x) > 1 else mpmath.cosh(x)


def big_sinh(x):
    return (big_exp(x) - big_exp(-x)) / 2 if abs(x) > 1 else mpmath.sinh(x)


def _unary(function, slope_mag, coarse=None):
    """A function of one argument whose derivative is at most 2**slope_mag(x, value) in magnitude.

    When the argument's error is too large for a first-order bound (over 1/2), `coarse(x, value)` may still
    bound the result's error in bits, given that the error is at most |x|/8: saturating functions far out."""
    def apply(site, x: Num) -> Num:
        if not x.finite:
            return Num(function(x.v), INF)
        v = function(x.v)
        if x.le == -INF:
            return result(v)
        if x.le > -SCALE:
            small = x.v and x.le <= (mag(x.v) - 5) * SCALE
            return result(v, coarse(x.v, v) * SCALE if coarse and small else INF)
        return result(v, shifted(x.le, (slope_mag(x.v, v) + 1) * SCALE))
    return apply


def _exp_coarse(x, v) -> int:
    """exp on [x - |x|/8, x + |x|/8] for x < 0 stays below exp(7x/8) <= exp(x/2)."""
    return mag(v) // 2 + 1 if x < 0 else INF


def _tanh_coarse(x, v) -> int:
    """tanh there stays within 2*exp(-7|x|/4) <= 4*exp(-|x|) of its sign."""
    if abs(x) > 10 ** 300:
        return -(10 ** 9)
    return min(1, 2 - int(abs(float(x)) * 1.4426950408889634))


def _gaussian_coarse(x, v) -> int:
    """erf and erfc there stay within exp(-(7x/8)**2) <= exp(-x**2/2) of their limits."""
    if abs(x) > 10 ** 150:
        return -(10 ** 9)
    return 2 - int(float(x * x) * 0.72134752044448170)


def _bounded(bound_bits: int):
    return lambda x, v: bound_bits


def _log(site, x: Num, base: Num | None = None) -> Num:
    if x.v < 0:
        raise Undefined("log of a negative number")
    if not x.v:
        return Num(mpmath.ninf, INF)
    if not x.finite:
        return Num(mpmath.log(x.v), INF)
    if x.le > (mag(x.v) - 3) * SCALE:
        return Num(mpmath.log(x.v), INF)
    value = result(mpmath.log(x.v), shifted(x.le, -(mag(x.v) - 3) * SCALE))
    return value if base is None else div(value, _log(site, base))


def _log1p(site, x: Num) -> Num:
    if x.v < -1:
        raise Undefined("log1p below -1")
    if x.v == -1:
        return Num(mpmath.ninf, INF)
    one_plus = 1 + x.v
    if x.le > (mag(one_plus) - 3) * SCALE:
        return Num(mpmath.log1p(x.v), INF)
    return result(mpmath.log1p(x.v), shifted(x.le, -(mag(one_plus) - 3) * SCALE))


def _sqrt(site, x: Num) -> Num:
    if x.v < 0:
        raise Undefined("sqrt of a negative number")
    v = mpmath.sqrt(x.v)
    if x.le in (INF, -INF):
        return result(v, x.le)
    bound = -(-x.le // 2)
    if v and x.le <= (mag(x.v) - 3) * SCALE:
        bound = min(bound, shifted(x.le, -(mag(v) - 2) * SCALE))
    return result(v, bound)


def _softplus(site, x: Num) -> Num:
    # softplus' = sigmoid <= softplus: a relative bound
    return _unary(lambda t: mpmath.log1p(big_exp(t)), lambda t, v: min(0, mag(v)) if v else 0)(site, x)


def _heaviside(site, x: Num, at_zero: Num | None = None) -> Num:
    TRACK.note_kink(site, x.v)
    if x.uncertain_sign():
        return Num(mpmath.mpf(1 if x.v > 0 else 0), INF)
    if x.v:
        return Num(mpmath.mpf(1 if x.v > 0 else 0))
    return Num(mpmath.mpf(1) / 2) if at_zero is None else at_zero


def _sign(site, x: Num) -> Num:
    TRACK.note_kink(site, x.v)
    return Num(mpmath.mpf(mpmath.sign(x.v)), INF if x.uncertain_sign() else -INF)


def _abs(site, x: Num) -> Num:
    TRACK.note_kink(site, x.v)
    return Num(abs(x.v), x.le)


def _extreme(pick):
    def apply(site, *args: Num) -> Num:
        for i, a in enumerate(args):
            for j, b in enumerate(args[i + 1:], i + 1):
                TRACK.note_kink((*site, i, j), a.v - b.v)
        chosen = pick(args, key=lambda n: n.v)
        close = [n.le for n in args if n is chosen or _within(n, chosen)]
        return Num(chosen.v, max(close))
    return apply


def _within(a: Num, b: Num) -> bool:
    spread = lsum(a.le, b.le)
    return spread == INF or (spread > -INF and abs(a.v - b.v) <= mpmath.ldexp(1, spread // SCALE + 1))


_max, _min = _extreme(max), _extreme(min)


def _clip(site, x: Num, lo: Num, hi: Num) -> Num:
    return _min((*site, "hi"), _max((*site, "lo"), x, lo), hi)


def _negligible_erfc(x) -> bool:
    """erfc(x) < exp(-x**2) is below 2**-(precision + 10)."""
    return x * x > (mpmath.mp.prec + 10) * 0.7


def _erfc(x):
    """mpmath's erfc, without its slow paths: 2 - erfc(-x) for x < 0, an asymptotic series beyond 1e100."""
    if x < 0:
        return mpmath.mpf(2) if _negligible_erfc(x) else 2 - _erfc(-x)
    if x < 10 ** 100:
        return mpmath.erfc(x)
    term, total, n = mpmath.mpf(1), mpmath.mpf(1), 1
    while abs(term) > mpmath.ldexp(1, -mpmath.mp.prec - 8):
        term *= -(2 * n - 1) / (2 * x * x)
        total += term
        n += 1
    return big_exp(-x * x) / (x * mpmath.sqrt(mpmath.pi)) * total


def _erf(x):
    """mpmath's erf below |x| = 6; 1 - erfc beyond (mpmath's erf is slow there at high precision)."""
    if abs(x) < 6:
        return mpmath.erf(x)
    return mpmath.sign(x) * (1 if _negligible_erfc(x) else 1 - _erfc(abs(x)))


def _gaussian_slope(x, v) -> int:
    """erf' and erfc' are 2/sqrt(pi)*exp(-x**2): log2 of that, bounded above."""
    if abs(x) > 10 ** 150:
        return -(10 ** 9)
    return 1 - int(float(x * x) * 1.4426950408889634)


def _erfc_slope(x, v) -> int:
    """erfc' relative to erfc: |erfc'(x)| <= (2x + 2)*erfc(x) for x > 0 (Mills' ratio); at most 2 otherwise."""
    return mag(v) + mag(2 * x + 2) + 1 if x > 0 else 1


def _tanh_slope(x, v) -> int:
    """tanh' = 1/cosh(x)**2 <= 4*exp(-2|x|)."""
    if abs(x) > 10 ** 300:
        return -(10 ** 9)
    return min(0, 2 - int(2 * abs(float(x)) * 1.4426950408889634))


def _reciprocal_slope(x, v) -> int:
    """atan' = 1/(1 + x**2) and asinh' = 1/sqrt(1 + x**2) are at most 1, and 1/|x| beyond 1."""
    return 0 if abs(x) <= 1 else -(mag(x) - 2)


def _exp_slope(x, v):
    return mag(v) if v else -(10 ** 9)


FUNCTIONS = {
    "exp": _unary(big_exp, _exp_slope, _exp_coarse),
    "expm1": _unary(big_expm1, lambda x, v: max(mag(v) if v else 0, 0) + 1),
    "log": _log, "ln": _log, "log1p": _log1p,
    "log2": lambda site, x: _log(site, x, Num(mpmath.mpf(2))),
    "log10": lambda site, x: _log(site, x, Num(mpmath.mpf(10))),
    "sqrt": _sqrt,
    "pow": lambda site, a, b: power(a, b),
    "sin": _unary(mpmath.sin, lambda x, v: 0, _bounded(1)), "cos": _unary(mpmath.cos, lambda x, v: 0, _bounded(1)),
    "tan": _unary(mpmath.tan, lambda x, v: max(0, 2 * mag(v)) + 1 if v else 0),
    "atan": _unary(mpmath.atan, _reciprocal_slope, _bounded(2)),
    "sinh": _unary(big_sinh, lambda x, v: max(mag(v) if v else 0, 0) + 1),
    "cosh": _unary(big_cosh, lambda x, v: mag(v) + 1),
    "tanh": _unary(mpmath.tanh, _tanh_slope, _tanh_coarse), "asinh": _unary(mpmath.asinh, _reciprocal_slope),
    "erf": _unary(_erf, _gaussian_slope, _gaussian_coarse), "erfc": _unary(_erfc, _erfc_slope, _gaussian_coarse),
    "softplus": _softplus,
    "Abs": _abs, "abs": _abs, "sign": _sign, "Heaviside": _heaviside,
    "Max": _max, "max": _max, "Min": _min, "min": _min, "clip": _clip,
}


@functools.lru_cache(maxsize=4096)
def _number(text: str, prec: int) -> Num:
    """A literal at a precision (Num is never changed in place, so one object can serve every use)."""
    v = mpmath.mpf(text)
    return Num(v) if text.isdigit() else result(v)


class Exact:
    """The compiler's backend for exact values: mpmath at the current precision, with error bounds."""

    name = "exact"
    add, sub, mul, div, power = staticmethod(add), staticmethod(sub), staticmethod(mul), staticmethod(div), \
        staticmethod(power)

    def number(self, text: str) -> Num:
        return _number(text, mpmath.mp.prec)

    def constant(self, name: str) -> Num:
        return result(+{"pi": mpmath.pi, "E": mpmath.e}[name])

    def compare(self, site, op: str, a: Num, b: Num) -> bool:
        TRACK.note_kink(site, a.v - b.v)
        return {"<": a.v < b.v, "<=": a.v <= b.v, ">": a.v > b.v, ">=": a.v >= b.v}[op]

    def piecewise(self, site, pairs, env):
        for value, condition in pairs:
            if condition(env):
                return value(env)
        raise Undefined("no Piecewise branch applies")

    def where(self, site, condition, a, b, env):
        return a(env) if condition(env) else b(env)

    def call(self, site, name: str, args: list[Num]) -> Num:
        return FUNCTIONS[name](site, *args)

    def derivative(self, along, at: Num, order: int) -> Num:
        """A user function's derivative inside a formula (`f'(x)` in a claim): mpmath.diff, taken as good to
        half the precision, and only where the point itself is known to 10 bits."""
        if at.uncertain_sign() or (at.v and at.le > (mag(at.v) - 10) * SCALE):
            return Num(mpmath.mpf(0), INF)
        v = mpmath.diff(lambda t: along(Num(t)).v, at.v, order)
        return Num(v, ((mag(v) if v else 0) - mpmath.mp.prec // 2) * SCALE)


EXACT = Exact()
