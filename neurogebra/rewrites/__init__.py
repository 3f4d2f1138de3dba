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
    """Distinct rewrites of expr and of its cheap algebraic variants (common factors pulled out, one fraction):
    every family's rules together, then each family alone."""
    everything = tuple(rule for family in FAMILIES for rule in family)
    found = []
    for form in dict.fromkeys((expr, sympy.factor_terms(expr), sympy.together(expr))):
        found += [rewrite(form, everything)] + [rewrite(form, family) for family in FAMILIES]
    return [c for c in dict.fromkeys(found) if c != expr]
