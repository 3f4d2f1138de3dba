"""The labeller's own reading of formula text: Python's `ast` maps names and calls onto mpmath or NumPy.

Nothing here imports neurogebra, and no text is ever evaluated: `ast.parse` builds a tree and `Compiler` turns
it into closures over one of two backends: `exact.EXACT` (mpmath values with error bounds) or `FLOAT64` (NumPy
float64 on arrays, evaluating the formula in the order it is written).

Prime notation (`sigmoid'(2*x)`) is not Python: `python_text` turns it into a call of `sigmoid__prime1`.
"""
from __future__ import annotations

import ast
import functools
import math
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from . import exact

Env = Mapping[str, object]
Fn = Callable[[Env], object]

PRIME_CALL = re.compile(r"([A-Za-z_]\w*)('+)\(")
PRIME_SUFFIX = re.compile(r"^(\w+?)__prime(\d)$")


class NoFloat64Form(Exception):
    """The formula calls something the labeller cannot evaluate in float64 (a user function's derivative)."""


def python_text(formula: str) -> str:
    return PRIME_CALL.sub(lambda m: f"{m.group(1)}__prime{len(m.group(2))}(", formula.replace("^", "**"))


@dataclass(frozen=True)
class FunctionDef:
    """A callable of the formula language: user-defined, or the labeller's version of a catalog entry."""

    params: tuple[str, ...]
    body: str
    defaults: Mapping[str, str] = field(default_factory=dict)  # trailing parameters that may be left out
    float64_body: str | None = None  # how float64 computes it, when not as written (stable primitives)
    derivative: str | None = None  # d/d(first parameter), for prime notation; same parameters
    float64_derivative: str | None = None  # how float64 computes the derivative, when not as `derivative`
    primitive: bool = False  # a plain call is the backend's math function of that name (softplus, tanh)


def _np_erf(function):
    vectorized = np.vectorize(function, otypes=[float])
    return lambda x: vectorized(np.asarray(x, dtype=float))


def _np_log(x, base=None):
    return np.log(x) if base is None else np.log(x) / np.log(base)


def _np_reduce(function):
    return lambda *args: functools.reduce(function, args)


FLOAT64_FUNCTIONS: dict[str, Callable] = {
    "exp": np.exp, "log": _np_log, "ln": np.log, "log1p": np.log1p, "expm1": np.expm1, "log2": np.log2,
    "log10": np.log10, "sqrt": np.sqrt, "pow": np.power,
    "sin": np.sin, "cos": np.cos, "tan": np.tan, "atan": np.arctan,
    "sinh": np.sinh, "cosh": np.cosh, "tanh": np.tanh, "asinh": np.arcsinh,
    "erf": _np_erf(math.erf), "erfc": _np_erf(math.erfc),
    "Abs": np.abs, "abs": np.abs, "sign": np.sign, "Heaviside": lambda x, h=0.5: np.heaviside(x, h),
    "Max": _np_reduce(np.maximum), "max": _np_reduce(np.maximum), "Min": _np_reduce(np.minimum),
    "min": _np_reduce(np.minimum), "clip": lambda x, lo, hi: np.minimum(np.maximum(x, lo), hi),
    "softplus": lambda x: np.logaddexp(0.0, x),
}


class Float64:
    """NumPy float64, vectorized over the sample points, in the order the formula is written."""

    name = "float64"

    def number(self, text: str):
        return np.float64(float(text))

    def constant(self, name: str):
        return np.float64({"pi": math.pi, "E": math.e}[name])

    add = staticmethod(lambda a, b: np.add(a, b))
    sub = staticmethod(lambda a, b: np.subtract(a, b))
    mul = staticmethod(lambda a, b: np.multiply(a, b))
    div = staticmethod(lambda a, b: np.divide(a, b))
    power = staticmethod(lambda a, b: np.power(a, b))

    def compare(self, site, op: str, a, b):
        return {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}[op](a, b)

    def piecewise(self, site, pairs, env):
        values = [value(env) for value, _ in pairs]
        conditions = [condition(env) for _, condition in pairs]
        shape = np.broadcast_shapes(*(np.shape(v) for v in values + conditions))
        return np.select([np.broadcast_to(c, shape) for c in conditions],
                         [np.broadcast_to(v, shape) for v in values], np.nan)

    def where(self, site, condition, a, b, env):
        return np.where(condition(env), a(env), b(env))

    def call(self, site, name: str, args):
        return FLOAT64_FUNCTIONS[name](*args)


FLOAT64 = Float64()
_COMPARISONS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_ARITHMETIC = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "power"}


class Compiler:
    """Compiles formula text to closures `env -> value` for one backend.

    `functions` are the document's definitions and the labeller's catalog (definitions shadow the catalog);
    `constants` are names bound to formulas without variables (`eps = 1e-5`).
    """

    def __init__(self, backend, functions: Mapping[str, FunctionDef], constants: Mapping[str, str]):
        self.backend = backend
        self.functions = functions
        self.constants = constants
        self._bodies: dict[tuple[str, str], Fn] = {}
        self._sites = 0

    def compile(self, text: str, variables: tuple[str, ...]) -> Fn:
        source = python_text(text)
        tree = ast.parse(source, mode="eval").body
        return _Builder(self, source, frozenset(variables)).build(tree)

    def function(self, name: str, variant: str = "body") -> Fn:
        """The closure of a function's body (or float64 body, or derivative) over its parameters."""
        key = (name, variant)
        if key not in self._bodies:
            definition = self.functions[name]
            text = getattr(definition, variant) or definition.body
            self._bodies[key] = self.compile(text, definition.params)
        return self._bodies[key]

    def next_site(self) -> tuple:
        self._sites += 1
        return (self._sites,)


class _Builder:
    def __init__(self, compiler: Compiler, source: str, variables: frozenset[str]):
        self.compiler = compiler
        self.backend = compiler.backend
        self.source = source
        self.variables = variables

    def build(self, node: ast.AST) -> Fn:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise SyntaxError(f"unsupported syntax: {ast.unparse(node)}")
        return method(node)

    def _Constant(self, node: ast.Constant) -> Fn:
        if isinstance(node.value, bool):
            return lambda env, v=node.value: v
        text = ast.get_source_segment(self.source, node)
        backend = self.backend
        return lambda env: backend.number(text)

    def _Name(self, node: ast.Name) -> Fn:
        name = node.id
        if name in self.variables:
            return lambda env: env[name]
        if name in self.compiler.constants:
            return self.compiler.compile(self.compiler.constants[name], ())
        if name in ("pi", "E"):
            return lambda env: self.backend.constant(name)
        raise NameError(f"undefined name {name}")

    def _UnaryOp(self, node: ast.UnaryOp) -> Fn:
        operand = self.build(node.operand)
        if isinstance(node.op, ast.USub):
            return lambda env: -operand(env)
        if isinstance(node.op, ast.UAdd):
            return operand
        raise SyntaxError("unsupported unary operator")

    def _BinOp(self, node: ast.BinOp) -> Fn:
        left, right = self.build(node.left), self.build(node.right)
        operation = getattr(self.backend, _ARITHMETIC[type(node.op)])
        return lambda env: operation(left(env), right(env))

    def _Compare(self, node: ast.Compare) -> Fn:
        if len(node.ops) != 1:
            raise SyntaxError("chained comparison")
        left, right = self.build(node.left), self.build(node.comparators[0])
        op, site, backend = _COMPARISONS[type(node.ops[0])], self.compiler.next_site(), self.backend
        return lambda env: backend.compare(site, op, left(env), right(env))

    def _Call(self, node: ast.Call) -> Fn:
        if not isinstance(node.func, ast.Name) or node.keywords:
            raise SyntaxError("only calls of named functions")
        name, site, backend = node.func.id, self.compiler.next_site(), self.backend
        if name == "Piecewise":
            pairs = [(self.build(arg.elts[0]), self.build(arg.elts[1])) for arg in node.args]
            return lambda env: backend.piecewise(site, pairs, env)
        args = [self.build(arg) for arg in node.args]
        if name == "where":
            return lambda env: backend.where(site, *args, env)
        prime = PRIME_SUFFIX.match(name)
        if prime:
            return self._prime(prime.group(1), int(prime.group(2)), args, site)
        if name in self.compiler.functions and not self.compiler.functions[name].primitive:
            return self._call_function(name, "body", args, site)
        if name not in FLOAT64_FUNCTIONS or name not in exact.FUNCTIONS:
            raise NameError(f"unknown function {name}")
        return lambda env: backend.call(site, name, [arg(env) for arg in args])

    def _call_function(self, name: str, variant: str, args: list[Fn], site: tuple) -> Fn:
        definition = self.compiler.functions[name]
        if self.backend is FLOAT64 and getattr(definition, f"float64_{variant}", None):
            variant = f"float64_{variant}"
        params = definition.params
        if not len(params) - len(definition.defaults) <= len(args) <= len(params):
            raise TypeError(f"{name} takes {len(params)} arguments")
        defaults = [self.compiler.compile(definition.defaults[p], ()) for p in params[len(args):]]
        compiler = self.compiler

        def call(env):
            values = [arg(env) for arg in args] + [default(env) for default in defaults]
            exact.TRACK.path.append(site)
            try:
                return compiler.function(name, variant)(dict(zip(params, values)))
            finally:
                exact.TRACK.path.pop()

        return call

    def _prime(self, name: str, order: int, args: list[Fn], site: tuple) -> Fn:
        definition = self.compiler.functions.get(name)
        if definition is None:
            raise NameError(f"prime of unknown function {name}")
        if definition.derivative and order == 1:
            return self._call_function(name, "derivative", args, site)
        if self.backend is FLOAT64:
            raise NoFloat64Form(f"{name}{chr(39) * order} has no float64 form here")
        body = self._call_function(name, "body", [lambda env: env["__t"]] + args[1:], site)
        backend = self.backend

        def derivative(env):
            fixed = dict(env)

            def along(t):
                fixed["__t"] = t
                return body(fixed)
            return backend.derivative(along, args[0](env), order)

        return derivative
