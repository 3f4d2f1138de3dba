"""SymPy expressions as text, three ways: SymPy syntax (valid formula input again), one line of unicode for
reading (x² + 3·x + 2, √x, σ(x)·(1 − σ(x))), and LaTeX for clients that typeset."""
from __future__ import annotations

import re

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from neurogebra.analysis.model import Rendered
from neurogebra.analysis.notation import latex_name, unicode_name

SIGNIFICANT_DIGITS = 12
SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
READ_AS = {"sigmoid": "σ", "pi": "π", "E": "e"}


def formula_text(expr: sympy.Expr) -> str:
    """SymPy's text form, which our parser reads back, as a person orders it (b - a, not -a + b); floats as
    short as they print (0.8, not 0.800000000000000)."""
    return FormulaPrinter({"full_prec": False}).doprint(expr)


def leading_positive(terms: list[sympy.Expr]) -> list[sympy.Expr]:
    """x₁ − mu rather than −mu + x₁: the first term without a minus sign goes first."""
    first = next((i for i, term in enumerate(terms) if not term.could_extract_minus_sign()), 0)
    return [terms[first]] + terms[:first] + terms[first + 1:]


def short_float(value: sympy.Float) -> str:
    """1e-5, 0.044715: as short as Python prints the float, without an exponent's leading zeros."""
    return without_exponent_zeros(repr(float(value)))


def without_exponent_zeros(text: str) -> str:
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", text).replace("e+", "e")


class FormulaPrinter(StrPrinter):
    def _as_ordered_terms(self, expr: sympy.Expr, order: str | None = None) -> list[sympy.Expr]:
        return leading_positive(super()._as_ordered_terms(expr, order))


class UnicodePrinter(FormulaPrinter):
    """SymPy's text form with the notation of a page: superscript powers, √, ·, −, and x₁ for x1."""

    read_as = READ_AS
    primes = str.maketrans({"'": "′"})

    def _print_Float(self, expr: sympy.Float) -> str:
        return short_float(expr)

    def _print_Symbol(self, expr: sympy.Symbol) -> str:
        return unicode_name(expr.name)

    def _print_Pow(self, expr: sympy.Pow, rational: bool = False) -> str:
        base, exponent = expr.as_base_exp()
        if exponent == sympy.S.Half:
            inner = self._print(base)
            return f"√{inner}" if base.is_Atom else f"√({inner})"
        if exponent.is_Integer and 1 < abs(exponent) < 100:
            inner = self.parenthesize(base, sympy.printing.precedence.PRECEDENCE["Pow"], strict=True)
            power = inner + str(abs(exponent)).translate(SUPERSCRIPTS)
            return power if exponent > 0 else f"1/{power}"
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Function(self, expr: sympy.Function) -> str:
        name = expr.func.__name__
        return f"{READ_AS.get(name, name)}({', '.join(self._print(a) for a in expr.args)})"

    def _print_Abs(self, expr: sympy.Abs) -> str:
        return f"|{self._print(expr.args[0])}|"

    def _print_Pi(self, expr: sympy.Expr) -> str:
        return "π"

    def _print_Exp1(self, expr: sympy.Expr) -> str:
        return "e"

    def _print_Infinity(self, expr: sympy.Expr) -> str:
        return "∞"

    def _print_NegativeInfinity(self, expr: sympy.Expr) -> str:
        return "−∞"


def unicode_text(expr: sympy.Expr) -> str:
    text = UnicodePrinter({"full_prec": False}).doprint(expr)
    return text.replace("*", "·").replace("-", "−")


class NamedLatexPrinter(LatexPrinter):
    """LaTeX in the user's names: y_true as one italic name (not y with the subscript "true"), x1 as x₁."""

    def _as_ordered_terms(self, expr: sympy.Expr, order: str | None = None) -> list[sympy.Expr]:
        return leading_positive(super()._as_ordered_terms(expr, order))

    def _print_Float(self, expr: sympy.Float) -> str:
        return latex_number(short_float(expr))

    def _print_Symbol(self, expr: sympy.Symbol, style: str = "plain") -> str:
        return latex_name(expr.name)

    def _print_Function(self, expr: sympy.Function, exp: str | None = None) -> str:
        if expr.func.__name__ == "sigmoid":
            head = r"\sigma"
        elif not hasattr(sympy, expr.func.__name__):  # the user's functions and ours (softplus)
            head = latex_name(expr.func.__name__, upright=True)
        else:
            return super()._print_Function(expr, exp)
        head = head if exp is None else f"{head}^{{{exp}}}"
        return head + r"\left(" + ", ".join(self._print(a) for a in expr.args) + r"\right)"


def latex_text(expr: sympy.Expr) -> str:
    return NamedLatexPrinter({"mul_symbol": None, "full_prec": False}).doprint(expr)


def render(expr: sympy.Expr, detail: bool = True) -> Rendered:
    """`detail=False` (the fast pass, for diagnostics) skips the reading forms. A float or an integer reads as
    a value; other numbers in a formula stay exact (1/3, √2/2)."""
    if isinstance(expr, (sympy.Float, sympy.Integer)) or expr.has(sympy.zoo, sympy.nan):
        return render_number(expr)
    text = formula_text(expr)
    if not detail:
        return Rendered(text, text)
    return Rendered(text, unicode_text(expr), latex_text(expr))


def render_number(value: sympy.Expr) -> Rendered:
    """Integers exactly; everything else as a decimal (0.5, not 1/2), the way ML people read values."""
    if value.is_Integer:
        text = str(int(value))
    elif value.is_real is False or value.has(sympy.zoo, sympy.nan):
        text = "undefined"
    else:
        number = float(value.evalf(SIGNIFICANT_DIGITS + 3))
        text = without_exponent_zeros(f"{number:.{SIGNIFICANT_DIGITS}g}")
    return Rendered(text, text.replace("-", "−"), latex_number(text))


def latex_number(text: str) -> str:
    if "e" not in text or text == "undefined":
        return r"\text{undefined}" if text == "undefined" else text
    mantissa, exponent = text.split("e")
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else rf"{mantissa} \cdot {power}"
