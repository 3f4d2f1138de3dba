"""SymPy expressions as text: SymPy syntax (valid formula input again) and a unicode picture."""
from __future__ import annotations

import sympy
from sympy.printing.pretty.pretty import PrettyPrinter

from neurogebra.analysis.model import Rendered

SIGNIFICANT_DIGITS = 12


def formula_text(expr: sympy.Expr) -> str:
    """SymPy's text form, which our parser reads back; floats as short as they print (0.8, not 0.800000000000000)."""
    return sympy.sstr(expr, full_prec=False)


def render(expr: sympy.Expr, picture: bool = True) -> Rendered:
    """`picture=False` skips the 2-D pretty-print (the costliest part) and shows the text form instead."""
    if expr.is_number and not expr.free_symbols:
        return render_number(expr)
    text = formula_text(expr)
    if not picture:
        return Rendered(text, text)
    printer = PrettyPrinter({"use_unicode": True, "num_columns": 100})
    form = printer._print(expr)
    return Rendered(text, form.render(wrap_line=False), form.baseline)


def render_number(value: sympy.Expr) -> Rendered:
    """Integers exactly; everything else as a decimal (0.5, not 1/2), the way ML people read values."""
    if value.is_Integer:
        text = str(int(value))
    elif value.is_real is False or value.has(sympy.zoo, sympy.nan):
        text = "undefined"
    else:
        number = float(value.evalf(SIGNIFICANT_DIGITS + 3))
        text = f"{number:.{SIGNIFICANT_DIGITS}g}"
    return Rendered(text, text)
