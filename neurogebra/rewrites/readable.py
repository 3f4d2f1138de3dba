"""Stable forms as people write them. The rewrites reach stability with pieces (the largest exponent taken out
with Max, softplus of softplus); the same numbers read better as logsumexp(0, b - a, c - a) and as softmax
components exp(b - logsumexp(a, b, c)). NumPy computes logsumexp with logaddexp, as stably."""
from __future__ import annotations

import sympy

from neurogebra.functions import logsumexp, softplus
from neurogebra.rewrites.overflow import _logsumexps, exp_sum, shift_of


def readable(expr: sympy.Expr) -> sympy.Expr:
    """The same formula with its log-sum-exp pieces named; bottom-up, so inner pieces are named first."""
    if expr.is_Atom:
        return expr
    node = expr.func(*(readable(arg) for arg in expr.args))
    if isinstance(node, sympy.Add):
        return _named_sums(node)
    if isinstance(node, softplus) and isinstance(node.args[0], logsumexp):
        return logsumexp(sympy.S.Zero, *node.args[0].args)
    if isinstance(node, sympy.Mul):
        return _softmax(node)
    return node


def _named_sums(node: sympy.Add) -> sympy.Expr:
    """m + log(sum of exp(e - m)) and Max(a, b) + softplus(-|a - b|) as logsumexp(...)."""
    for exponents, used in _logsumexps(node.args):
        if len(used) > 1 or not isinstance(used[0], softplus):
            rest = [term for term in node.args if term not in used]
            return sympy.Add(*rest, logsumexp(*exponents))
    return node


def _softmax(node: sympy.Mul) -> sympy.Expr:
    """exp(b - m)/(exp(a - m) + exp(b - m) + exp(c - m)), m = Max(a, b, c), as exp(b - logsumexp(a, b, c)),
    term by term over a sum of such numerators."""
    for factor in node.args:
        base, power = factor.as_base_exp()
        shifted = exp_sum(base) if power == -1 else None
        largest = shift_of(shifted) if shifted else None
        if largest is None:
            continue
        normalizer = logsumexp(*largest.args)
        rest = [f for f in node.args if f is not factor]
        numerator = sympy.Mul(*rest)
        terms = sympy.Add.make_args(sympy.expand_mul(numerator))
        shared = [_shifted(term, largest, normalizer) for term in terms]
        if any(term is None for term in shared):
            return node
        return sympy.Add(*shared)
    return node


def _shifted(term: sympy.Expr, largest: sympy.Expr, normalizer: sympy.Expr) -> sympy.Expr | None:
    """c*exp(e - m) as c*exp(e - logsumexp(...))."""
    coefficient, power = term.as_independent(sympy.exp, as_Add=False)
    if not isinstance(power, sympy.exp) or coefficient.has(largest):
        return None
    return coefficient * sympy.exp(sympy.expand_mul(power.args[0] + largest) - normalizer)
