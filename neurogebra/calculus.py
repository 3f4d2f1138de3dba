"""Derivatives as the library takes them: SymPy's, of real-valued formulas, with the deep-learning frameworks'
convention at kinks."""
from __future__ import annotations

from functools import lru_cache

import sympy


class _real(sympy.Function):
    """Its argument, known to be real. Every formula here is real-valued wherever it is defined, but SymPy cannot
    tell that of gamma(x) or log(x) for real x, and differentiates |gamma(x)| through re() and im(): wrapped,
    |u|' is sign(u)*u' and sign(u)' is 0 wherever they exist."""

    nargs = 1

    def _eval_is_extended_real(self):
        return True

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sympy.S.One


def _steps_of_unknown_realness(e: sympy.Basic) -> bool:
    return isinstance(e, (sympy.Abs, sympy.sign)) and not e.args[0].is_extended_real


def kink_convention(derivative: sympy.Expr) -> sympy.Expr:
    """Derivatives at kinks as deep-learning frameworks take them: the step is 0 at 0 (relu'(0) = 0, like
    PyTorch), and the derivative of a step, sign, floor or ceiling is 0 wherever it exists."""
    derivative = derivative.replace(lambda e: isinstance(e, sympy.Heaviside) and e.args[1:] == (sympy.S.Half,),
                                    lambda e: sympy.Heaviside(e.args[0], 0))
    derivative = derivative.replace(lambda e: isinstance(e, sympy.DiracDelta), lambda e: sympy.S.Zero)
    derivative = derivative.replace(
        lambda e: isinstance(e, sympy.Derivative) and isinstance(e.expr, (sympy.floor, sympy.ceiling)),
        lambda e: sympy.S.Zero)
    # floor(2*x)' is Subs(Derivative(floor(t), t), t, 2*x)*2, and its Derivative is 0 now
    return derivative.replace(lambda e: isinstance(e, sympy.Subs) and not e.expr.has(sympy.Derivative),
                              lambda e: e.doit())


def _repeats_an_abs(e: sympy.Basic) -> bool:
    """p*|u|**p*sign(u)/|u|, SymPy's d/du |u|**p: a product with two powers of one |u|, NaN at u = 0 unless they
    are one power, |u|**(p - 1) (0 there for p > 1, as the function's slope is)."""
    if not e.is_Mul:
        return False
    bases = [factor.as_base_exp()[0] for factor in e.args if isinstance(factor.as_base_exp()[0], sympy.Abs)]
    return len(bases) != len(set(bases))


@lru_cache(maxsize=1024)  # a claim, its function's check and the formulas that call f' ask for the same one
def differentiate(expr: sympy.Expr, variable: sympy.Symbol, order: int = 1) -> sympy.Expr:
    if expr.has(sympy.Abs, sympy.sign):
        wrapped = expr.replace(_steps_of_unknown_realness, lambda e: e.func(_real(e.args[0])))
        derivative = sympy.diff(wrapped, variable, order).replace(lambda e: isinstance(e, _real),
                                                                  lambda e: e.args[0])
        derivative = derivative.replace(_repeats_an_abs, lambda e: sympy.powsimp(e, deep=False, combine="exp"))
    else:
        derivative = sympy.diff(expr, variable, order)
    return kink_convention(derivative)
