"""Derivatives as the library takes them: SymPy's, with the deep-learning frameworks' convention at kinks."""
from __future__ import annotations

from functools import lru_cache

import sympy


def kink_convention(derivative: sympy.Expr) -> sympy.Expr:
    """Derivatives at kinks as deep-learning frameworks take them: the step is 0 at 0 (relu'(0) = 0, like
    PyTorch), and the derivative of a step, sign, floor or ceiling is 0 wherever it exists."""
    derivative = derivative.replace(lambda e: isinstance(e, sympy.Heaviside) and e.args[1:] == (sympy.S.Half,),
                                    lambda e: sympy.Heaviside(e.args[0], 0))
    derivative = derivative.replace(lambda e: isinstance(e, sympy.DiracDelta), lambda e: sympy.S.Zero)
    return derivative.replace(
        lambda e: isinstance(e, sympy.Derivative) and isinstance(e.expr, (sympy.floor, sympy.ceiling)),
        lambda e: sympy.S.Zero)


@lru_cache(maxsize=1024)  # a claim, its function's check and the formulas that call f' ask for the same one
def differentiate(expr: sympy.Expr, variable: sympy.Symbol, order: int = 1) -> sympy.Expr:
    return kink_convention(sympy.diff(expr, variable, order))
