"""The safe formula parser: text -> syntax tree (`neurogebra.syntax`) -> SymPy (`neurogebra.builder`), knowing
the math functions and the catalog's (relu, sigmoid, mse ...) unless told which functions a formula may call.

This is the parser's public face: it also gives the names of the modules below it that users need.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import sympy

from neurogebra.builder import CONSTANTS, MATH_FUNCTIONS, Builder, FormulaFunction, build_formula, symbol
from neurogebra.catalog.formulas import default_functions
from neurogebra.syntax import Node, ParseError, Token, parse_tree, tokenize


def parse_formula(text: str, functions: Mapping[str, FormulaFunction] | None = None,
                  names: Mapping[str, sympy.Expr] | None = None) -> sympy.Expr:
    """Parse formula text into a SymPy expression, safely. Raises ParseError with the offending offset."""
    return build_formula(text, default_functions() if functions is None else functions, names)


__all__: Sequence[str] = ["ParseError", "parse_formula", "parse_tree", "symbol", "FormulaFunction",
                          "MATH_FUNCTIONS", "CONSTANTS", "Builder", "Node", "Token", "tokenize", "default_functions"]
