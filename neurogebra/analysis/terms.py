"""Formulas in the user's own terms: what the tool shows and writes keeps the document's names (mu, var3, eps),
the catalog's (sigmoid(x)) and the user's own numbers (sqrt(2/pi)) instead of writing them out.

A name stands in a formula as a `Named` application, a SymPy function that knows its body; SymPy's chain rule
differentiates through it (d/dx1 of (x1 - mu)/sqrt(var3 + eps) keeps mu, var3 and eps), and `inline` writes the
bodies back in for evaluation. Nothing in user terms is shown or inserted unless its inlined form is the
formula it stands for, exactly (`same_function`).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Mapping, Sequence

import mpmath
import sympy
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from neurogebra.analysis.notation import latex_name
from neurogebra.analysis.render import unicode_text
from neurogebra.analysis.scope import ScopedBuilder
from neurogebra.calculus import differentiate
from neurogebra.catalog.formulas import catalog_functions, stable_derivative
from neurogebra.compiled import CompileError, Unevaluable
from neurogebra.domains import Domain
from neurogebra.numerics import exact_value, stability_rows
from neurogebra.parsing import MATH_FUNCTIONS, FormulaFunction, Node, symbol

MAX_SIMPLIFIED_OPS = 30
MAX_TIDIED_OPS = 150
MAX_EXPANDED_OPS = 200
MAX_PRIMES = 3  # sigmoid'''(x) at most: hovers show three orders
CHECK_POINTS = 6
AGREEMENT = mpmath.mpf(10) ** -20  # exact values agree to 24 digits


class Named(sympy.Function):
    """An application of a named formula. Subclasses (one per name, made by `named`) carry `body` in `params`,
    and `bare` for constants, written without arguments (eps)."""

    body: sympy.Expr
    params: tuple[sympy.Symbol, ...]
    bare: bool = False
    label: str = ""
    shown: sympy.Expr | None = None  # a number as the user wrote it: sqrt(2/pi), not sqrt(2)/sqrt(pi)

    @classmethod
    def expansion(cls) -> sympy.Expr:
        """The body, in `params`."""
        return cls.body

    @classmethod
    def partial(cls, index: int) -> sympy.Expr:
        """The derivative in the index-th parameter, in `params`; kept by the class, so that a name defined through
        a chain of others, each of whose partials is known, is differentiated one level deep."""
        known = cls.__dict__.get("partials")
        if known is None:
            known = cls.partials = {}
        if index not in known:
            known[index] = differentiate(cls.expansion(), cls.params[index])
        return known[index]

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return self.partial(argindex - 1).xreplace(dict(zip(self.params, self.args)))

    def _sympystr(self, printer) -> str:
        if self.shown is not None:
            return printer._print(self.shown)
        base = self.label.rstrip("'")
        name = getattr(printer, "read_as", {}).get(base, base) + self.label[len(base):].translate(
            getattr(printer, "primes", {}))
        if self.bare:
            return name
        return f"{name}({', '.join(printer._print(arg) for arg in self.args)})"

    def _latex(self, printer, exp: str | None = None) -> str:
        if self.shown is not None:
            text = printer._print(self.shown)
        else:
            base = self.label.rstrip("'")
            head = r"\sigma" if base == "sigmoid" else latex_name(base, upright=not self.bare)
            text = head + self.label[len(base):]
            if not self.bare:
                text += r"\left(" + ", ".join(printer._print(arg) for arg in self.args) + r"\right)"
        return text if exp is None else rf"\left({text}\right)^{{{exp}}}"


def named(name: str, params: Sequence[str], body: sympy.Expr, bare: bool = False,
          methods: Mapping[str, classmethod] | None = None) -> type[Named]:
    """A new Named class; classes compare by identity, so two documents' `mu` never mix. `methods` replace
    Named's own (expansion, partial)."""
    return type(f"Named_{name}", (Named,), {
        "body": body, "params": tuple(symbol(p) for p in params), "bare": bare, "label": name, "nargs": len(params),
        **(methods or {})})


class NamedBuilder(ScopedBuilder):
    """Builds a formula in user terms: a number the user wrote as a call of a math function (sqrt(2/pi),
    log(2)) stays as written, wherever SymPy would have rewritten it."""

    def _build_call(self, node: Node) -> sympy.Expr:
        value = super()._build_call(node)
        if node.value not in MATH_FUNCTIONS or node.primes or value.free_symbols or value.is_Rational \
                or value.is_Float or value.has(Named):
            return value
        with sympy.evaluate(False):
            shown = super()._build_call(node)
        cls = named(self.text[node.start:node.end], (), value, bare=True)
        cls.shown = shown
        return cls()


def named_function(cls: type[Named]) -> FormulaFunction:
    """The function a formula calls by this name."""
    params = tuple(p.name for p in cls.params)
    return FormulaFunction(cls.label, params, len(params), apply=lambda *args: cls(*args))


@lru_cache(maxsize=None)
def _catalog_class(name: str, arguments: int, order: int = 0) -> type[Named]:
    """elu(x) and elu(x, alpha) are two classes: what is left out takes its default. A function of one input
    differentiates into its primed name, sigmoid'(x), which is the catalog's stable derivative."""
    function = catalog_functions()[name]
    params = function.params[:arguments]
    methods: dict[str, classmethod] = {}
    if order != 0:  # the stable derivative is worked out only when something evaluates it
        methods["expansion"] = classmethod(lambda c: stable_derivative(name, order))
    if arguments == 1 and function.min_args == 1 and order < MAX_PRIMES:
        methods["partial"] = classmethod(lambda c, index: _catalog_class(name, 1, order + 1)(c.params[0]))
    if order == 0:
        return named(name, params, function.apply(*map(symbol, params)), methods=methods)
    return named(name + "'" * order, params, sympy.nan, methods=methods)


@lru_cache(maxsize=1)
def catalog_named() -> dict[str, FormulaFunction]:
    """The catalog's functions, kept by name (sigmoid(x) stays sigmoid(x), its derivative the catalog's stable
    one)."""
    return {name: _catalog_function(name, function) for name, function in catalog_functions().items()
            if name not in MATH_FUNCTIONS}  # tanh(x) is the math function: its derivative is 1 - tanh(x)**2


def _catalog_function(name: str, function: FormulaFunction) -> FormulaFunction:
    return FormulaFunction(function.name, function.params, function.min_args, function.description,
                           apply=lambda *args: _catalog_class(name, len(args))(*args))


def inline(expr: sympy.Expr) -> sympy.Expr:
    """Every name written out: the formula as evaluation sees it."""
    if not expr.has(Named):
        return expr
    return expr.replace(lambda e: isinstance(e, Named),
                        lambda e: inline(e.expansion().xreplace(dict(zip(e.params, e.args)))))


def tidy(expr: sympy.Expr) -> sympy.Expr:
    """The shortest of a few equal forms (SymPy's own, common factors pulled out, one fraction, simplified while
    small), by how long it reads; whole floats as integers."""
    expr = expr.xreplace({f: sympy.Integer(int(f)) for f in expr.atoms(sympy.Float) if float(f).is_integer()})
    operations = sympy.count_ops(expr)
    if operations > MAX_TIDIED_OPS:
        return expr
    forms = [expr, sympy.factor_terms(expr), sympy.together(expr)]
    if operations <= MAX_SIMPLIFIED_OPS and not expr.has(sympy.Piecewise, TrigonometricFunction, HyperbolicFunction):
        forms.append(sympy.simplify(expr))  # trigsimp alone can take seconds
    return min(forms, key=lambda form: (len(unicode_text(form)), forms.index(form)))


def derivative(expr: sympy.Expr, variable: sympy.Symbol) -> sympy.Expr:
    """d/dx in user terms; a derivative that would only restate a name (relu'(x) for d/dx relu(x)) is written
    out."""
    found = differentiate(expr, variable)
    if isinstance(found, Named):
        found = found.expansion().xreplace(dict(zip(found.params, found.args)))
    return tidy(found)


def same_function(named_form: sympy.Expr, reference: sympy.Expr, domains: Mapping[str, Domain]) -> bool:
    """`named_form` written out is `reference`: symbolically the same after expansion (while small), or equal in
    exact arithmetic at points of the domain, both undefined at the same ones, with values at two points at least."""
    written = inline(named_form)
    difference = written - reference
    if difference == 0 or sympy.count_ops(difference) <= MAX_EXPANDED_OPS and sympy.expand(difference) == 0:
        return True
    variables = sorted(written.free_symbols | reference.free_symbols, key=lambda s: s.name)
    compared = 0
    for row in stability_rows(variables, domains, CHECK_POINTS, seed=7)[:CHECK_POINTS]:  # not the stress rows
        a, b = _exact(written, variables, row), _exact(reference, variables, row)
        if (a is None) != (b is None) or (a is not None and b is not None
                                          and abs(a - b) > max(abs(a), abs(b)) * AGREEMENT):
            return False
        compared += a is not None
    return compared >= 2


def _exact(expr: sympy.Expr, variables: Sequence[sympy.Symbol], row) -> mpmath.mpf | None:
    try:
        return exact_value(expr, variables, row)
    except (Unevaluable, CompileError):  # out of reach (exp(1e50)): no evidence either way
        return None
