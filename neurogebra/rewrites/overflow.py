"""Rewrites against overflow and underflow, the way PyTorch and JAX evaluate these formulas: softplus,
log-sigmoid, logsumexp, log-cosh, the sigmoid and its derivative, tanh's derivative, and through them binary
cross-entropy from logits."""
from __future__ import annotations

from typing import Sequence

import sympy
from sympy.codegen.cfunctions import log1p

from neurogebra.functions import softplus


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
