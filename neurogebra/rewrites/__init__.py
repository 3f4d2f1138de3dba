"""Rewrite rules that make formulas evaluate accurately in floating point, and the candidates they give.

Each rule module exposes `RULES`: functions that take one node of a SymPy tree (its arguments already rewritten)
and return an equal node that floats evaluate better, or None. Rules are unverified: `neurogebra.stable` keeps a
candidate only when it equals the original at high precision and measures fewer bits of error.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

import sympy

from neurogebra.rewrites import cancellation, overflow

Rule = Callable[[sympy.Expr], "sympy.Expr | None"]
FAMILIES: tuple[tuple[Rule, ...], ...] = (overflow.RULES, cancellation.RULES)
MAX_FACTORED_OPS = 80  # larger formulas are not factored in their exponentials (factor's time grows fast)


@lru_cache(maxsize=4096)  # the candidates of one formula share most subtrees, and so do a document's formulas
def rewrite(expr: sympy.Expr, rules: tuple[Rule, ...]) -> sympy.Expr:
    """The rules applied bottom-up, each node once, in order."""
    if expr.is_Atom:
        return expr
    args = tuple(rewrite(a, rules) for a in expr.args)
    node = expr.func(*args) if args != expr.args else expr
    for rule in rules:
        changed = rule(node)
        if changed is not None:
            node = changed
    return node


def candidates(expr: sympy.Expr) -> list[sympy.Expr]:
    """Distinct rewrites of expr and of its algebraic variants (common factors pulled out, one fraction, factored
    in its exponentials): every family's rules together, then each family alone."""
    everything = tuple(rule for family in FAMILIES for rule in family)
    found = []
    for form in dict.fromkeys((expr, sympy.factor_terms(expr), sympy.together(expr), in_exponentials(expr))):
        found += [rewrite(form, everything)] + [rewrite(form, family) for family in FAMILIES]
    return [c for c in dict.fromkeys(found) if c != expr]


def in_exponentials(expr: sympy.Expr) -> sympy.Expr:
    """expr factored as a rational function of its exponentials, exp(k*a) taken as u**k: the slope of the logistic
    density, -u*sign(x)/(1 + u)**2 + 2*u**2*sign(x)/(1 + u)**3 with u = exp(-|x|), which cancels near 0, becomes
    (u - 1)*u*sign(x)/(1 + u)**3, whose u - 1 the cancellation rules write as expm1(-|x|). expr itself when it has
    no exponentials to share, or is too large to factor."""
    groups: dict[sympy.Expr, list[tuple[sympy.Expr, sympy.Expr]]] = {}
    for power in expr.atoms(sympy.exp):
        coefficient, rest = power.args[0].as_coeff_Mul()
        groups.setdefault(rest, []).append((coefficient, power))
    unknowns, back = {}, {}
    for rest, members in groups.items():
        unit = min((c for c, _ in members), key=abs)
        if not all((c / unit).is_Integer for c, _ in members):
            continue
        u = sympy.Dummy("u")
        back[u] = sympy.exp(unit * rest)
        unknowns.update({power: u ** (c / unit) for c, power in members})
    if not unknowns or sympy.count_ops(expr) > MAX_FACTORED_OPS:
        return expr
    try:
        return sympy.factor(expr.xreplace(unknowns)).xreplace(back)
    except sympy.PolynomialError:
        return expr
