"""Functions that are primitives here, as in deep-learning frameworks and SciPy: computed stably, differentiated
exactly, real-valued for real arguments wherever they are defined.

Written with max and |x| instead, softplus would be stable too, but its derivative at 0 would follow the kink
convention (0) where the true slope is 1/2.

The gamma family and zeta are SymPy's, evaluated exactly only for numbers up to EXACT_LIMIT: SymPy's exact
zeta(20000) or polygamma(1, 10**4) takes seconds, digamma(10**5) minutes, and has thousands of digits; beyond it a
call stays as written and is computed numerically. Their derivatives stay in the family.
"""
from __future__ import annotations

from typing import Iterable

import sympy

EXACT_LIMIT = 1000


def _too_large(args: Iterable[sympy.Expr]) -> bool:
    return any(a.is_Number and abs(a) > EXACT_LIMIT for a in args)


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


class hypot(sympy.Function):
    """sqrt(x**2 + y**2) without overflow or underflow in between (NumPy's and mpmath's hypot)."""

    nargs = 2

    @classmethod
    def eval(cls, x, y):
        if x.is_zero:
            return sympy.Abs(y)
        if y.is_zero:
            return sympy.Abs(x)
        if x.is_Number and y.is_Number:
            return sympy.sqrt(x**2 + y**2)
        if x.could_extract_minus_sign():
            return cls(-x, y)
        if y.could_extract_minus_sign():
            return cls(x, -y)
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return self.args[argindex - 1] / self

    def _eval_rewrite_as_sqrt(self, x, y, **kwargs) -> sympy.Expr:
        return sympy.sqrt(x**2 + y**2)

    def _eval_evalf(self, precision):
        return self.rewrite(sympy.sqrt)._eval_evalf(precision)

    def _eval_is_extended_real(self):
        return True if all(a.is_extended_real for a in self.args) else None

    def _eval_is_extended_nonnegative(self):
        return self._eval_is_extended_real()


class sinc(sympy.Function):
    """The normalized sinc, sin(pi*x)/(pi*x) and 1 at 0, as NumPy's and PyTorch's sinc (SymPy's sinc is
    sin(x)/x). Its derivative is -pi*jn(1, pi*x), the spherical Bessel function j1, which float64 evaluates
    accurately at and near 0, where (cos(pi*x) - sinc(x))/x is 0/0 and cancels."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return sympy.S.One
        if x.is_integer and x.is_nonzero:
            return sympy.S.Zero
        if x.could_extract_minus_sign():
            return cls(-x)
        if x.is_Number:
            return sympy.sin(sympy.pi * x) / (sympy.pi * x)
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return -sympy.pi * sympy.jn(1, sympy.pi * self.args[0])

    def _eval_rewrite_as_sin(self, x, **kwargs) -> sympy.Expr:
        return sympy.Piecewise((sympy.sin(sympy.pi * x) / (sympy.pi * x), sympy.Ne(x, 0)), (1, True))

    def _eval_evalf(self, precision):
        return self.rewrite(sympy.sin)._eval_evalf(precision)

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real


class tanhshrink(sympy.Function):
    """x - tanh(x) (PyTorch's Tanhshrink): NumPy computes it with its Taylor series near 0, where the two terms
    cancel (x**3/3 at 1e-8 is 3.3e-25; the difference is 0); its derivative is tanh(x)**2."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return sympy.S.Zero
        if x.could_extract_minus_sign():
            return -cls(-x)
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sympy.tanh(self.args[0]) ** 2

    def _eval_rewrite_as_tanh(self, x, **kwargs) -> sympy.Expr:
        return x - sympy.tanh(x)

    def _eval_evalf(self, precision):
        return self.rewrite(sympy.tanh)._eval_evalf(precision)

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real


class betaln(sympy.Function):
    """log|B(a, b)|, the log of the beta function's magnitude (SciPy's betaln): finite where B overflows or
    underflows."""

    nargs = 2

    @classmethod
    def eval(cls, a, b):
        if a.is_Number and b.is_Number and not _too_large((a, b)):
            return sympy.log(sympy.Abs(beta(a, b)))
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        a, b = self.args
        return polygamma(0, self.args[argindex - 1]) - polygamma(0, a + b)

    def _eval_rewrite_as_beta(self, a, b, **kwargs) -> sympy.Expr:
        return sympy.log(sympy.Abs(beta(a, b)))

    def _eval_evalf(self, precision):
        return self.rewrite(beta)._eval_evalf(precision)

    def _eval_is_extended_real(self):
        return True if all(a.is_extended_real for a in self.args) else None


class LambertW(sympy.LambertW):
    """The principal branch W of x = W*exp(W) (real for x >= -1/e), with its derivative written
    exp(-W)/(1 + W): SymPy's W/(x*(1 + W)) is the same number but 0/0 at x = 0, where the slope is 1."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        if len(self.args) != 1 or argindex != 1:
            return super().fdiff(argindex)
        return sympy.exp(-self) / (1 + self)


class mod(sympy.Mod):
    """a mod b with the sign of b, as Python's % and NumPy's mod: a - b*floor(a/b). Its derivative is 1 in a
    and -floor(a/b) in b wherever it exists; it jumps where a/b is a whole number."""

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        a, b = self.args
        return sympy.S.One if argindex == 1 else -sympy.floor(a / b)


class gamma(sympy.gamma):
    @classmethod
    def eval(cls, x):
        return None if _too_large((x,)) else super().eval(x)

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return self * polygamma(0, self.args[0])


class loggamma(sympy.loggamma):
    """log|gamma(x)|, as SciPy's gammaln and PyTorch's lgamma: real wherever gamma is finite and not 0 (SymPy's
    loggamma is complex for negative x; its derivative, digamma, is the same)."""

    @classmethod
    def eval(cls, x):
        return None if _too_large((x,)) else super().eval(x)

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return polygamma(0, self.args[0])


class polygamma(sympy.polygamma):
    """The n-th derivative of digamma; polygamma(0, x) is digamma(x), and written so."""

    @classmethod
    def eval(cls, n, x):
        return None if _too_large((n, x)) else super().eval(n, x)

    def fdiff(self, argindex: int = 2) -> sympy.Expr:
        if argindex != 2:
            return super().fdiff(argindex)
        n, x = self.args
        return polygamma(n + 1, x)

    def _sympystr(self, printer) -> str:
        n, x = self.args
        if n.is_zero:
            return f"digamma({printer._print(x)})"
        return f"polygamma({printer._print(n)}, {printer._print(x)})"


class beta(sympy.beta):
    @classmethod
    def eval(cls, a, b=None):
        return None if _too_large((a, b) if b is not None else (a,)) else super().eval(a, b)

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        a, b = self.args
        return self * (polygamma(0, self.args[argindex - 1]) - polygamma(0, a + b))


class zeta(sympy.zeta):
    """Riemann's zeta function of one real variable; its derivatives are `zeta_derivative`s."""

    @classmethod
    def eval(cls, s, a=None):
        return None if _too_large((s,)) else super().eval(s, a)

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        if len(self.args) != 1:
            return super().fdiff(argindex)
        return zeta_derivative(1, self.args[0])


class zeta_derivative(sympy.Function):
    """The order-th derivative of Riemann's zeta at s, written as prime notation (zeta'(s)), which formulas read
    back as the same function. SciPy has none: float64 takes mpmath's value rounded."""

    nargs = 2

    def fdiff(self, argindex: int = 2) -> sympy.Expr:
        order, s = self.args
        return zeta_derivative(order + 1, s)

    def _sympystr(self, printer) -> str:
        order, s = self.args
        return f"zeta{chr(39) * int(order)}({printer._print(s)})"

    def _latex(self, printer, exp: str | None = None) -> str:
        order, s = self.args
        text = rf"\zeta{chr(39) * int(order)}\left({printer._print(s)}\right)"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"

    def _eval_is_extended_real(self):
        return self.args[1].is_extended_real
