"""Vectors and matrices in .ngb documents: @shape declarations, shape errors at exact ranges, and no verdict on
what is not derived (gradients and claims: test_matrix_gradients.py)."""
from __future__ import annotations

import numpy as np
import pytest

from neurogebra.analysis import Code, Engine, Settings, Severity, StatementKind

SETTINGS = Settings(time_budget_ms=20_000)
SHAPES = "@shape W: (m, n)\n@shape x: (n,)\n@shape y: (m,)\n@shape X: (k, k)\n"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def analyze(engine: Engine, text: str):
    return engine.analyze(text, "ngb", SETTINGS)


def found(analysis, text: str):
    [statement] = [s for s in analysis.statements if s.text == text]
    return statement


def covered(analysis, diagnostic) -> str:
    return analysis.text[diagnostic.span.start:diagnostic.span.end]


def test_a_matrix_definition_shows_its_shape_and_a_vector_one_says_it_is_not_derived(engine):
    analysis = analyze(engine, SHAPES + "L(W) = sum((W @ x - y)**2)\nr(W) = W @ x - y\ns = W.T @ y\n")
    loss = found(analysis, "L(W) = sum((W @ x - y)**2)")
    assert (loss.label, loss.formula.unicode) == ("L(W)", "sum((W @ x − y)²), a number")
    assert loss.formula.latex == (r"\operatorname{sum}\left(\left(W \, x - y\right)^{\circ 2}\right)"
                                  r" \quad \text{a number}")
    residual = found(analysis, "r(W) = W @ x - y")
    assert residual.formula.unicode == "W @ x − y, a vector (m,)"
    [note] = residual.diagnostics
    assert (note.severity, note.code) == (Severity.INFORMATION, Code.NOT_CHECKED)
    assert "matrix calculus is not derived yet: shapes are checked" == note.message
    assert covered(analysis, note) == "W @ x - y"
    assert found(analysis, "s = W.T @ y").formula.unicode == "Wᵀ @ y, a vector (n,)"
    assert [d for d in analysis.diagnostics if d.severity <= Severity.WARNING] == []


def test_a_shape_error_is_at_the_operator_with_both_shapes(engine):
    analysis = analyze(engine, SHAPES + "bad(W) = sum((W @ y)**2)\nt(W) = trace(W)\n")
    [mismatch] = found(analysis, "bad(W) = sum((W @ y)**2)").diagnostics
    assert (mismatch.severity, mismatch.code) == (Severity.ERROR, Code.SHAPE_MISMATCH)
    assert covered(analysis, mismatch) == "@"
    assert mismatch.message == "W @ y: (m, n) @ (m,): the inner sizes n and m differ"
    [square] = found(analysis, "t(W) = trace(W)").diagnostics
    assert covered(analysis, square) == "trace" and "needs a square matrix" in square.message


def test_a_gradient_claim_must_have_its_variables_shape(engine):
    text = SHAPES + "L(W) = sum((W @ x - y)**2)\nd/dW L(W) = 2*outer(W @ x - y, x)\nd/dW L(W) = 2*(W @ x - y)\n"
    analysis = analyze(engine, text)
    assert found(analysis, "d/dW L(W) = 2*outer(W @ x - y, x)").diagnostics == ()  # right
    [wrong] = found(analysis, "d/dW L(W) = 2*(W @ x - y)").diagnostics
    assert (wrong.severity, wrong.code) == (Severity.ERROR, Code.SHAPE_MISMATCH)
    assert covered(analysis, wrong) == "2*(W @ x - y)"
    assert wrong.message == ("the gradient of L with respect to W is a matrix (m, n), the shape of W; this claim is "
                             "a vector (m,)")


def test_statements_using_a_matrix_definition_are_matrix_statements(engine):
    analysis = analyze(engine, SHAPES + "L(W) = sum((W @ x - y)**2)\nh(W) = L(W) + 1\nL(W)\n")
    assert found(analysis, "h(W) = L(W) + 1").formula.unicode == "L(W) + 1, a number"
    assert [d.code for d in found(analysis, "L(W)").diagnostics] == [Code.NOT_CHECKED]


def test_a_call_of_a_definition_with_shapes_that_do_not_fit_is_an_error(engine):
    analysis = analyze(engine, SHAPES + "r(W) = W @ x\nr(X)\n")
    [error] = found(analysis, "r(X)").diagnostics
    assert error.code == Code.SHAPE_MISMATCH and error.message.startswith("in r: W @ x: (k, k) @ (n,)")


@pytest.mark.parametrize("line, covered_text, message", [
    ("@shape x: (n)", "(n)", "write (n,) for a vector"),
    ("@shape x: ()", "()", "a number needs no @shape"),
    ("@shape x: (a, b, c)", "(a, b, c)", "at most two sizes"),
    ("@shape x: (0,)", "0", "'0' is not a size"),
    ("@shape x (n,)", "@shape x (n,)", "expected '@shape W: (m, n)'"),
    ("@shape 1x: (n,)", "1x", "expected names before ':'"),
])
def test_malformed_shapes_are_parse_errors_at_their_range(engine, line, covered_text, message):
    analysis = analyze(engine, line + "\n")
    [error] = analysis.diagnostics
    assert error.code == Code.PARSE_ERROR and message in error.message
    assert covered(analysis, error) == covered_text


def test_a_name_declared_again_with_another_shape_is_an_error_on_the_second(engine):
    analysis = analyze(engine, "@shape x: (n,)\n@shape x: (n,)\n@shape x: (m,)\n")
    [error] = analysis.diagnostics
    assert error.code == Code.PARSE_ERROR and error.span.start == analysis.text.rindex("x:")
    assert error.message == "'x' is already declared a vector (n,); this declaration says a vector (m,)"
    assert {s.kind for s in analysis.statements} == {StatementKind.SHAPE}


def test_scalar_statements_beside_shapes_are_analyzed_as_always(engine):
    analysis = analyze(engine, SHAPES + "f(t) = t**2 + 1\nf'(t) = 2*t + 1\n")
    [wrong] = [d for d in analysis.diagnostics if d.severity == Severity.ERROR]
    assert wrong.code == Code.GRADIENT_MISMATCH
    assert found(analysis, "f(t) = t**2 + 1").derivatives[0].formula.plain == "2*t"


def test_editing_a_shape_reanalyzes_the_statements(engine):
    first = analyze(engine, "@shape W: (m, n)\n@shape x: (n,)\nr(W) = W @ x\n")
    second = analyze(engine, "@shape W: (m, n)\n@shape x: (m,)\nr(W) = W @ x\n")
    assert [d.code for d in first.diagnostics] == [Code.NOT_CHECKED]
    assert [d.code for d in second.diagnostics] == [Code.SHAPE_MISMATCH]


def test_a_long_chain_of_matrix_definitions_in_reverse_order_needs_no_recursion(engine):
    count = 1_200  # deeper than Python's recursion limit, were each definition read inside the one that uses it
    text = "@shape x: (n,)\n" + "".join(f"f{i}(x) = f{i - 1}(x) + 1\n" for i in range(count, 0, -1)) + \
        "f0(x) = sum(x)\n"
    analysis = analyze(engine, text)
    assert {d.code for d in analysis.diagnostics} == {Code.NOT_CHECKED}
    assert len(analysis.diagnostics) == count + 1


GIVEN = ("@shape W: (m, n)\n@shape x: (n,)\n@shape y: (m,)\n"
         "L(W, x, y) = sum((W @ x - y)**2)\nW0 = [[1, 2], [3, 4]]\nx0 = [1, -1]\n")


def test_matrices_written_out_are_values_and_evaluations_of_them_show_theirs():
    analysis = Engine().analyze(GIVEN + "L(W0, x0, [0, 1])\nW0 @ x0\n2*W0.T + 0.5\n", "ngb", Settings())
    W0, x0 = np.array([[1, 2], [3, 4]]), np.array([1, -1])
    assert found(analysis, "W0 = [[1, 2], [3, 4]]").value.plain == "[[1, 2], [3, 4]]"
    assert found(analysis, "L(W0, x0, [0, 1])").value.plain == str(int(np.sum((W0 @ x0 - [0, 1]) ** 2)))
    assert found(analysis, "W0 @ x0").value.plain == str((W0 @ x0).tolist())
    shown = found(analysis, "2*W0.T + 0.5")
    assert shown.value.plain == "[[2.5, 6.5], [4.5, 8.5]]" and shown.diagnostics == ()
    assert shown.value.latex == r"\begin{bmatrix} 2.5 & 6.5 \\ 4.5 & 8.5 \end{bmatrix}"


def test_a_given_matrix_of_the_wrong_size_is_a_shape_error_and_a_shape_without_numbers_has_no_value():
    analysis = Engine().analyze(GIVEN + "L(W0, [1, 2, 3], x0)\nM(W) = sum((W @ x - y)**2)\nM(W0)\n", "ngb",
                                Settings())
    [error] = found(analysis, "L(W0, [1, 2, 3], x0)").diagnostics
    assert error.code == Code.SHAPE_MISMATCH and "(2, 2) @ (3,)" in error.message
    [note] = found(analysis, "M(W0)").diagnostics
    assert note.code == Code.NOT_CHECKED and note.message.startswith("no value: ")


def test_a_ragged_matrix_is_a_shape_error_and_a_list_without_shapes_says_where_it_belongs():
    [ragged] = found(Engine().analyze("@shape x: (n,)\nA = [[1, 2], [3]]\n", "ngb", Settings()),
                     "A = [[1, 2], [3]]").diagnostics
    assert ragged.code == Code.SHAPE_MISMATCH and "one length" in ragged.message
    [plain] = found(Engine().analyze("A = [1, 2]\n", "ngb", Settings()), "A = [1, 2]").diagnostics
    assert "vector or a matrix" in plain.message and "@shape" in plain.message  # the hint is in the message


def test_identity_and_ones_are_made_by_size_and_have_values():
    analysis = Engine().analyze("@shape x: (n,)\neye(2) + 1\n2*ones(2, 3)\n", "ngb", Settings())
    assert found(analysis, "eye(2) + 1").value.plain == str((np.eye(2, dtype=int) + 1).tolist())
    assert found(analysis, "2*ones(2, 3)").value.plain == str((2 * np.ones((2, 3), dtype=int)).tolist())


def test_a_value_for_a_declared_name_takes_another_name_and_claims_keep_the_declared_shape():
    text = GIVEN + "x = [1, -1]\n∇_W L2 = 2*outer(W @ x0 - y, x0)\nL2(W) = sum((W @ x0 - y)**2)\n"
    analysis = Engine().analyze(text, "ngb", Settings())
    [error] = found(analysis, "x = [1, -1]").diagnostics
    assert error.code == Code.DUPLICATE_DEFINITION and "give its value another name (x0 = ...)" in error.message
    assert text[error.span.start:error.span.end] == "x"
    claim = found(analysis, "∇_W L2 = 2*outer(W @ x0 - y, x0)")  # (m, 2) where W is (m, n): no shape error
    assert all(d.code != Code.SHAPE_MISMATCH for d in claim.diagnostics)


def test_a_huge_identity_is_a_formula_not_a_value_and_the_server_is_not_asked_to_write_it_out():
    analysis = Engine().analyze("@shape x: (n,)\neye(1000000000) + 1\nsum(ones(16, 16))\n", "ngb", Settings())
    huge = found(analysis, "eye(1000000000) + 1")
    assert huge.value is None and [d.code for d in huge.diagnostics] == [Code.NOT_CHECKED]
    assert found(analysis, "sum(ones(16, 16))").value.plain == "256"
