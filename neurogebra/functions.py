"""Functions that are primitives here, as in deep-learning frameworks: computed stably, differentiated exactly.

Written with max and |x| instead, softplus would be stable too, but its derivative at 0 would follow the kink
convention (0) where the true slope is 1/2.
"""
from __future__ import annotations

import sympy


class softplus(sympy.Function):
    """log(1 + exp(x)): NumPy computes it as logaddexp(0, x) (no overflow); its derivative is the sigmoid."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return sympy.log(2)
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return 1 / (1 + sympy.exp(-self.args[0]))

    def _eval_rewrite_as_log(self, x, **kwargs) -> sympy.Expr:
        return sympy.log(1 + sympy.exp(x))

    def _eval_evalf(self, precision):
        return self.rewrite(sympy.log)._eval_evalf(precision)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None


class logsumexp(sympy.Function):
    """log(exp(x) + exp(y) + ...): NumPy computes it with logaddexp (no overflow, nothing lost beside the largest
    term); its derivative in x is the softmax component exp(x - logsumexp(x, y, ...))."""

    @classmethod
    def eval(cls, *args):
        if not args:
            raise TypeError("logsumexp() takes at least one argument")
        if len(args) == 1:
            return args[0]
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sympy.exp(self.args[argindex - 1] - self)

    def _eval_rewrite_as_log(self, *args, **kwargs) -> sympy.Expr:
        return sympy.log(sympy.Add(*(sympy.exp(a) for a in args)))

    def _eval_evalf(self, precision):
        return self.rewrite(sympy.log)._eval_evalf(precision)

    def _eval_is_real(self):
        return all(a.is_real for a in self.args) or None


class erfc(sympy.erfc):
    """The complementary error function, kept as written: SymPy turns erfc(-u) into 2 - erfc(u), which rounds to
    0 exactly where erfc(-u) = 1 + erf(u) is small (GELU's x/2*erfc(-x/sqrt(2)) for x below -6). NumPy and mpmath
    evaluate it as erfc, like SymPy's."""

    @classmethod
    def eval(cls, arg):
        if arg is sympy.S.NegativeInfinity:
            return sympy.Integer(2)
        if arg.could_extract_minus_sign():
            return None
        return super().eval(arg)
