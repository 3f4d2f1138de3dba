"""Shapes of formulas over vectors and matrices (NumPy's rules), and shape errors at their exact range."""
from __future__ import annotations

import pytest

from neurogebra.analysis.shapes import ShapeError, infer_shapes, shape_text
from neurogebra.parsing import parse_formula
from neurogebra.syntax import ParseError, parse_tree

NAMES = {"W": ("m", "n"), "x": ("n",), "y": ("m",), "X": ("k", "k"), "B": (1, "n")}


def shape_of(text: str) -> str:
    tree = parse_tree(text)
    return shape_text(infer_shapes(text, tree, NAMES)[tree])


@pytest.mark.parametrize("text, shape", [
    ("W @ x", "(m,)"),
    ("W @ x - y", "(m,)"),
    ("sum((W @ x - y)**2)", "()"),
    ("2*outer(W @ x - y, x)", "(m, n)"),
    ("W.T @ y", "(n,)"),
    ("Wᵀ @ y", "(n,)"),
    ("y @ W", "(n,)"),
    ("x @ x", "()"),
    ("W @ W.T", "(m, m)"),
    ("W + B", "(m, n)"),
    ("W * x", "(m, n)"),
    ("exp(x) / sum(exp(x))", "(n,)"),
    ("tanh(W @ x) + 1", "(m,)"),
    ("logdet(X) + trace(inv(X))", "()"),
    ("diag(x)", "(n, n)"),
    ("diag(X)", "(k,)"),
    ("norm(W @ x - y)**2", "()"),
    ("softmax(W @ x)", "(m,)"),
    ("log_softmax(W, 1)", "(m, n)"),
    ("sum(W, 0)", "(n,)"),
    ("mean(W, 1)", "(m,)"),
    ("logsumexp(x)", "()"),
    ("x.T", "(n,)"),
    ("eye(n) @ x", "(n,)"),
    ("ones(m, n) + W", "(m, n)"),
    ("ones(3)", "(3,)"),
    ("[[1, 2], [3, 4]] @ [1, 1]", "(2,)"),
    ("W @ [1, 2, 3]", "(m,)"),  # a size letter takes the size of what is given for it
])
def test_numpy_rules(text, shape):
    assert shape_of(text) == shape


@pytest.mark.parametrize("text, covered, message", [
    ("W @ y", "@", "W @ y: (m, n) @ (m,): the inner sizes n and m differ"),
    ("sum((W @ y)**2)", "@", "W @ y: (m, n) @ (m,): the inner sizes n and m differ"),
    ("x + y", "+", "x + y: (n,) + (m,): the sizes n and m differ"),
    ("W*x - 2*y", "-", "W*x - 2*y: (m, n) - (m,): the sizes n and m differ"),
    ("x ** y", "**", "x ** y: (n,) ** (m,): the sizes n and m differ"),
    ("x @ 2", "@", "x @ 2: (n,) @ (): '@' is the product of vectors and matrices; multiply by a number with '*'"),
    ("trace(W)", "trace", "trace(W): (m, n): needs a square matrix, not a matrix (m, n)"),
    ("logdet(W)", "logdet", "logdet(W): (m, n): needs a square matrix"),
    ("inv(x)", "inv", "inv(x): (n,): needs a square matrix, not a vector (n,)"),
    ("outer(W, x)", "outer", "outer(W, x): (m, n) and (n,): needs two vectors"),
    ("softmax(W)", "softmax", "a matrix's softmax is along an axis: softmax(X, 1) for each row"),
    ("sum(W, 2)", "2", "sum's axis is 0 or 1 for a matrix (m, n)"),
    ("max(x, y)", "max", "max(x, y): (n,) and (m,): the sizes n and m differ"),
    ("eye(n, n)", "eye(n, n)", "eye(n, n): eye takes one size, each a size letter or a whole number above 0"),
    ("ones(0)", "ones(0)", "ones takes one or two sizes"),
    ("[[1, 2], [3]]", "[[1, 2], [3]]", "the rows of a matrix are vectors of one length"),
])
def test_errors_at_the_operator_or_call_with_both_shapes(text, covered, message):
    with pytest.raises(ShapeError) as caught:
        infer_shapes(text, parse_tree(text), NAMES)
    error = caught.value
    assert text[error.offset:error.offset + error.length] == covered
    assert message in error.message
    assert error.code == "shape-mismatch"


@pytest.mark.parametrize("text", ["x**2 + 3*x + 2", "softmax(1, 2, 3)", "logsumexp(a, b)", "relu(x)*y"])
def test_scalar_formulas_are_numbers(text):
    tree = parse_tree(text)
    assert infer_shapes(text, tree, {})[tree] == ()


def test_products_keep_their_flat_form_and_matmul_is_left_to_right():
    tree = parse_tree("a*b @ c*d")
    assert tree.kind == "product" and tree.value == "*"
    matmul = tree.args[0]
    assert matmul.kind == "matmul" and matmul.args[0].kind == "product"
    assert parse_tree("a*b/c").kind == "product" and parse_tree("a*b/c").value == "*/"


@pytest.mark.parametrize("text, message, offset, length", [
    ("x @ y", "'@' is the matrix product of vectors or matrices", 0, 5),
    ("x.T + 1", "the transpose (.T) is of vectors and matrices", 0, 3),
    ("trace(x)", "trace(X) is a function of vectors and matrices", 0, 5),
])
def test_a_scalar_formula_with_matrix_notation_says_what_it_needs(text, message, offset, length):
    with pytest.raises(ParseError) as caught:
        parse_formula(text)
    assert message in caught.value.message
    assert (caught.value.offset, caught.value.length) == (offset, length)


def test_attribute_access_other_than_T_is_still_refused():
    with pytest.raises(ParseError, match="attribute access"):
        parse_tree("x.Tx")
    with pytest.raises(ParseError, match="attribute access"):
        parse_tree("x.shape")
