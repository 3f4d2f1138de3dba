"""Syntax tree -> SymPy: the Builder, the one way symbols are made, and the math functions formulas may call.

Nothing here hands text to SymPy's string parsing (which calls Python's eval): every SymPy object is built from
a whitelisted token. Errors are `ParseError`s that carry the offset and length of the offending text. Which
functions a formula may call is the caller's to say; `neurogebra.parsing` adds the catalog's.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Mapping

import sympy
from sympy.codegen.cfunctions import exp2, expm1, log1p, log2, log10

from neurogebra.calculus import differentiate
from neurogebra.functions import (
    LambertW,
    beta,
    betaln,
    erfc,
    gamma,
    hypot,
    loggamma,
    logsumexp,
    mod,
    polygamma,
    sinc,
    softplus,
    tanhshrink,
    zeta,
)
from neurogebra.suggest import did_you_mean
from neurogebra.syntax import (
    CONSTANT_NAMES,
    MATH_SIGNATURES,
    MATRIX_SIGNATURES,
    MAX_INTEGER_DIGITS,
    TRIGONOMETRIC,
    TRIGONOMETRIC_ALIASES,
    FunctionSignature,
    Node,
    ParseError,
    parse_tree,
)

MAX_RESULT_DIGITS = 10_000
MAX_EXACT_ARGUMENT = 10_000


# ---------------------------------------------------------------------------------------------------- building

@lru_cache(maxsize=4096)
def symbol(name: str) -> sympy.Symbol:
    """The one way symbols are made: every variable is real-valued."""
    return sympy.Symbol(name, real=True)


@dataclass(frozen=True)
class FormulaFunction(FunctionSignature):
    """A function callable in formulas: `apply` builds the SymPy expression from SymPy arguments; `derivative`,
    where given, is its order-th derivative in a variable as prime notation (f'(x)) takes it."""

    apply: Callable[..., sympy.Expr] = field(compare=False, kw_only=True)
    derivative: Callable[[sympy.Symbol, int], sympy.Expr] | None = field(default=None, compare=False, kw_only=True)


# f'(a) is d/dt f(t) at t = a; the variable cannot occur in any argument, and being one variable, the same
# derivative is computed once however often the document calls f'.
PRIME_POINT = sympy.Dummy("t", real=True)
CONSTANTS: Mapping[str, sympy.Expr] = {name: getattr(sympy, value) for name, value in CONSTANT_NAMES.items()}


def _guard_exact(fn: Callable[..., sympy.Expr], name: str) -> Callable[..., sympy.Expr]:
    def apply(*args: sympy.Expr) -> sympy.Expr:
        for arg in args:
            if arg.is_Number and abs(arg) > MAX_EXACT_ARGUMENT:
                raise _BuildError(f"{name}() of a number this large is not evaluated exactly "
                                  f"(the limit is {MAX_EXACT_ARGUMENT})")
        return fn(*args)

    return apply


class _BuildError(ValueError):
    """Raised by a function's apply; the builder turns it into a ParseError at the call's span."""


def _piecewise(*pairs: sympy.Expr) -> sympy.Expr:
    return sympy.Piecewise(*pairs)


def _polygamma(n: sympy.Expr, x: sympy.Expr) -> sympy.Expr:
    if not (n.is_Number and n >= 0 and n == int(n)):
        raise _BuildError(f"polygamma's order must be a whole number 0, 1, 2, ..., not {n}")
    return polygamma(sympy.Integer(int(n)), x)


def _mod(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
    if b.is_zero:
        raise _BuildError("mod by zero")
    return mod(a, b)


_APPLY: Mapping[str, Callable[..., sympy.Expr]] = {
    "exp": sympy.exp,
    "log": lambda x, b=None: sympy.log(x) if b is None else sympy.log(x, b),
    "ln": sympy.log,
    "log1p": log1p,
    "expm1": expm1,
    "log2": log2,
    "log10": log10,
    "exp2": exp2,
    "sqrt": sympy.sqrt,
    "cbrt": sympy.cbrt,
    "pow": sympy.Pow,
    "Abs": sympy.Abs,
    "abs": sympy.Abs,
    "sign": sympy.sign,
    "Heaviside": lambda x, h=None: sympy.Heaviside(x) if h is None else sympy.Heaviside(x, h),
    "Max": sympy.Max,
    "max": sympy.Max,
    "Min": sympy.Min,
    "min": sympy.Min,
    "clip": lambda x, lo, hi: sympy.Min(sympy.Max(x, lo), hi),
    "floor": sympy.floor,
    "ceiling": sympy.ceiling,
    "ceil": sympy.ceiling,
    "mod": _mod,
    "Mod": _mod,
    "hypot": hypot,
    "softplus": softplus,
    "tanhshrink": tanhshrink,
    "logsumexp": logsumexp,
    "erf": sympy.erf,
    "erfc": erfc,
    "erfinv": sympy.erfinv,
    "erfcinv": sympy.erfcinv,
    "gamma": _guard_exact(gamma, "gamma"),
    "loggamma": loggamma,
    "lgamma": loggamma,
    "digamma": lambda x: polygamma(0, x),
    "polygamma": _polygamma,
    "beta": beta,
    "betaln": betaln,
    "zeta": zeta,
    "besselj": sympy.besselj,
    "bessely": sympy.bessely,
    "besseli": sympy.besseli,
    "besselk": sympy.besselk,
    "LambertW": LambertW,
    "lambertw": LambertW,
    "sinc": sinc,
    "factorial": _guard_exact(sympy.factorial, "factorial"),
    "binomial": _guard_exact(sympy.binomial, "binomial"),
    "Piecewise": _piecewise,
    "where": lambda c, a, b: sympy.Piecewise((a, c), (b, True)),
    "Eq": sympy.Eq,
    "Ne": sympy.Ne,
    "atan2": sympy.atan2,
    **{name: getattr(sympy, name) for name in TRIGONOMETRIC},
    **{alias: getattr(sympy, name) for alias, name in TRIGONOMETRIC_ALIASES.items()},
}
MATH_FUNCTIONS: Mapping[str, FormulaFunction] = {
    name: FormulaFunction(s.name, s.params, s.min_args, s.description, apply=_APPLY[name])
    for name, s in MATH_SIGNATURES.items()}


class Builder:
    """Turns a syntax tree into SymPy. Subclass or pass tables to resolve names and calls differently."""

    def __init__(self, text: str, functions: Mapping[str, FormulaFunction],
                 names: Mapping[str, sympy.Expr] | None = None) -> None:
        self.text = text
        self.functions = functions
        self.names = names or {}
        self.root: Node | None = None

    def build(self, node: Node) -> sympy.Expr:
        self.root = node
        result = self._build(node)
        if not isinstance(result, sympy.Expr):
            raise ParseError("a comparison or tuple is only allowed inside Piecewise(...) or where(...)",
                             node.start, node.end - node.start)
        return result

    def error(self, node: Node, message: str, hint: str | None = None, code: str = "parse-error") -> ParseError:
        return ParseError(message, node.start, node.end - node.start, hint, code)

    def _build(self, node: Node):
        method = getattr(self, f"_build_{node.kind}")
        result = method(node)
        if isinstance(result, sympy.Rational):
            self._check_exact_size(node, result)
        return result

    def _check_exact_size(self, node: Node, number: sympy.Rational) -> None:
        """An exact number is kept only as long as it can be written out (Python refuses to write an int of more
        than sys.get_int_max_str_digits() digits, 4300 by default)."""
        limit = min(MAX_RESULT_DIGITS, sys.get_int_max_str_digits() or MAX_RESULT_DIGITS)
        digits = int(max(abs(number.p), number.q).bit_length() * math.log10(2)) + 1
        if digits > limit:
            raise self.error(node, f"number too large: {self.text[node.start:node.end]} has about {digits:,} digits; "
                                   f"exact numbers are kept up to {limit:,} digits")

    def _build_num(self, node: Node) -> sympy.Expr:
        text = node.value
        if all(c.isdigit() for c in text):
            if len(text) > MAX_INTEGER_DIGITS:
                raise self.error(node, f"integer too large ({len(text)} digits; the limit is {MAX_INTEGER_DIGITS})")
            return sympy.Integer(int(text))
        value = float(text)
        if math.isinf(value):
            raise self.error(node, "number out of range for floating point")
        return sympy.Float(value)

    def _build_name(self, node: Node) -> sympy.Expr:
        name = node.value
        if name.startswith("__"):
            raise self.error(node, f"names starting with '__' are not allowed: '{name}'")
        if name in self.names:
            return self.names[name]
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name == "True":
            return sympy.true
        if name == "False":
            return sympy.false
        return self.variable(name, node)

    def variable(self, name: str, node: Node) -> sympy.Expr:
        """A free name is a real variable, except I: SymPy's imaginary unit (as pi and E are its constants), which
        a neurogebra 2.5.11 formula may use; formulas here are real, so it is refused rather than misread."""
        if name == "I":
            raise self.error(node, "I is the imaginary unit in SymPy's notation, and formulas here are real",
                             "write the real part as a formula of its own, or give the variable another name")
        return symbol(name)

    def _build_neg(self, node: Node) -> sympy.Expr:
        return -self._operand(node.args[0])

    def _build_pos(self, node: Node) -> sympy.Expr:
        return self._operand(node.args[0])

    def _build_sum(self, node: Node) -> sympy.Expr:
        terms = [self._operand(node.args[0])]
        for sign, arg in zip(node.value, node.args[1:]):
            term = self._operand(arg)
            terms.append(term if sign == "+" else -term)
        return sympy.Add(*terms)

    def _build_product(self, node: Node) -> sympy.Expr:
        numerator = [self._operand(node.args[0])]
        denominator: list[sympy.Expr] = []
        for op, arg in zip(node.value, node.args[1:]):
            factor = self._operand(arg)
            if op == "/" and factor.is_zero:
                raise self.error(arg, "division by zero")
            (numerator if op == "*" else denominator).append(factor)
        return sympy.Mul(*numerator) / sympy.Mul(*denominator)

    def _build_pow(self, node: Node) -> sympy.Expr:
        base, exponent = self._operand(node.args[0]), self._operand(node.args[1])
        if base.is_Number and exponent.is_Number:
            self._check_power_size(node, base, exponent)
            if base.is_zero and exponent.is_negative:
                raise self.error(node, "division by zero (0 to a negative power)")
        return base ** exponent

    def _check_power_size(self, node: Node, base: sympy.Expr, exponent: sympy.Expr) -> None:
        magnitude = abs(float(base))
        if magnitude in (0.0, 1.0) or abs(float(exponent)) <= 1:
            return
        digits = abs(float(exponent)) * abs(math.log10(magnitude)) if magnitude != math.inf else math.inf
        if digits > MAX_RESULT_DIGITS:
            raise self.error(node, f"number too large: the result would have about {digits:.3g} digits",
                             f"the limit is {MAX_RESULT_DIGITS} digits")

    def _build_cmp(self, node: Node):
        left, right = self._operand(node.args[0]), self._operand(node.args[1])
        relation = {"<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge, "==": sympy.Eq,
                    "!=": sympy.Ne}[node.value]
        return relation(left, right)

    def _build_matmul(self, node: Node) -> sympy.Expr:
        raise self.error(node, "'@' is the matrix product of vectors or matrices; these are numbers",
                         "in a .ngb file, declare shapes: @shape W: (m, n)")

    def _build_transpose(self, node: Node) -> sympy.Expr:
        raise self.error(node, "the transpose (.T) is of vectors and matrices; this is a number",
                         "in a .ngb file, declare shapes: @shape W: (m, n)")

    def _build_list(self, node: Node):
        raise self.error(node, "a list of numbers is a vector or a matrix, a value only where shapes are declared",
                         "in a .ngb document, declare the names it stands for with @shape")

    def _build_tuple(self, node: Node):
        return tuple(self._build(arg) for arg in node.args)

    def _operand(self, node: Node) -> sympy.Expr:
        value = self._build(node)
        if isinstance(value, tuple) or not isinstance(value, sympy.Expr):
            raise self.error(node, "a comparison or tuple cannot be used in arithmetic",
                             "use Piecewise((value, condition), (other, True))")
        return value

    def _build_call(self, node: Node) -> sympy.Expr:
        function = self.function(node)
        low, high = function.min_args, function.max_args
        count = len(node.args)
        if count < low or (high is not None and count > high):
            expected = f"{low}" if low == high else f"{low} to {high}" if high is not None else f"at least {low}"
            signature = function.signature
            raise self.error(node, f"{function.name}() takes {expected} argument{'s' if high != 1 else ''}, "
                                   f"got {count}", signature, "wrong-argument-count")
        if function.name in ("Piecewise",):
            args = [self._piece(arg) for arg in node.args]
        elif function.name == "where":
            args = [self._condition(node.args[0])] + [self._operand(a) for a in node.args[1:]]
        else:
            args = [self._operand(arg) for arg in node.args]
        try:
            if node.primes:
                return self._derivative_call(node, function, args)
            return function.apply(*args)
        except _BuildError as exc:
            raise self.error(node, str(exc)) from None
        except (TypeError, ValueError) as exc:
            raise self.error(node, f"invalid call of {function.name}(): {exc}") from None

    def _derivative_call(self, node: Node, function: FormulaFunction, args: list[sympy.Expr]) -> sympy.Expr:
        if len(args) != 1:
            raise self.error(node, f"prime notation needs a function of one variable; {function.name} takes "
                                   f"{len(args)}", f"write d/dx {function.name}(...)")
        if function.derivative is not None:
            derivative = function.derivative(PRIME_POINT, node.primes)
        else:
            derivative = differentiate(function.apply(PRIME_POINT), PRIME_POINT, node.primes)
        return derivative.xreplace({PRIME_POINT: args[0]})

    def _piece(self, node: Node):
        if node.kind != "tuple" or len(node.args) != 2:
            raise self.error(node, "each Piecewise argument is a pair (value, condition)",
                             "Piecewise((x, x > 0), (0, True))")
        return (self._operand(node.args[0]), self._condition(node.args[1]))

    def _condition(self, node: Node):
        value = self._build(node)
        if isinstance(value, (tuple, sympy.Expr)):
            raise self.error(node, "expected a condition such as x > 0")
        return value

    def function(self, node: Node) -> FormulaFunction:
        name = node.value
        if name.startswith("__"):
            raise ParseError(f"names starting with '__' are not allowed: '{name}'", node.start,
                             node.name_end - node.start)
        function = self.functions.get(name)
        if function is None and name in MATRIX_SIGNATURES:
            raise ParseError(f"{MATRIX_SIGNATURES[name].signature} is a function of vectors and matrices",
                             node.start, node.name_end - node.start, "in a .ngb file, declare shapes: @shape W: (m, n)")
        if function is None:
            raise ParseError(f"unknown function '{name}'", node.start, node.name_end - node.start,
                             self.suggest_function(name, node), "undefined-name")
        return function

    def suggest_function(self, name: str, node: Node) -> str | None:
        """The product `name` may stand for where it is a value (a variable elsewhere in the formula or a known
        name: lr*x + lr(1 - x) -> lr*(1 - x)), else a known function close to it, else the product for a single
        letter (a(x + 1) -> a*(x + 1)); nothing for a name that is none of these."""
        variables = {n.value for n in self.root.walk() if n.kind == "name"} if self.root is not None else set()
        product = None if node.primes else f"did you mean {name}*{self.text[node.name_end:node.end]}?"
        if name in variables or name in self.names or name in CONSTANTS:
            return product
        close = did_you_mean(name, list(self.functions))
        if close:
            return f"did you mean {close[0]}?"
        return product if len(name) == 1 else None


def build_formula(text: str, functions: Mapping[str, FormulaFunction],
                  names: Mapping[str, sympy.Expr] | None = None) -> sympy.Expr:
    """Formula text as a SymPy expression that may call `functions`. Raises ParseError with the offending offset."""
    if not isinstance(text, str):
        raise TypeError(f"a formula is text, not {type(text).__name__}")
    return Builder(text, functions, names).build(parse_tree(text))
