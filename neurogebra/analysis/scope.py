"""Name resolution for formulas inside a document: user functions and constants, the catalog, math."""
from __future__ import annotations

from typing import Collection, Mapping

import sympy

from neurogebra.analysis.model import Code
from neurogebra.parsing import Builder, FormulaFunction, Node, ParseError, default_functions, symbol
from neurogebra.suggest import did_you_mean


def user_function(name: str, params: tuple[str, ...], body: sympy.Expr, description: str = "") -> FormulaFunction:
    symbols = tuple(symbol(p) for p in params)

    def apply(*args: sympy.Expr) -> sympy.Expr:
        return body.xreplace(dict(zip(symbols, args)))

    return FormulaFunction(name, params, len(params), description, apply=apply)


class ScopedBuilder(Builder):
    """A Builder that knows the document's names. `allowed` limits free variables (None: any name is one)."""

    def __init__(self, text: str, functions: Mapping[str, FormulaFunction], constants: Mapping[str, sympy.Expr],
                 allowed: Collection[str] | None, unusable: Mapping[str, str] | None = None,
                 document_names: Collection[str] = ()) -> None:
        super().__init__(text, {**default_functions(), **functions}, constants)
        self.user_functions = functions
        self.allowed = allowed
        self.unusable = unusable or {}  # names defined in the document that cannot be used, with the reason
        self.document_names = document_names  # every name the document defines, for "did you mean"

    def function(self, node: Node) -> FormulaFunction:
        reason = self.unusable.get(node.value)
        if reason:
            raise ParseError(reason, node.start, node.name_end - node.start, code=Code.DEPENDENCY_ERROR.value)
        return super().function(node)

    def variable(self, name: str, node: Node) -> sympy.Expr:
        reason = self.unusable.get(name)
        if reason:
            raise self.error(node, reason, code=Code.DEPENDENCY_ERROR.value)
        if name in self.user_functions:
            raise self.error(node, f"'{name}' is a function: call it, as in {name}(x)")
        if self.allowed is None or name in self.allowed:
            return symbol(name)
        known = sorted(set(self.allowed) | set(self.names) | set(self.user_functions) | set(self.document_names))
        close = did_you_mean(name, known)
        hint = f"did you mean {close[0]}?" if close else (
            f"the variables here are {', '.join(sorted(self.allowed))}" if self.allowed else None)
        raise self.error(node, f"undefined name '{name}'", hint, "undefined-name")
