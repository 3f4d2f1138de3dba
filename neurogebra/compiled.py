"""SymPy expressions compiled once to NumPy (and to mpmath for 50-digit references), cached."""
from __future__ import annotations

import itertools
import types
from functools import lru_cache
from typing import Callable, Sequence

import mpmath
import numpy as np
import sympy
from sympy.codegen.cfunctions import log1p, log2
from sympy.core.function import AppliedUndef
from sympy.printing.numpy import SciPyPrinter

from neurogebra.functions import sinc
from neurogebra.special_values import MPMATH_SPECIAL, NUMPY_SPECIAL, Unevaluable

# What lambdify's "numpy" module gives, without its `from numpy import *`: that imports every NumPy submodule
# (f2py, testing, unittest, ... 6 MB per process) and generated code calls none of them. The special functions
# come from scipy.special: lambdify imports the ones a formula's code calls (its printer's module_imports), so
# only formulas that use one import SciPy (165 ms, 25 MB).
NUMPY_NAMESPACE = {
    **{name: value for name, value in vars(np).items() if not name.startswith("_")},
    "numpy": np,
    "I": 1j,
    "Heaviside": np.heaviside,
    **NUMPY_SPECIAL,
}
ENDLESS_EXPONENT = 1e30     # exp of more than this needs ln 2 to as many bits: mpmath would never end


def _exp(argument):
    """mpmath's exp, refusing astronomical arguments (exp(exp(1e15))) rather than computing for ever or at a
    lower precision (which would lose a cancellation around it)."""
    if abs(argument) > ENDLESS_EXPONENT:
        raise Unevaluable(f"exp of {mpmath.nstr(argument, 3)}")
    return mpmath.exp(argument)


MPMATH_EXTRAS = {"softplus": lambda x: mpmath.log1p(_exp(x)), "exp": _exp,
                 "logsumexp": lambda *xs: mpmath.log(mpmath.fsum(_exp(x) for x in xs)),
                 "exp2": lambda x: _exp(x * mpmath.ln2), **MPMATH_SPECIAL}


class _NumPyPrinter(SciPyPrinter):
    """NumPy, and scipy.special for the special functions."""

    def _print_Pow(self, expr, rational=False):
        if expr.exp == -1:  # NumPy divides faster than it raises to the power -1.0
            return f"1/({self._print(expr.base)})"
        return super()._print_Pow(expr, rational)

    def _special(self, name: str, *args: sympy.Expr) -> str:
        return f"{self._module_format('scipy.special.' + name)}({', '.join(self._print(a) for a in args)})"

    def _print_polygamma(self, expr):
        n, x = expr.args
        return self._special("psi", x) if n.is_zero else f"polygamma_of({self._print(n)}, {self._print(x)})"

    def _print_factorial(self, expr):  # scipy.special.factorial is 0 below 0; n! is gamma(n + 1) for every real n
        return self._special("gamma", expr.args[0] + 1)

    def _print_zeta(self, expr):
        return self._special("zeta", *expr.args)

    def _print_zeta_derivative(self, expr):
        return f"zeta_derivative({self._print(expr.args[0])}, {self._print(expr.args[1])})"

    def _print_betaln(self, expr):
        return self._special("betaln", *expr.args)

    def _print_erfinv(self, expr):
        return self._special("erfinv", expr.args[0])

    def _print_erfcinv(self, expr):
        return self._special("erfcinv", expr.args[0])

    def _print_jn(self, expr):
        order, z = expr.args
        u = z / sympy.pi
        if order in (0, 1) and not u.has(sympy.pi):  # j_n(pi*u): sinc and its derivative, reduced exactly
            return f"spherical_jn_pi({self._print(order)}, {self._print(u)})"
        return self._special("spherical_jn", order, z)

    def _print_LambertW(self, expr):
        return f"real_or_nan({self._special('lambertw', *expr.args)})"

    def _print_sinc(self, expr):
        if not isinstance(expr, sinc):  # SymPy's own is sin(x)/x
            return super()._print_sinc(expr)
        return f"spherical_jn_pi(0, {self._print(expr.args[0])})"

    def _print_tanhshrink(self, expr):
        return f"tanhshrink({self._print(expr.args[0])})"

    def _print_softplus(self, expr):
        return f"{self._module_format('numpy.logaddexp')}(0.0, {self._print(expr.args[0])})"

    def _print_logsumexp(self, expr):
        text = self._print(expr.args[0])
        for arg in expr.args[1:]:
            text = f"{self._module_format('numpy.logaddexp')}({text}, {self._print(arg)})"
        return text


# The settings lambdify gives its own printer: names resolve in the namespace of `modules`.
NUMPY_PRINTER_SETTINGS = {"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": True,
                          "user_functions": {}}


def _mpmath_forms(expr: sympy.Expr) -> sympy.Expr:
    """log(1 + u) as log1p(u) for exact values: the same number, but mpmath keeps log(1 + exp(-2e11)), which no
    precision it reaches can hold as 1 + u. log2(u) as log(u)/log(2): SymPy prints it for mpmath without
    parentheses, so 1/log2(8) would come out as 1/log(8)/log(2)."""
    expr = expr.replace(lambda e: isinstance(e, log2), lambda e: sympy.log(e.args[0]) / sympy.log(2))
    return expr.replace(lambda e: isinstance(e, sympy.log) and isinstance(e.args[0], sympy.Add)
                        and e.args[0].as_coeff_Add()[0] == 1, lambda e: log1p(e.args[0] - 1))


def _key(node: sympy.Expr) -> object:
    """A node up to sign (and a power up to the sign of its exponent): what CSE matches once it has taken minus
    signs and negative exponents out."""
    if node.is_Number:
        return abs(node)
    if isinstance(node, sympy.Mul):
        coefficient, rest = node.as_coeff_Mul()
        if coefficient.is_Number and coefficient != 1:
            return _key(rest) if abs(coefficient) == 1 else ("*", abs(coefficient), _key(rest))
        return node
    if isinstance(node, sympy.Add):
        return ("+", frozenset(_key(term) for term in node.args))
    if isinstance(node, sympy.Pow):
        coefficient, rest = node.exp.as_coeff_Mul()
        return ("**", node.base, abs(coefficient), rest)
    return node


def may_share_work(expr: sympy.Expr) -> bool:
    """Whether common-subexpression elimination could find anything: a node repeated up to sign, or two sums or
    products with two terms or factors in common. When it is False, sympy.cse returns the expression as it is
    (tests/unit/test_compiled.py checks it on thousands of formulas): three formulas in four, whose compiling
    it would otherwise slow by a third."""
    seen: set[object] = set()
    groups: dict[type, list[set[object]]] = {sympy.Add: [], sympy.Mul: []}
    for node in sympy.preorder_traversal(expr):
        if node.is_Atom:
            continue
        keys = [_key(node)]
        if isinstance(node, sympy.Add) and node.could_extract_minus_sign():
            keys += [term for term in node.args if term.is_Atom and not term.is_Number]  # -x appears
        for key in keys:
            if key in seen:
                return True
            seen.add(key)
        if type(node) in groups:
            groups[type(node)].append({_key(a) for a in node.args})
    return any(len(a & b) >= 2 for group in groups.values() for a, b in itertools.combinations(group, 2))


def _eliminated(expr: sympy.Expr) -> tuple[list, sympy.Expr]:
    """lambdify's `cse`: sympy.cse's answer, computed only where it can differ from the expression."""
    return sympy.cse(expr, list=False) if may_share_work(expr) else ([], expr)


class CompileError(ValueError):
    """The expression holds something that has no numeric evaluation (e.g. an unevaluated derivative)."""


@lru_cache(maxsize=4096)
def _compile(expr: sympy.Expr, variables: tuple[sympy.Symbol, ...], backend: str) -> Callable:
    undefined = expr.atoms(AppliedUndef)
    if undefined:  # lambdify would print them as calls of names that do not exist
        raise CompileError(f"cannot evaluate {expr} numerically: {', '.join(map(str, undefined))} is not defined")
    try:  # docstring_limit=0: no docstring, whose printout of expr costs a third of lambdify's time
        if backend == "numpy":
            function = sympy.lambdify(variables, expr, modules=[NUMPY_NAMESPACE],
                                      printer=_NumPyPrinter(NUMPY_PRINTER_SETTINGS), cse=_eliminated,
                                      docstring_limit=0)
        else:
            function = sympy.lambdify(variables, _mpmath_forms(expr), modules=[MPMATH_EXTRAS, "mpmath"],
                                      docstring_limit=0)
    except (sympy.printing.codeprinter.PrintMethodNotImplementedError, NameError, SyntaxError) as exc:
        raise CompileError(f"cannot evaluate {expr} numerically: {exc}") from None
    return _with_shared_globals(function, _SHARED_GLOBALS[backend])


_SHARED_GLOBALS: dict[str, dict[str, object]] = {"numpy": {}, "mpmath": {}}


def _with_shared_globals(function: Callable, shared: dict[str, object]) -> Callable:
    """lambdify gives every function its own copy of its modules' namespace (about 40 kB, times thousands of
    cached functions); the same code over one namespace per backend costs nothing per function."""
    names = function.__globals__
    if any(shared.get(name, value) is not value for name, value in names.items()):
        return function
    shared.update(names)
    return types.FunctionType(function.__code__, shared, function.__name__, function.__defaults__,
                              function.__closure__)


def compile_numpy(expr: sympy.Expr, variables: Sequence[sympy.Symbol]) -> Callable:
    """A NumPy function of `variables` (positional). Call it under `np.errstate(all="ignore")`: overflow gives
    inf/NaN, never an exception."""
    return _compile(expr, tuple(variables), "numpy")


def compile_mpmath(expr: sympy.Expr, variables: Sequence[sympy.Symbol]) -> Callable:
    """An mpmath function of `variables`; its precision is whatever `mpmath.mp.dps` is when it is called."""
    return _compile(expr, tuple(variables), "mpmath")


def evaluate_numpy(function: Callable, *values):
    with np.errstate(all="ignore"):
        return function(*values)
