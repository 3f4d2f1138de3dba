"""Numerically stable equivalents of ML formulas, the way PyTorch and JAX evaluate them.

`stable_form` rewrites the tree bottom-up (softplus, log-sigmoid, logsumexp, log-cosh, the sigmoid and its
derivative, tanh's derivative, and through them binary cross-entropy from logits), then keeps the result only if
it equals the input at 50 digits (500 where 50 lose it) and float64 evaluates it no worse, at ±800 and between.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Sequence

import numpy as np
import sympy
from sympy.codegen.cfunctions import log1p

from neurogebra.compiled import CompileError, compile_numpy
from neurogebra.functions import softplus
from neurogebra.gradient_checks import DEEP_DIGITS, EPS, Tolerance, exact_value, float_values, to_float

CHECK_GRID = (-800.0, -100.0, -35.0, -15.0, -10.0, -7.0, -5.0, -1.0, -0.25, 0.0, 0.25, 1.0, 5.0, 7.0, 10.0, 15.0,
              35.0, 100.0, 800.0)
EQUAL_RTOL = 1e-20
EQUAL_ATOL = 1e-300        # below float64's normal range every value is the same
MIXED_POINTS = 40          # random grid combinations checked for several variables
FAILURE = Tolerance(rtol=1e-6, atol=1e-9)
LOSS_ALLOWED_BITS = 2.0    # total float64 accuracy a rewrite may lose over all points and still be kept


# ---------------------------------------------------------------------------------------------- stable pieces
def sigmoid(u: sympy.Expr) -> sympy.Expr:
    return 1 / (1 + sympy.exp(-u))




def logsumexp(exponents: Sequence[sympy.Expr]) -> sympy.Expr:
    """log(sum(exp(a))) with the largest exponent taken out first."""
    largest = sympy.Max(*exponents)
    return largest + sympy.log(sympy.Add(*(sympy.exp(a - largest) for a in exponents)))


def log_cosh(u: sympy.Expr) -> sympy.Expr:
    """log(cosh(u)) = |u| + log1p(exp(-2|u|)) - log(2)."""
    return sympy.Abs(u) + log1p(sympy.exp(-2 * sympy.Abs(u))) - sympy.log(2)


# ---------------------------------------------------------------------------------------------- rewrite rules
def _exponent(term: sympy.Expr) -> sympy.Expr | None:
    """a when term is exp(a), c*exp(a) with c > 0, or a positive constant (exp(log c)); else None."""
    coefficient, rest = term.as_coeff_Mul()
    if coefficient <= 0:
        return None
    if rest == 1:
        return sympy.log(coefficient)
    if isinstance(rest, sympy.exp):
        return rest.args[0] + sympy.log(coefficient)
    return None


def _stable_log_of_sum(argument: sympy.Expr) -> sympy.Expr | None:
    if not isinstance(argument, sympy.Add):
        return None
    exponents = [_exponent(t) for t in argument.args]
    if any(e is None for e in exponents) or not any(e.has(sympy.Symbol) for e in exponents):
        return None
    constant = [e for e in exponents if e == 0]
    if len(exponents) == 2 and constant:
        return softplus(next(e for e in exponents if e != 0))
    return logsumexp(exponents)


def _split_log(argument: sympy.Expr) -> sympy.Expr | None:
    """log of a product or quotient of positive factors as a sum of logs (log(1 - sigmoid(x)) included)."""
    if isinstance(argument, sympy.Add) and any(isinstance(t, sympy.Pow) and t.exp.is_negative
                                                 for a in argument.args for t in sympy.Mul.make_args(a)):
        argument = sympy.together(argument)
    if not isinstance(argument, (sympy.Mul, sympy.Pow, sympy.exp)):
        return None
    split = sympy.expand_log(sympy.log(argument))
    return None if isinstance(split, sympy.log) else split


def _stable_log(node: sympy.Expr) -> sympy.Expr | None:
    if isinstance(node, log1p):
        return _stable_log_of_sum(1 + node.args[0])
    if not isinstance(node, sympy.log):
        return None
    if isinstance(node.args[0], sympy.cosh):
        return log_cosh(node.args[0].args[0])
    split = _split_log(node.args[0])
    if split is not None:
        return split.replace(lambda e: isinstance(e, sympy.log) and _stable_log_of_sum(e.args[0]) is not None,
                             lambda e: _stable_log_of_sum(e.args[0]))
    return _stable_log_of_sum(node.args[0])


def _one_plus_exp(base: sympy.Expr) -> sympy.Expr | None:
    """w when base is 1 + exp(w)."""
    if isinstance(base, sympy.Add) and len(base.args) == 2 and sympy.S.One in base.args:
        other = base.args[1] if base.args[0] == 1 else base.args[0]
        if isinstance(other, sympy.exp):
            return other.args[0]
    return None


def _stable_sigmoids(node: sympy.Expr) -> sympy.Expr | None:
    """exp(w)/(1 + exp(w)) -> sigmoid(w) and exp(w)/(1 + exp(w))**2 -> s*(1 - s), which stay finite."""
    if not isinstance(node, sympy.Mul):
        return None
    factors = list(node.args)
    for k, factor in enumerate(factors):
        if not (isinstance(factor, sympy.Pow) and factor.exp in (-1, -2)):
            continue
        w = _one_plus_exp(factor.base)
        if w is None or sympy.exp(w) not in factors:
            continue
        rest = [f for n, f in enumerate(factors) if n not in (k, factors.index(sympy.exp(w)))]
        if factor.exp == -1:
            return sympy.Mul(*rest, sigmoid(w))
        u = -w if w.could_extract_minus_sign() else w  # sigmoid' is even: show it in the positive-looking argument
        s = sigmoid(u)
        return sympy.Mul(*rest, s, 1 - s)
    return None


def _stable_tanh_derivative(node: sympy.Expr) -> sympy.Expr | None:
    """c - c*tanh(u)**2 -> c*(1 + tanh(u))*(1 - tanh(u))."""
    if not isinstance(node, sympy.Add):
        return None
    for term in node.args:
        coefficient, rest = term.as_coeff_Mul()
        if (isinstance(rest, sympy.Pow) and rest.exp == 2 and isinstance(rest.base, sympy.tanh)
                and -coefficient in node.args):
            t = rest.base
            others = [a for a in node.args if a not in (term, -coefficient)]
            return sympy.Add(*others, sympy.Mul(-coefficient, 1 + t, 1 - t))
    return None


RULES = (_stable_log, _stable_sigmoids, _stable_tanh_derivative)


def rewrite(expr: sympy.Expr) -> sympy.Expr:
    """The rules applied bottom-up (unverified)."""
    if expr.is_Atom:
        return expr
    args = tuple(rewrite(a) for a in expr.args)
    node = expr.func(*args) if args != expr.args else expr
    for rule in RULES:
        changed = rule(node)
        if changed is not None:
            node = changed
    return node


# ---------------------------------------------------------------------------------------------- verification
def _check_rows(count: int) -> np.ndarray:
    grid = np.array(CHECK_GRID)
    if count == 1:
        return grid[:, None]
    rng = np.random.default_rng(0)
    return np.vstack([np.repeat(grid[:, None], count, axis=1), rng.choice(grid, (MIXED_POINTS, count))])


def _equal(a, b) -> bool:
    return bool(abs(a - b) <= EQUAL_RTOL * max(abs(a), abs(b)) + EQUAL_ATOL)


def _score(value: float, exact: float) -> tuple[bool, float]:
    """(failure, relative error clamped to [eps, 1]) of a float64 value against the exact one."""
    if not math.isfinite(value):
        return True, 1.0
    relative = abs(value - exact) / max(abs(exact), 1e-300)
    return not FAILURE.close(value, exact), min(max(relative, EPS), 1.0)


def is_improvement(original: sympy.Expr, rewritten: sympy.Expr) -> bool:
    """rewritten equals original (50 digits, 500 where 50 lose it) wherever original is defined, and float64
    evaluates it with fewer failures (inf/NaN or far off), or with as many and no real loss of accuracy."""
    variables = tuple(sorted(original.free_symbols | rewritten.free_symbols, key=lambda s: s.name))
    rows = _check_rows(len(variables))
    try:
        old = float_values(compile_numpy(original, variables), rows)
        new = float_values(compile_numpy(rewritten, variables), rows)
    except CompileError:
        return False
    failures = [0, 0]
    bits = 0.0
    compared = 0
    for i, row in enumerate(rows):
        exact = exact_value(original, variables, row)
        if exact is None:
            continue
        other = exact_value(rewritten, variables, row)
        if other is None or not _equal(exact, other):
            # 50 digits can lose a value to cancellation (1 - sigmoid(100)); 500 cannot at these points
            exact, other = (exact_value(e, variables, row, DEEP_DIGITS) for e in (original, rewritten))
            if exact is None or other is None or not _equal(exact, other):
                return False
        rounded = to_float(exact)
        if not math.isfinite(rounded):
            continue
        compared += 1
        (old_failed, old_error), (new_failed, new_error) = _score(old[i], rounded), _score(new[i], rounded)
        failures[0] += old_failed
        failures[1] += new_failed
        bits += math.log2(old_error / new_error)
    if compared == 0:
        return False
    return failures[1] < failures[0] or (failures[1] == failures[0] and bits >= -LOSS_ALLOWED_BITS)


@lru_cache(maxsize=512)
def stable_form(expr: sympy.Expr) -> sympy.Expr | None:
    """The stable form frameworks use for expr, verified equal and no less stable in float64, or None when no
    rule applies or the rewrite does not pass."""
    rewritten = rewrite(expr)
    if rewritten == expr:
        return None
    return rewritten if is_improvement(expr, rewritten) else None
