"""Closed forms as textbooks write them: each rewrite is algebra (checked here on the text), and the engine shows
the rewritten form only after verifying it again (tests/unit/test_matrix_gradients.py, tests/corpus)."""
from __future__ import annotations

import pytest

from neurogebra.analysis.matrix_calculus import render
from neurogebra.analysis.matrix_textbook import textbook

SHAPES = {"x": ("n",), "y": ("m",), "A": ("n", "n"), "X": ("m", "n"), "B": ("m", "m"), "C": ("n", "k"),
          "K": ("k", "n"), "W": ("m", "n")}


@pytest.mark.parametrize(("written", "textbook_form"), [
    ("x @ A + A @ x", "(A + A.T) @ x"),                                  # a vector first is the matrix transposed
    ("(X.T @ B).T + (X.T @ B.T).T", "(B + B.T) @ X"),                    # transposes pushed in, terms gathered
    ("(K @ X.T @ B).T @ C.T + (K.T @ (C.T @ X.T @ B.T)).T", "B.T @ X @ K.T @ C.T + B @ X @ C @ K"),
    ("x @ A - A @ x", "(A.T - A) @ x"),
    ("-x @ A - A @ x", "-((A + A.T) @ x)"),
    ("A.T.T @ x", "A @ x"),
    ("(W @ x - y).T", "W @ x - y"),                                     # a vector's transpose is itself
])
def test_rewrites(written, textbook_form):
    assert textbook(written, SHAPES, render) == textbook_form


@pytest.mark.parametrize("kept", ["x @ A @ x", "2*outer(W @ x - y, x)", "-X.T @ (y*sigmoid(X @ x))", "inv(A).T",
                                  "W.T @ (W @ x - y)"])
def test_what_no_rule_changes_keeps_its_text(kept):
    assert textbook(kept, {**SHAPES, "y": ("m",)}, render) == kept
