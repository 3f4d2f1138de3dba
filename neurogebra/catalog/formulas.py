"""The catalog's entries as functions formulas can call (relu(x), huber(y_pred, y_true, delta)): their formulas
parsed on first use, and their derivatives in stable forms, as prime notation (sigmoid'(x)) computes them."""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Mapping, Sequence

import sympy

from neurogebra.builder import MATH_FUNCTIONS, FormulaFunction, build_formula, symbol
from neurogebra.calculus import differentiate
from neurogebra.catalog import ALIASES, ENTRIES, Entry, canonical_name
from neurogebra.stable import stable_form


@lru_cache(maxsize=None)
def entry_expr(name: str) -> sympy.Expr:
    """The entry's formula parsed (once) into SymPy; its free symbols are its inputs and parameters."""
    canonical = canonical_name(name)
    if canonical is None:
        raise KeyError(f"no catalog entry named {name!r}")
    if canonical != name:
        return entry_expr(canonical)
    return build_formula(ENTRIES[name].formula, default_functions())


def default_value(value: float) -> sympy.Expr:
    """A parameter default as it appears when a formula call leaves it out (1.0 reads as 1)."""
    return sympy.Integer(int(value)) if float(value).is_integer() else sympy.Float(value)


def formula_function(name: str, inputs: Sequence[str], params: Mapping[str, float],
                     expr: Callable[[], sympy.Expr], description: str = "",
                     derivative: Callable[[sympy.Symbol, int], sympy.Expr] | None = None) -> FormulaFunction:
    """A formula function whose call puts its arguments in place of `inputs` then `params` in `expr()`;
    parameters left out take their default values."""
    variables = tuple(inputs) + tuple(params)
    defaults = [default_value(v) for v in params.values()]

    def apply(*args: sympy.Expr) -> sympy.Expr:
        values = list(args) + defaults[len(args) - len(inputs):]
        return expr().xreplace({symbol(n): value for n, value in zip(variables, values)})

    return FormulaFunction(name, variables, len(inputs), description, apply=apply, derivative=derivative)


@lru_cache(maxsize=None)
def stable_derivative(name: str, order: int = 1) -> sympy.Expr:
    """The entry's order-th derivative (parameters at their defaults) in its first input, in a form float64
    evaluates accurately over the entry's domain where SymPy's own does not: what prime notation (sigmoid'(x))
    computes."""
    entry = ENTRIES[canonical_name(name) or name]  # KeyError for a name that is not in the catalog
    variable = symbol(entry.inputs[0])
    derivative = differentiate(catalog_functions()[name].apply(variable), variable, order)
    return stable_form(derivative, {variable.name: entry.domain_of(variable.name)}) or derivative


@lru_cache(maxsize=None)
def catalog_functions() -> dict[str, FormulaFunction]:
    """Every entry and alias as a formula function: relu(x), mse(y_pred, y_true), huber(y_pred, y_true, delta)."""
    def function(name: str, entry: Entry) -> FormulaFunction:
        def derivative(variable: sympy.Symbol, order: int) -> sympy.Expr:
            return stable_derivative(name, order).xreplace({symbol(entry.inputs[0]): variable})

        return formula_function(name, entry.inputs, entry.params, lambda: entry_expr(entry.name), entry.description,
                                derivative if len(entry.inputs) == 1 else None)

    table = {name: function(name, entry) for name, entry in ENTRIES.items()}
    table.update((alias, function(alias, ENTRIES[target])) for alias, target in ALIASES.items())
    return table


def default_functions() -> Mapping[str, FormulaFunction]:
    """What a formula may call unless told otherwise: the math functions and the catalog's."""
    return {**catalog_functions(), **MATH_FUNCTIONS}
