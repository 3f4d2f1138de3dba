"""SymPy written as code of the user's framework (torch.*, jnp.*, np.*, math.*), with the user's own names: what
fixes insert and messages propose."""
from __future__ import annotations

import math
import re
from typing import Mapping

import numpy
import sympy
from sympy.printing.precedence import PRECEDENCE

from neurogebra.analysis.render import FormulaPrinter, short_float

RENAMED = {"Abs": "abs", "asin": "arcsin", "acos": "arccos", "atan": "arctan", "asinh": "arcsinh",
           "acosh": "arccosh", "atanh": "arctanh", "loggamma": "lgamma"}
TORCH_RENAMED = {"arcsin": "asin", "arccos": "acos", "arctan": "atan", "arcsinh": "asinh", "arccosh": "acosh",
                 "arctanh": "atanh", "softplus": "nn.functional.softplus", "erfc": "special.erfc",
                 "sigmoid": "sigmoid"}
JAX_NN = {"sigmoid", "softplus", "relu", "gelu", "silu", "elu", "selu", "leaky_relu"}
JAX_SCIPY = {"erf", "erfc"}


class CodePrinter(FormulaPrinter):
    """`framework`: torch, jax, numpy or math; `alias`: the name the module calls it by (torch, jnp, np, math)."""

    def __init__(self, framework: str, alias: str, imports: Mapping[str, str]) -> None:
        """`imports`: the module's names for what it imports (F: torch.nn.functional, expit: scipy.special.expit),
        which the code uses where it can."""
        super().__init__({"full_prec": False})
        self.framework = framework
        self.alias = alias
        self.imports = imports

    def _print(self, expr, **kwargs) -> str:
        if self.framework == "torch" and isinstance(expr, sympy.Expr) and expr.is_number and not expr.is_Atom:
            return repr(float(expr))  # torch's functions take tensors only: torch.log(2) raises
        return super()._print(expr, **kwargs)

    def call(self, name: str, *args: sympy.Expr) -> str:
        return f"{self.qualified(name)}({', '.join(self._print(a) for a in args)})"

    def qualified(self, name: str) -> str:
        """The function's name as the module can call it: by the name it imported it or its module as, when it
        did (F.softplus, expit), else through the framework's alias (torch.nn.functional.softplus)."""
        written = self.through_alias(RENAMED.get(name, name))
        module = self.imports.get(self.alias)
        path = f"{module}{written[len(self.alias):]}" if module and written.startswith(f"{self.alias}.") else written
        if path in self.imports.values():
            return next(name for name, imported in self.imports.items() if imported == path)
        prefixes = [(imported, name) for name, imported in self.imports.items() if path.startswith(f"{imported}.")]
        if not prefixes:
            return written
        imported, name = max(prefixes, key=lambda pair: len(pair[0]))
        return f"{name}{path[len(imported):]}"

    def through_alias(self, name: str) -> str:
        if self.framework == "torch":
            return f"{self.alias}.{TORCH_RENAMED.get(name, name)}"
        if self.framework == "jax":
            if name in JAX_NN:
                return f"jax.nn.{name}"
            if name in JAX_SCIPY:
                return f"jax.scipy.special.{name}"
            return f"{self.alias}.{name}"
        if self.framework == "numpy" and name in ("sigmoid", "erf", "erfc"):
            return f"scipy.special.{'expit' if name == 'sigmoid' else name}"
        if self.framework == "numpy" and name == "softplus":
            return f"{self.alias}.logaddexp"  # softplus(x) = logaddexp(0, x)
        return f"{self.alias}.{name}"

    def _print_Function(self, expr) -> str:
        name = expr.func.__name__
        if name == "logsumexp" and len(expr.args) == 2 and self.framework != "math":
            if any(a.is_zero for a in expr.args):  # logsumexp(0, x) is softplus(x), which torch takes a tensor for
                return self._print(sympy.Function("softplus")(next(a for a in expr.args if not a.is_zero)))
            return self.call("logaddexp", *expr.args)
        if name == "softplus" and self.framework == "numpy":
            return f"{self.alias}.logaddexp(0, {self._print(expr.args[0])})"
        return self.call(name, *expr.args)

    def _print_Abs(self, expr) -> str:
        if self.framework == "math":
            return f"abs({self._print(expr.args[0])})"
        return self.call("abs", *expr.args)

    def _print_Float(self, expr) -> str:
        return short_float(expr)

    def _print_Pi(self, expr) -> str:
        return f"{self.alias}.pi"

    def _print_Exp1(self, expr) -> str:
        return f"{self.alias}.e"

    def _print_Pow(self, expr, rational: bool = False) -> str:
        base, exponent = expr.as_base_exp()
        if exponent == sympy.S.Half:
            return self.call("sqrt", base)
        if exponent == -sympy.S.Half:
            return f"1/{self.call('sqrt', base)}"
        return super()._print_Pow(expr, rational)

    def _print_Max(self, expr) -> str:
        return self.pairwise("maximum" if self.framework != "math" else "max", expr.args)

    def _print_Min(self, expr) -> str:
        return self.pairwise("minimum" if self.framework != "math" else "min", expr.args)

    def pairwise(self, name: str, args) -> str:
        text = self._print(args[-1])
        call = name if self.framework == "math" else self.qualified(name)
        for arg in reversed(args[:-1]):
            text = f"{call}({self._print(arg)}, {text})"
        return text

    def _print_Heaviside(self, expr) -> str:
        return self._print(sympy.Piecewise((1, expr.args[0] > 0), (0, True)))

    def _print_Piecewise(self, expr) -> str:
        *pieces, (last, condition) = expr.args
        text = self._print(last)
        for value, held in reversed(pieces):
            if self.framework == "math":
                text = f"({self._print(value)} if {self._print(held)} else {text})"
            else:
                text = f"{self.qualified('where')}({self._print(held)}, {self._print(value)}, {text})"
        return text

    def _print_And(self, expr) -> str:
        joined = " and " if self.framework == "math" else " & "
        return joined.join(f"({self._print(a)})" for a in expr.args)

    def _print_Or(self, expr) -> str:
        joined = " or " if self.framework == "math" else " | "
        return joined.join(f"({self._print(a)})" for a in expr.args)


CHECKABLE = {"numpy": numpy, "math": math}  # frameworks whose functions we can look up without the user's code


def calls_exist(text: str, framework: str, alias: str) -> bool:
    """Every `np.name` (`math.name`) the code calls exists in numpy (math): what a fix or a generated rule may
    write (math has no sigmoid)."""
    module = CHECKABLE.get(framework)
    if module is None:
        return True
    return all(hasattr(module, name) for name in re.findall(rf"\b{re.escape(alias)}\.(\w+)", text))


def code(expr: sympy.Expr, framework: str, alias: str, imports: Mapping[str, str]) -> str:
    return CodePrinter(framework, alias, imports).doprint(expr)


def times(factor: str, expr: sympy.Expr, framework: str, alias: str, imports: Mapping[str, str]) -> str:
    """`factor * expr` as code, parenthesized where the product needs it (`factor / d` for 1/d)."""
    printer = CodePrinter(framework, alias, imports)
    numerator, denominator = sympy.fraction(expr)
    if numerator == 1 and denominator != 1:
        return f"{factor} / {printer.parenthesize(denominator, PRECEDENCE['Mul'], strict=True)}"
    return f"{factor} * {printer.parenthesize(expr, PRECEDENCE['Mul'], strict=True)}"
