"""The editors' syntax files name every function a formula can call: the math functions and the catalog's entries
(VS Code's TextMate grammar here; Neovim's syntax file in tests/editors/test_nvim.py)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from neurogebra.builder import MATH_FUNCTIONS
from neurogebra.catalog.formulas import catalog_functions

GRAMMAR = Path(__file__).resolve().parents[2] / "editors" / "vscode" / "syntaxes" / "ngb.tmLanguage.json"


def test_the_vscode_grammar_names_every_function():
    match = json.loads(GRAMMAR.read_text(encoding="utf-8"))["repository"]["catalog-function"]["match"]
    [alternatives] = re.fullmatch(r"\\b\((.*)\)\(\?=\\s\*\\\(\)", match).groups()
    names = alternatives.split("|")
    assert set(names) == {*MATH_FUNCTIONS, *catalog_functions()}
    assert names == sorted(names, key=lambda name: (-len(name), name))  # longest first: no prefix wins early
