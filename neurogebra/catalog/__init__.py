"""The catalog: named formulas (activations, losses, regularizers, statistics, metrics, transforms).

`ENTRIES` is plain data and cheap to import. Expressions are parsed on first use (`entry_expr`), and the
parser imports `catalog_functions` lazily, so this module imports the parser only inside functions.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

from neurogebra.catalog import activations, losses, metrics, regularizers, statistics, transforms
from neurogebra.catalog.entry import CATEGORIES, Entry

if TYPE_CHECKING:
    import sympy

    from neurogebra.parsing import FormulaFunction

ENTRIES: dict[str, Entry] = {
    entry.name: entry
    for module in (activations, losses, regularizers, statistics, metrics, transforms)
    for entry in module.ENTRIES
}
ALIASES: dict[str, str] = {alias: entry.name for entry in ENTRIES.values() for alias in entry.aliases}


def canonical_name(name: str) -> str | None:
    """The entry a name or alias refers to, or None."""
    return name if name in ENTRIES else ALIASES.get(name)


@lru_cache(maxsize=None)
def entry_expr(name: str) -> "sympy.Expr":
    """The entry's formula parsed (once) into SymPy; its free symbols are its inputs and parameters."""
    from neurogebra.parsing import parse_formula

    canonical = canonical_name(name)
    if canonical is None:
        raise KeyError(f"no catalog entry named {name!r}")
    if canonical != name:
        return entry_expr(canonical)
    return parse_formula(ENTRIES[name].formula)


def default_value(value: float) -> "sympy.Expr":
    """A parameter default as it appears when a formula call leaves it out (1.0 reads as 1)."""
    import sympy

    return sympy.Integer(int(value)) if float(value).is_integer() else sympy.Float(value)


def formula_function(name: str, inputs: Sequence[str], params: Mapping[str, float],
                     expr: Callable[[], "sympy.Expr"], description: str = "",
                     derivative: Callable[["sympy.Symbol", int], "sympy.Expr"] | None = None) -> "FormulaFunction":
    """A formula function whose call puts its arguments in place of `inputs` then `params` in `expr()`;
    parameters left out take their default values."""
    from neurogebra.parsing import FormulaFunction, symbol

    variables = tuple(inputs) + tuple(params)
    defaults = [default_value(v) for v in params.values()]

    def apply(*args: "sympy.Expr") -> "sympy.Expr":
        values = list(args) + defaults[len(args) - len(inputs):]
        return expr().xreplace({symbol(n): value for n, value in zip(variables, values)})

    return FormulaFunction(name, variables, len(inputs), description, apply=apply, derivative=derivative)


@lru_cache(maxsize=None)
def stable_derivative(name: str, order: int = 1) -> "sympy.Expr":
    """The entry's order-th derivative (parameters at their defaults) in its first input, in a form float64
    evaluates accurately over the entry's domain where SymPy's own does not: what prime notation (sigmoid'(x))
    computes."""
    from neurogebra.calculus import differentiate
    from neurogebra.parsing import symbol
    from neurogebra.stable import stable_form

    entry = ENTRIES[canonical_name(name)]
    variable = symbol(entry.inputs[0])
    derivative = differentiate(catalog_functions()[name].apply(variable), variable, order)
    return stable_form(derivative, {variable.name: entry.domain_of(variable.name)}) or derivative


@lru_cache(maxsize=None)
def catalog_functions() -> dict[str, "FormulaFunction"]:
    """Every entry and alias as a formula function: relu(x), mse(y_pred, y_true), huber(y_pred, y_true, delta)."""
    def function(name: str, entry: Entry) -> "FormulaFunction":
        def derivative(variable: "sympy.Symbol", order: int) -> "sympy.Expr":
            from neurogebra.parsing import symbol

            return stable_derivative(name, order).xreplace({symbol(entry.inputs[0]): variable})

        return formula_function(name, entry.inputs, entry.params, lambda: entry_expr(entry.name), entry.description,
                                derivative if len(entry.inputs) == 1 else None)

    table = {name: function(name, entry) for name, entry in ENTRIES.items()}
    table.update((alias, function(alias, ENTRIES[target])) for alias, target in ALIASES.items())
    return table


__all__ = ["ALIASES", "CATEGORIES", "ENTRIES", "Entry", "canonical_name", "catalog_functions", "entry_expr",
           "formula_function"]
