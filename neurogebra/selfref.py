"""Derivatives written in terms of the function itself: sigmoid' = f*(1 - f), tanh' = 1 - f**2, exp' = f.

Found by inverting y = f(x) (SymPy's solve, for one-variable functions with a single invertible chain) and
substituting x(y) into f'(x), or by spotting f itself inside f'. A result is kept when it is free of x, uses f,
is no larger than f', and matches f' at 30 digits on sample points.
"""
from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy

from neurogebra.builder import symbol
from neurogebra.calculus import differentiate
from neurogebra.numerics import exact_value

MAX_OPS = 25
MAX_SIMPLIFIED_OPS = 40
NOT_INVERTED = (sympy.Piecewise, sympy.Abs, sympy.Max, sympy.Min, sympy.sign, sympy.Heaviside, sympy.floor,
                sympy.ceiling, sympy.Derivative)
CHECK_POINTS = (-3.0, -1.7, -0.6, -0.1, 0.05, 0.4, 0.9, 1.6, 2.5, 4.0)
MIN_CHECKED = 3
DIGITS = 30


def _invertible_chain(expr: sympy.Expr, variable: sympy.Symbol) -> bool:
    """expr depends on `variable` through one generator only (exp(-x) in sigmoid, tanh(x) ...): the equations
    SymPy's solve unwinds quickly. x**2 + sin(x) has two and is not tried."""
    numerator, denominator = sympy.together(expr).as_numer_denom()
    generators = set()
    for part in (numerator, denominator):
        if not part.has(variable):
            continue
        poly = part.as_poly()
        if poly is None:
            return False
        generators |= {g for g in poly.gens if g.has(variable)}
    return len(generators) == 1 and generators != {variable}


def _inverses(expr: sympy.Expr, variable: sympy.Symbol, value: sympy.Symbol) -> list[sympy.Expr]:
    if not _invertible_chain(expr, variable):
        return []
    try:
        return sympy.solve(sympy.Eq(value, expr), variable)
    except (NotImplementedError, ValueError, TypeError):
        return []


def _matches(candidate: sympy.Expr, derivative: sympy.Expr, expr: sympy.Expr, variable: sympy.Symbol,
             value: sympy.Symbol) -> bool:
    """candidate(expr(x)) equals derivative(x) at every sample point where both are real."""
    composed = candidate.xreplace({value: expr})
    checked = 0
    for point in CHECK_POINTS:
        wanted = exact_value(derivative, (variable,), (point,), DIGITS)
        if wanted is None:
            continue
        got = exact_value(composed, (variable,), (point,), DIGITS)
        if got is None or abs(got - wanted) > mpmath.mpf(10) ** (5 - DIGITS) * max(1, abs(wanted)):
            return False
        checked += 1
    return checked >= MIN_CHECKED


def _tidy(expr: sympy.Expr) -> sympy.Expr:
    """-f*(f - 1) -> f*(1 - f): a negative coefficient goes into the first sum factor."""
    coefficient, rest = expr.as_coeff_Mul()
    if coefficient >= 0:
        return expr
    factors = sympy.Mul.make_args(rest)
    flippable = [k for k, f in enumerate(factors) if isinstance(f, sympy.Add)]
    if not flippable:
        return expr
    k = flippable[0]
    return sympy.Mul(-coefficient, *factors[:k], -factors[k], *factors[k + 1:])


@lru_cache(maxsize=512)
def derivative_in_terms_of_function(expr: sympy.Expr, var: str | sympy.Symbol, name: str = "f") -> sympy.Expr | None:
    """g with d expr/d var = g(expr), written with the symbol `name` for the function; None when there is none
    simpler than the derivative itself (or the expression is outside what is tried: several variables,
    polynomials, Piecewise, Abs, Max ...)."""
    variable = symbol(var.name if isinstance(var, sympy.Symbol) else var)
    if name == variable.name:
        raise ValueError(f"the function's name {name!r} is also the variable's")
    expr = expr.xreplace({s: symbol(s.name) for s in expr.free_symbols if isinstance(s, sympy.Symbol)})
    if (expr.free_symbols != {variable} or expr.has(*NOT_INVERTED) or sympy.count_ops(expr) > MAX_OPS
            or expr.is_polynomial(variable)):
        return None
    value = symbol(name)
    derivative = differentiate(expr, variable)
    limit = sympy.count_ops(derivative)
    substituted = derivative.subs(expr, value)
    direct = _first_match([_tidy(sympy.factor(substituted)), substituted], limit, derivative, expr, variable, value)
    if direct is not None:
        return direct
    found = []
    for inverse in _inverses(expr, variable, value):
        substituted = derivative.subs(variable, inverse)
        if sympy.count_ops(substituted) > MAX_SIMPLIFIED_OPS:  # SymPy's simplify has no bound of its own
            continue
        simplified = sympy.simplify(substituted)
        found += [_tidy(sympy.factor(simplified)), simplified]
    return _first_match(found, limit, derivative, expr, variable, value)


def _first_match(found: list[sympy.Expr], limit: int, derivative: sympy.Expr, expr: sympy.Expr,
                 variable: sympy.Symbol, value: sympy.Symbol) -> sympy.Expr | None:
    """The simplest candidate free of the variable, using the function, no larger than the derivative, that
    matches it numerically."""
    usable = [g for g in found if not g.has(variable) and g.has(value) and sympy.count_ops(g) <= limit]
    for candidate in sorted(dict.fromkeys(usable), key=sympy.count_ops):
        if _matches(candidate, derivative, expr, variable, value):
            return candidate
    return None
