"""Rewrites against cancellation: a difference of nearly equal values loses the digits they share, so each rule
rewrites it into an equal form whose subtraction, if any, happens before rounding, or, where no identity helps,
splits the domain and uses a Taylor series near the point where the terms cancel (as Herbie does):

- exp(u) - 1 -> expm1(u); (1 + u)**p - 1 -> expm1(p*log1p(u)); exp(u) - exp(v) -> exp(v)*expm1(u - v);
  exp(u) + exp(-u) - 2 -> 4*sinh(u/2)**2;
  exp(u)/(exp(u) - 1) -> -1/expm1(-u); (exp(2u) - 1)/(exp(u) - 1) -> exp(u) + 1;
- log(1 + u) -> log1p(u), also factor by factor in a log of a product; log(a) - log(b) -> log1p((a - b)/b);
  a*log(a) - b*log(b) likewise;
- a**p - b**p: conjugates for square and cube roots, b**p*expm1(p*log1p((a - b)/b)) otherwise;
  sqrt(A) + c -> (A - c**2)/(sqrt(A) - c) where c < 0 (the quadratic formula's citardauq root);
- 1 - cos(u) -> 2*sin(u/2)**2, and over sin(u) tan(u/2); sum-to-product for sin, cos, tan; atan(a) - atan(b);
- sums of rational fractions over one denominator when their leading terms cancel;
- a Taylor regime near 0 for what is left (x - sin(x), x - tan(x), 1/x - cot(x) and their quotients).

A rewrite applies only when the difference it computes first (a - b, A - c**2) simplifies, so unrelated
differences are left alone.

Every rule looks at one node whose arguments are already rewritten, returns None when it does not apply, and
bounds its symbolic work by the size of the node: expansion, `together` and series only run on small operands.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Iterator

import sympy
from sympy.codegen.cfunctions import expm1, log1p

MAX_OPERAND_NODES = 40      # operands larger than this are not expanded, combined or differenced symbolically
MAX_SERIES_NODES = 24       # a quotient of regimes expanded in series has at most this many nodes
MAX_DIFFERENCE_NODES = 12   # and a difference (x - sin(x)): beyond, SymPy's series of a sigmoid'' costs seconds
MAX_SERIES_TERMS = 8        # nonzero terms of the Taylor polynomial used near the cancelling point
MAX_SERIES_ORDER = 40       # the series is never computed past this order
SERIES_TOLERANCE = 2.0 ** -55  # the first neglected term is this small beside the leading one inside the regime
TRANSCENDENTAL = (sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sinh, sympy.cosh, sympy.tanh, sympy.exp,
                  sympy.log, sympy.atan, sympy.asin, sympy.asinh, sympy.atanh, expm1, log1p)
HALF, THIRD = sympy.Rational(1, 2), sympy.Rational(1, 3)


# ---------------------------------------------------------------------------------------------- helpers
def _small(expr: sympy.Basic, limit: int = MAX_OPERAND_NODES) -> bool:
    """Whether expr has at most `limit` nodes (stops counting there)."""
    for count, _ in enumerate(sympy.preorder_traversal(expr)):
        if count >= limit:
            return False
    return True


def _ops(expr: sympy.Expr) -> int:
    return sympy.count_ops(expr)


def _simpler_difference(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr | None:
    """a - b when like terms cancel in it (x + 1 - x is 1), so computing it first removes the cancellation;
    else None. Small operands are expanded to find the cancelling terms ((x + 1)**2 - x**2 is 2*x + 1)."""
    if not (_small(a) and _small(b)):
        return None
    budget = _ops(a) + _ops(b)
    difference = a - b
    for attempt in (lambda: difference, lambda: sympy.expand(difference)):
        simplified = attempt()
        if simplified == 0:
            return None
        if simplified.is_number or _ops(simplified) < budget:
            return simplified
    return None


def _pairs(node: sympy.Add) -> Iterator[tuple[sympy.Expr, sympy.Expr, sympy.Expr, sympy.Expr]]:
    """Every reading of the sum as k*(f - g) + rest, k > 0 a number, from two of its terms k*f and -k*g."""
    terms = node.args
    for i, first in enumerate(terms):
        k, f = first.as_coeff_Mul()
        if not k.is_positive or f == 1:
            continue
        for j, second in enumerate(terms):
            m, g = second.as_coeff_Mul()
            if j != i and m == -k and g != 1:
                rest = sympy.Add(*(t for n, t in enumerate(terms) if n not in (i, j)))
                yield k, f, g, rest


def _log_argument(node: sympy.Expr) -> sympy.Expr | None:
    """a when node is log(a), 1 + u when node is log1p(u); else None."""
    if isinstance(node, sympy.log):
        return node.args[0]
    if isinstance(node, log1p):
        return 1 + node.args[0]
    return None


def _minus_one(argument: sympy.Expr) -> sympy.Expr | None:
    """u when argument is 1 + u (u not a number)."""
    if isinstance(argument, sympy.Add):
        constant, rest = argument.as_coeff_Add()
        if constant == 1 and not rest.is_number:
            return rest
    return None


def _known_nonnegative(expr: sympy.Expr) -> bool:
    """Structurally >= 0 wherever real: a positive multiple of square roots, even powers, Abs or exp."""
    coefficient, rest = expr.as_coeff_Mul()
    if not coefficient.is_nonnegative:
        return False
    return all(isinstance(f, (sympy.Abs, sympy.exp)) or (isinstance(f, sympy.Pow) and f.exp == HALF)
               or (isinstance(f, sympy.Pow) and f.exp.is_even) or f.is_nonnegative
               for f in sympy.Mul.make_args(rest))


# ---------------------------------------------------------------------------------------------- logarithms
def log_of_one_plus(node: sympy.Expr) -> sympy.Expr | None:
    """log(1 + u) = log1p(u); log((1 + u)*(1 + v)**-1) = log1p(u) - log1p(v), each factor 1 + w of a product
    taking log1p (the other factors keep log, so positive factors are assumed: checked where it is measured)."""
    if not isinstance(node, sympy.log):
        return None
    argument = node.args[0]
    u = _minus_one(argument)
    if u is not None:
        return log1p(u)
    if not isinstance(argument, (sympy.Mul, sympy.Pow)) or not _small(argument):
        return None
    logs, any_log1p = [], False
    for factor in sympy.Mul.make_args(argument):
        base, exponent = factor.as_base_exp()
        w = _minus_one(base)
        any_log1p |= w is not None
        logs.append(exponent * (log1p(w) if w is not None else sympy.log(base)))
    return sympy.Add(*logs) if any_log1p else None


def log_difference(node: sympy.Expr) -> sympy.Expr | None:
    """log(a) - log(b) = log1p((a - b)/b) when a - b simplifies (log(N + 1) - log(N) = log1p(1/N))."""
    if not isinstance(node, sympy.Add):
        return None
    for k, f, g, rest in _pairs(node):
        a, b = _log_argument(f), _log_argument(g)
        if a is None or b is None:
            continue
        difference = _simpler_difference(a, b)
        if difference is not None:
            return k * log1p(difference / b) + rest
    return None


def _x_log_x(term: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr] | None:
    """(k, a, log-node) when term is k*a*log(a) (or k*a*log1p(a - 1))."""
    k, rest = term.as_coeff_Mul()
    factors = sympy.Mul.make_args(rest)
    if len(factors) != 2:
        return None
    for log_node, a in (factors, factors[::-1]):
        if _log_argument(log_node) is not None and sympy.expand(_log_argument(log_node) - a) == 0:
            return k, a, log_node
    return None


def x_log_x_difference(node: sympy.Expr) -> sympy.Expr | None:
    """a*log(a) - b*log(b) = (a - b)*log(a) + b*log1p((a - b)/b) when a - b simplifies (Hamming's
    (N + 1)*log(N + 1) - N*log(N))."""
    if not isinstance(node, sympy.Add) or not _small(node, 2 * MAX_OPERAND_NODES):
        return None
    candidates = [(n, _x_log_x(t)) for n, t in enumerate(node.args)]
    found = [(n, f) for n, f in candidates if f is not None]
    for i, (k, a, log_a) in found:
        for j, (m, b, _) in found:
            difference = _simpler_difference(a, b) if m == -k and i != j else None
            if difference is not None:
                rest = sympy.Add(*(t for n, t in enumerate(node.args) if n not in (i, j)))
                return k * (difference * log_a + b * log1p(difference / b)) + rest
    return None


# ---------------------------------------------------------------------------------------------- exponentials
def exp_minus_one(node: sympy.Expr) -> sympy.Expr | None:
    """k*exp(u) - k = k*expm1(u), the constant on either side and other terms around it."""
    if not isinstance(node, sympy.Add):
        return None
    constant, _ = node.as_coeff_Add()
    if constant == 0:
        return None
    for term in node.args:
        k, power = term.as_coeff_Mul()
        if isinstance(power, sympy.exp) and k == -constant:
            return node - term - constant + k * expm1(power.args[0])
    return None


def power_minus_one(node: sympy.Expr) -> sympy.Expr | None:
    """k*(1 + u)**p - k = k*expm1(p*log1p(u)) for a power that is not a whole number (compound interest)."""
    if not isinstance(node, sympy.Add):
        return None
    constant, _ = node.as_coeff_Add()
    for term in node.args:
        k, power = term.as_coeff_Mul()
        if isinstance(power, sympy.Pow) and k == -constant and k != 0 and not power.exp.is_integer:
            u = _minus_one(power.base)
            if u is not None:
                return node - term - constant + k * expm1(power.exp * log1p(u))
    return None


def exp_pair_minus_two(node: sympy.Expr) -> sympy.Expr | None:
    """k*exp(u) + k*exp(-u) - 2*k = 4*k*sinh(u/2)**2 and k*cosh(u) - k = 2*k*sinh(u/2)**2."""
    if not isinstance(node, sympy.Add):
        return None
    constant, _ = node.as_coeff_Add()
    terms = [t.as_coeff_Mul() for t in node.args]
    for k, f in terms:
        if isinstance(f, sympy.cosh) and constant == -k:
            return node - k * f - constant + 2 * k * sympy.sinh(f.args[0] / 2) ** 2
        if isinstance(f, sympy.exp) and constant == -2 * k and (k, sympy.exp(-f.args[0])) in terms:
            u = f.args[0]
            return node - k * f - k * sympy.exp(-u) - constant + 4 * k * sympy.sinh(u / 2) ** 2
    return None


def exp_difference(node: sympy.Expr) -> sympy.Expr | None:
    """exp(u) - exp(v) = exp(v)*expm1(u - v) when u - v simplifies."""
    if not isinstance(node, sympy.Add):
        return None
    for k, f, g, rest in _pairs(node):
        if isinstance(f, sympy.exp) and isinstance(g, sympy.exp):
            difference = _simpler_difference(f.args[0], g.args[0])
            if difference is not None:
                return k * g * expm1(difference) + rest
    return None


def expm1_quotient(node: sympy.Expr) -> sympy.Expr | None:
    """exp(u)/expm1(u) = -1/expm1(-u), expm1(u)/exp(u) = -expm1(-u) (finite where exp overflows) and
    expm1(2*u)/expm1(u) = exp(u) + 1 (a difference of squares)."""
    if not isinstance(node, sympy.Mul):
        return None
    factors = list(node.args)
    for n, factor in enumerate(factors):
        base, exponent = factor.as_base_exp()
        if not isinstance(base, expm1) or exponent not in (1, -1):
            continue
        u = base.args[0]
        others = factors[:n] + factors[n + 1:]
        wanted = sympy.exp(u) if exponent == -1 else sympy.exp(-u)
        if wanted in others:
            others.remove(wanted)
            replacement = -1 / expm1(-u) if exponent == -1 else -expm1(-u)
            return sympy.Mul(*others, replacement)
        if exponent == -1 and expm1(2 * u) in others:
            others.remove(expm1(2 * u))
            return sympy.Mul(*others, sympy.exp(u) + 1)
    return None


# ---------------------------------------------------------------------------------------------- roots
def root_difference(node: sympy.Expr) -> sympy.Expr | None:
    """a**p - b**p with a - b simplifying: sqrt(a) - sqrt(b) = (a - b)/(sqrt(a) + sqrt(b)),
    1/sqrt(a) - 1/sqrt(b) = (b - a)/(sqrt(a)*sqrt(b)*(sqrt(a) + sqrt(b))),
    cbrt(a) - cbrt(b) = (a - b)/(cbrt(a)**2 + cbrt(a)*cbrt(b) + cbrt(b)**2), and any other power
    a**p - b**p = b**p*expm1(p*log1p((a - b)/b)) where the two powers are within a factor e of each other
    (the original elsewhere, where they do not cancel)."""
    if not isinstance(node, sympy.Add):
        return None
    for k, f, g, rest in _pairs(node):
        if not (isinstance(f, sympy.Pow) and isinstance(g, sympy.Pow) and f.exp == g.exp):
            continue
        a, b, p = f.base, g.base, f.exp
        p = sympy.Rational(p) if p.is_Float else p  # 0.5 is the square root
        if p.is_integer:
            continue
        d = _simpler_difference(a, b)
        if d is None:
            continue
        return k * _power_difference(a, b, p, d) + rest
    return None


def _power_difference(a: sympy.Expr, b: sympy.Expr, p: sympy.Expr, d: sympy.Expr) -> sympy.Expr:
    if p == HALF:
        return d / (sympy.sqrt(a) + sympy.sqrt(b))
    if p == -HALF:
        return -d / (sympy.sqrt(a) * sympy.sqrt(b) * (sympy.sqrt(a) + sympy.sqrt(b)))
    if p == THIRD:
        ca, cb = a ** THIRD, b ** THIRD
        return d / (ca ** 2 + ca * cb + cb ** 2)
    log_ratio = p * log1p(d / b)
    far = _power(a, p) - _power(b, p)
    return sympy.Piecewise((b ** p * expm1(log_ratio), sympy.Abs(log_ratio) < 1), (far, True))


def _power(base: sympy.Expr, p: sympy.Expr) -> sympy.Expr:
    """base**p, as exp(p*log1p(u)) when base is 1 + u with |u| < 1, where rounding 1 + u would lose u before a
    large power magnifies the loss."""
    u = _minus_one(base)
    if u is None:
        return base ** p
    return sympy.Piecewise((sympy.exp(p * log1p(u)), sympy.Abs(u) < 1), (base ** p, True))


def conjugate_root(node: sympy.Expr) -> sympy.Expr | None:
    """k*(sqrt(A) + c) = k*(A - c**2)/(sqrt(A) - c) when A - c**2 simplifies, used where c < 0 (where the terms
    cancel; elsewhere the sum is accurate): the quadratic formula's cancelling root becomes the citardauq form."""
    if not isinstance(node, sympy.Add):
        return None
    for term in node.args:
        k, root = term.as_coeff_Mul()
        if not (isinstance(root, sympy.Pow) and root.exp == HALF) or k == 0:
            continue
        c = (node - term) / k
        if c.has(root):
            continue
        numerator = _simpler_difference(root.base, c ** 2)
        if numerator is None:
            continue
        conjugate = numerator / (root - c)
        if _known_nonnegative(-c):
            return k * conjugate
        return k * sympy.Piecewise((conjugate, c < 0), (root + c, True))
    return None


# ---------------------------------------------------------------------------------------------- trigonometry
def one_minus_cos(node: sympy.Expr) -> sympy.Expr | None:
    """k - k*cos(u) = 2*k*sin(u/2)**2 (and k*cos(u) - k = -2*k*sin(u/2)**2)."""
    if not isinstance(node, sympy.Add):
        return None
    constant, _ = node.as_coeff_Add()
    for term in node.args:
        k, f = term.as_coeff_Mul()
        if isinstance(f, sympy.cos) and constant == -k and k != 0:
            return node - term - constant - 2 * k * sympy.sin(f.args[0] / 2) ** 2
    return None


def half_angle_quotient(node: sympy.Expr) -> sympy.Expr | None:
    """sin(v)**2/sin(2*v) = tan(v)/2, so (1 - cos(x))/sin(x), once 2*sin(x/2)**2/sin(x), is tan(x/2): the square
    of a tiny sine would underflow."""
    if not isinstance(node, sympy.Mul):
        return None
    factors = list(node.args)
    for factor in factors:
        base, exponent = factor.as_base_exp()
        if isinstance(base, sympy.sin) and exponent == 2:
            denominator = 1 / sympy.sin(2 * base.args[0])
            if denominator in factors:
                others = [f for f in factors if f not in (factor, denominator)]
                return sympy.Mul(*others, sympy.tan(base.args[0]) / 2)
    return None


def trig_difference(node: sympy.Expr) -> sympy.Expr | None:
    """Sum-to-product when a - b simplifies to d: sin(a) - sin(b) = 2*cos(b + d/2)*sin(d/2),
    cos(a) - cos(b) = -2*sin(b + d/2)*sin(d/2), tan(a) - tan(b) = sin(d)/(cos(a)*cos(b)), with the sine or
    cosine of b + d/2 (and cos(a) = cos(b + d)) expanded by the angle-addition formulas, so a small d is not
    rounded away against a large b; atan(a) - atan(b) = atan(d/(1 + a*b)) on the branch a*b > -1 (the original
    elsewhere)."""
    if not isinstance(node, sympy.Add):
        return None
    for k, f, g, rest in _pairs(node):
        if type(f) is not type(g) or not isinstance(f, (sympy.sin, sympy.cos, sympy.tan, sympy.atan)):
            continue
        a, b = f.args[0], g.args[0]
        d = _simpler_difference(a, b)
        if d is not None:
            return k * _sum_to_product(type(f), a, b, d) + rest
    return None


def _sin_of_sum(b: sympy.Expr, h: sympy.Expr) -> sympy.Expr:
    return sympy.sin(b) * sympy.cos(h) + sympy.cos(b) * sympy.sin(h)


def _cos_of_sum(b: sympy.Expr, h: sympy.Expr) -> sympy.Expr:
    return sympy.cos(b) * sympy.cos(h) - sympy.sin(b) * sympy.sin(h)


def _sum_to_product(function: type, a: sympy.Expr, b: sympy.Expr, d: sympy.Expr) -> sympy.Expr:
    if function is sympy.sin:
        return 2 * _cos_of_sum(b, d / 2) * sympy.sin(d / 2)
    if function is sympy.cos:
        return -2 * _sin_of_sum(b, d / 2) * sympy.sin(d / 2)
    if function is sympy.tan:
        return sympy.sin(d) / (sympy.cos(b) * _cos_of_sum(b, d))
    return sympy.Piecewise((sympy.atan(d / (1 + a * b)), a * b > -1), (sympy.atan(a) - sympy.atan(b), True))


# ---------------------------------------------------------------------------------------------- fractions
def combined_fractions(node: sympy.Expr) -> sympy.Expr | None:
    """A sum of rational fractions over one denominator, its numerator expanded, when the leading terms cancel
    there: 1/(x + 1) - 1/x = -1/(x*(x + 1)), 1/(x + 1) - 2/x + 1/(x - 1) = 2/(x*(x - 1)*(x + 1))."""
    if not isinstance(node, sympy.Add) or not _small(node):
        return None
    symbols = sorted(node.free_symbols, key=lambda s: s.name)
    fractions = [sympy.fraction(t) for t in node.args]
    if not symbols or sum(1 for _, d in fractions if d.has(*symbols)) < 2:
        return None
    if not all(p.is_polynomial(*symbols) and q.is_polynomial(*symbols) for p, q in fractions):
        return None
    numerator, denominator = sympy.fraction(sympy.together(node))
    expanded = sympy.expand(numerator)
    expected = max(_degree(p, symbols) + _degree(denominator, symbols) - _degree(q, symbols) for p, q in fractions)
    if _degree(expanded, symbols) >= expected:
        return None
    return expanded / denominator


def _degree(polynomial: sympy.Expr, symbols: list[sympy.Symbol]) -> int:
    return sympy.Poly(polynomial, *symbols).total_degree()


def factor_into_piecewise(node: sympy.Expr) -> sympy.Expr | None:
    """k*Piecewise((a, c), (b, True)) = Piecewise((k*a, c), (k*b, True)) when part of k cancels in a branch:
    the citardauq root -4*a*c/(b + sqrt(d)) over 2*a becomes -2*c/(b + sqrt(d)), with no a*c to overflow."""
    if not isinstance(node, sympy.Mul) or not _small(node, 2 * MAX_OPERAND_NODES):
        return None
    pieces = [f for f in node.args if isinstance(f, sympy.Piecewise)]
    if len(pieces) != 1:
        return None
    others = sympy.Mul(*(f for f in node.args if f is not pieces[0]))
    branches = [(others * e, c) for e, c in pieces[0].args]
    if not any(_ops(folded) < _ops(e) + _ops(others) for (folded, _), (e, _) in zip(branches, pieces[0].args)):
        return None
    return sympy.Piecewise(*branches)


# ---------------------------------------------------------------------------------------------- series
def series_near_zero(node: sympy.Expr) -> sympy.Expr | None:
    """Where no identity removes the cancellation (x - sin(x), x - tan(x), 1/x - cot(x)): the terms' leading
    parts cancel at 0, so near 0 the Taylor polynomial is used, Piecewise((series, Abs(x) < c), (node, True)),
    with c where the first neglected term is below the float's rounding error. A product or quotient of such
    regimes ((x - sin(x))/(x - tan(x))) gets one series of its own, whose terms do not underflow together."""
    if len(node.free_symbols) != 1 or not isinstance(node, (sympy.Add, sympy.Mul)):
        return None
    x = next(iter(node.free_symbols))
    plain = _plain(_without_regimes(node))
    if not _small(plain, MAX_SERIES_NODES) or not plain.has(*TRANSCENDENTAL):
        return None
    if (isinstance(node, sympy.Add) and not node.has(sympy.Piecewise) and _small(plain, MAX_DIFFERENCE_NODES)
            and _cancels_at_zero(plain, x)):
        return _regime_split(plain, x, node)
    if isinstance(node, sympy.Mul) and any(_is_regime(f.as_base_exp()[0]) for f in node.args):
        return _regime_split(plain, x, node)
    return None


def _plain(node: sympy.Expr) -> sympy.Expr:
    """expm1 and log1p written with exp and log, whose series SymPy knows."""
    return node.replace(lambda e: isinstance(e, expm1), lambda e: sympy.exp(e.args[0]) - 1).replace(
        lambda e: isinstance(e, log1p), lambda e: sympy.log(1 + e.args[0]))


def _is_regime(node: sympy.Expr) -> bool:
    """Whether node is a Piecewise((series, Abs(x) < c), (original, True)) made by series_near_zero."""
    return (isinstance(node, sympy.Piecewise) and len(node.args) == 2 and node.args[1].cond == sympy.true
            and isinstance(node.args[0].cond, sympy.StrictLessThan) and isinstance(node.args[0].cond.lhs, sympy.Abs))


def _without_regimes(node: sympy.Expr) -> sympy.Expr:
    return node.replace(_is_regime, lambda regime: regime.args[1].expr)


def _cancels_at_zero(node: sympy.Expr, x: sympy.Symbol) -> bool:
    if not isinstance(node, sympy.Add):
        return False
    orders = [_leading_order(t, x) for t in node.args]
    known = [o for o in orders if o is not None]
    if len(known) != len(orders):
        return False
    total = _leading_order(node, x)
    return total is not None and total > min(known)


@lru_cache(maxsize=256)
def _regime_split(node: sympy.Expr, x: sympy.Symbol, fallback: sympy.Expr) -> sympy.Expr | None:
    lowest = _leading_order(node, x)
    terms = None if lowest is None else _series_terms(node, x, lowest)
    if terms is None:
        return None
    kept, (next_coefficient, next_order) = terms[:-1], terms[-1]
    lead_coefficient, lead_order = kept[0]
    ratio = float(abs(lead_coefficient / next_coefficient)) * SERIES_TOLERANCE
    radius = ratio ** (1.0 / float(next_order - lead_order))
    if not math.isfinite(radius) or radius <= 0:
        return None
    radius = sympy.Float(float(f"{radius:.3g}"), 3)
    polynomial = sympy.Add(*(c * x ** k for c, k in kept))
    return sympy.Piecewise((polynomial, sympy.Abs(x) < radius), (fallback, True))


def _leading_order(term: sympy.Expr, x: sympy.Symbol) -> sympy.Rational | None:
    try:
        _, order = term.as_leading_term(x).as_coeff_exponent(x)
    except (NotImplementedError, ValueError, TypeError, sympy.PoleError):
        return None
    return order if order.is_Rational else None


def _series_terms(node: sympy.Expr, x: sympy.Symbol, lowest: sympy.Rational) -> list | None:
    """The first MAX_SERIES_TERMS + 1 nonzero terms (coefficient, order) of node's series at 0, or None."""
    order = int(lowest) + 2 * MAX_SERIES_TERMS + 4
    while order <= MAX_SERIES_ORDER:
        try:
            expansion = sympy.series(node, x, 0, order).removeO()
        except (NotImplementedError, ValueError, TypeError, sympy.PoleError):
            return None
        terms = sorted((_coefficient_order(t, x) for t in sympy.Add.make_args(expansion)), key=lambda t: t[1])
        if any(c is None or not c.is_number for c, _ in terms):
            return None
        if len(terms) > MAX_SERIES_TERMS:
            return terms[:MAX_SERIES_TERMS + 1]
        order += 2 * MAX_SERIES_TERMS
    return None


def _coefficient_order(term: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr | None, sympy.Expr]:
    coefficient, order = term.as_coeff_exponent(x)
    return (coefficient if order.is_Rational else None), order


RULES = (log_of_one_plus, log_difference, x_log_x_difference, exp_pair_minus_two, exp_minus_one, power_minus_one,
         exp_difference, expm1_quotient, root_difference, conjugate_root, factor_into_piecewise, one_minus_cos,
         half_angle_quotient, trig_difference, combined_fractions, series_near_zero)
