"""Name resolution for formulas inside a document: user functions and constants, the catalog, math."""
from __future__ import annotations

from typing import Collection, Mapping

import sympy

from neurogebra.analysis.model import Code
from neurogebra.parsing import Builder, FormulaFunction, Node, ParseError, default_functions, symbol
from neurogebra.suggest import did_you_mean
from neurogebra.syntax import MAX_DEPTH

# A formula with the document's definitions written out is analyzed up to this depth and size (its tree, repeats
# counted): symbolic work grows faster than the formula, and SymPy recurses over it.
MAX_EXPANDED_DEPTH = MAX_DEPTH  # the parser's own limit
MAX_EXPANDED_SIZE = 20_000


def tree_shape(expr: sympy.Basic) -> tuple[int, int]:
    """The depth and the size of an expression's tree, without recursion; a subexpression that appears many
    times is measured once."""
    shapes: dict[int, tuple[int, int]] = {}
    pending: list[tuple[sympy.Basic, bool]] = [(expr, False)]
    while pending:
        node, measured_args = pending.pop()
        if id(node) in shapes:
            continue
        if not measured_args:
            pending.append((node, True))
            pending.extend((arg, False) for arg in node.args if id(arg) not in shapes)
            continue
        arg_shapes = [shapes[id(arg)] for arg in node.args]
        shapes[id(node)] = (1 + max((depth for depth, _ in arg_shapes), default=0),
                            1 + sum(size for _, size in arg_shapes))
    return shapes[id(expr)]


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
        self.expanded = False  # whether a definition of the document was written into the formula

    def build(self, node: Node) -> sympy.Expr:
        result = super().build(node)
        if self.expanded:
            self.check_expanded(node, result)
        return result

    def _build_call(self, node: Node) -> sympy.Expr:
        result = super()._build_call(node)
        if node.value in self.user_functions:
            self.expanded = True
            self.check_expanded(node, result)  # before the next call builds on it: f(x)*f(x + 1) doubles
        return result

    def _build_name(self, node: Node) -> sympy.Expr:
        self.expanded = self.expanded or node.value in self.names
        return super()._build_name(node)

    def check_expanded(self, node: Node, expr: sympy.Expr) -> None:
        depth, size = tree_shape(expr)
        what = "this formula" if node.kind != "call" or node.value not in self.user_functions else f"{node.value}(...)"
        if depth > MAX_EXPANDED_DEPTH:
            raise self.error(node, f"too complex to analyze: {what}, with the definitions it uses written out, is "
                                   f"nested {depth} levels deep (the limit is {MAX_EXPANDED_DEPTH})",
                             code=Code.TOO_COMPLEX.value)
        if size > MAX_EXPANDED_SIZE:
            raise self.error(node, f"too complex to analyze: {what}, with the definitions it uses written out, has "
                                   f"{size:,} parts (the limit is {MAX_EXPANDED_SIZE:,})",
                             code=Code.TOO_COMPLEX.value)

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
        if self.allowed is None:
            return super().variable(name, node)
        if name in self.allowed:
            return symbol(name)
        known = sorted(set(self.allowed) | set(self.names) | set(self.user_functions) | set(self.document_names))
        close = did_you_mean(name, known)
        hint = f"did you mean {close[0]}?" if close else (
            f"the variables here are {', '.join(sorted(self.allowed))}" if self.allowed else None)
        raise self.error(node, f"undefined name '{name}'", hint, "undefined-name")
