"""Gradients of matrix formulas in .ngb: the closed form derived and verified element-wise, shown on hover; claims
checked entry by entry, a wrong one an error with the entry, the point and both values, and a quick fix."""
from __future__ import annotations

import random

import mpmath
import numpy as np
import pytest

from neurogebra.analysis import Code, Engine, Settings, Severity

SETTINGS = Settings(time_budget_ms=60_000)
SHAPES = ("@shape W: (m, n)\n@shape x: (n,)\n@shape y: (m,)\n@shape X: (k, k)\n@shape A: (k, k)\n@shape v: (k,)\n"
          "@shape D: (m, n)\n@shape w: (n,)\n@shape z: (c,)\n@shape t: (c,)\n")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def analyze(engine: Engine, lines: str):
    return engine.analyze(SHAPES + lines, "ngb", SETTINGS)


def found(analysis, text: str):
    [statement] = [s for s in analysis.statements if s.text == text]
    return statement


# Each case: the definition, its variable, the closed form expected, and the same loss and gradient written in
# Python for an independent check (central differences in mpmath at 40 digits).
CASES = {
    "least squares": ("L(W) = sum((W @ x - y)**2)", "W", "2*outer(W @ x - y, x)",
                      lambda p: np.sum((p["W"] @ p["x"] - p["y"]) ** 2),
                      lambda p: 2 * np.outer(p["W"] @ p["x"] - p["y"], p["x"])),
    "ridge": ("L(W) = sum((W @ x - y)**2) + lam*sum(W**2)", "W", "2*outer(W @ x - y, x) + 2*lam*W",
              lambda p: np.sum((p["W"] @ p["x"] - p["y"]) ** 2) + p["lam"] * np.sum(p["W"] ** 2),
              lambda p: 2 * np.outer(p["W"] @ p["x"] - p["y"], p["x"]) + 2 * p["lam"] * p["W"]),
    "logistic regression": ("L(w) = sum(softplus(D @ w) - y*(D @ w))", "w", "D.T @ (sigmoid(D @ w) - y)",
                            lambda p: np.sum([mpmath.log1p(mpmath.exp(s)) for s in p["D"] @ p["w"]]
                                             - p["y"] * (p["D"] @ p["w"])),
                            lambda p: p["D"].T @ (np.array([1 / (1 + mpmath.exp(-s)) for s in p["D"] @ p["w"]])
                                                  - p["y"])),
    "softmax cross-entropy": ("L(z) = logsumexp(z) - t @ z", "z", "softmax(z) - t",
                              lambda p: mpmath.log(np.sum([mpmath.exp(s) for s in p["z"]])) - p["t"] @ p["z"],
                              lambda p: np.array([mpmath.exp(s) for s in p["z"]])
                              / np.sum([mpmath.exp(s) for s in p["z"]]) - p["t"]),
    "log det": ("L(X) = logdet(X)", "X", "inv(X).T",
                lambda p: mpmath.log(mpmath.det(mpmath.matrix(p["X"].tolist()))),
                lambda p: np.array(mpmath.inverse(mpmath.matrix(p["X"].tolist())).tolist(), dtype=object).T),
    "trace": ("L(X) = trace(A @ X)", "X", "A.T", lambda p: np.trace(p["A"] @ p["X"]), lambda p: p["A"].T),
    "quadratic form": ("L(v) = v @ A @ v", "v", "(A + A.T) @ v", lambda p: p["v"] @ p["A"] @ p["v"],
                       lambda p: p["v"] @ p["A"] + p["A"] @ p["v"]),
}
SIZES = {"W": (2, 3), "x": (3,), "y": (2,), "X": (3, 3), "A": (3, 3), "v": (3,), "D": (2, 3), "w": (3,),
         "z": (3,), "t": (3,), "lam": ()}


def random_point(seed: int) -> dict[str, np.ndarray]:
    rng = random.Random(seed)
    point = {}
    for name, shape in SIZES.items():
        grid = np.empty(shape, dtype=object)
        for index in np.ndindex(*shape):
            grid[index] = mpmath.mpf(rng.uniform(-1, 1)) + (3 if name == "X" and index[0] == index[1] else 0)
        point[name] = grid
    return point


@pytest.mark.parametrize("case", CASES)
def test_the_expected_closed_forms_are_gradients_by_central_differences_in_mpmath(case):
    _, variable, _, loss, gradient = CASES[case]
    with mpmath.workdps(40):
        point = random_point(7)
        expected = np.asarray(gradient(point), dtype=object)
        step = mpmath.mpf("1e-15")
        for index in np.ndindex(*point[variable].shape):
            ahead = {**point, variable: point[variable].copy()}
            behind = {**point, variable: point[variable].copy()}
            ahead[variable][index] += step
            behind[variable][index] -= step
            slope = (loss(ahead) - loss(behind)) / (2 * step)
            assert abs(slope - expected[index]) < mpmath.mpf("1e-20")


@pytest.mark.parametrize("case", CASES)
def test_the_gradient_is_derived_verified_and_shown_on_hover(engine, case):
    definition, variable, closed, _, _ = CASES[case]
    analysis = analyze(engine, definition + "\n")
    statement = found(analysis, definition)
    assert statement.diagnostics == ()  # the not-checked note is gone
    [derivative] = statement.derivatives
    name = definition.split("(")[0]
    assert (derivative.variable, derivative.label, derivative.formula.plain) == (variable, f"∇_{variable} {name}",
                                                                                 closed)
    assert ", a matrix (" in derivative.formula.unicode or ", a vector (" in derivative.formula.unicode
    assert derivative.formula.latex and "@" not in derivative.formula.latex  # typeset as a textbook writes it


@pytest.mark.parametrize("case", CASES)
def test_a_right_claim_is_silent(engine, case):
    definition, variable, closed, _, _ = CASES[case]
    claim = f"d/d{variable} {definition.split('=')[0].strip()} = {closed}"
    analysis = analyze(engine, f"{definition}\n{claim}\n")
    assert found(analysis, claim).diagnostics == ()


@pytest.mark.parametrize("definition, claim, right", [
    ("L(W) = sum((W @ x - y)**2)", "d/dW L(W) = outer(W @ x - y, x)", "2*outer(W @ x - y, x)"),  # a factor 2
    ("L(X) = trace(A @ X)", "d/dX L(X) = A", "A.T"),  # a transpose missing
    ("L(z) = logsumexp(z) - t @ z", "d/dz L(z) = t - softmax(z)", "softmax(z) - t"),  # the sign
    ("L(w) = sum(softplus(D @ w) - y*(D @ w))", "∇_w L = D.T @ (y - sigmoid(D @ w))", "D.T @ (sigmoid(D @ w) - y)"),
])
def test_a_wrong_claim_is_an_error_with_the_entry_the_point_and_a_fix(engine, definition, claim, right):
    analysis = analyze(engine, f"{definition}\n{claim}\n")
    statement = found(analysis, claim)
    [error] = statement.diagnostics
    assert (error.severity, error.code) == (Severity.ERROR, Code.GRADIENT_MISMATCH)
    assert analysis.text[error.span.start:error.span.end] == claim.split("= ", 1)[1]
    variable = claim.split()[0].removeprefix("d/d").removeprefix("∇_")
    assert error.message.startswith(f"∇_{variable} L is wrong: entry ")
    assert " of the claim is " in error.message and " but the gradient's is " in error.message
    assert f"{variable} = [" in error.message and error.message.endswith(f"(∇_{variable} L = {right})")
    [fix] = statement.fixes
    [edit] = fix.edits
    assert (edit.new_text, edit.span) == (right, error.span)


def test_the_entry_and_values_in_the_message_are_the_claims_and_the_gradients(engine):
    analysis = analyze(engine, "L(W) = sum((W @ x - y)**2)\nd/dW L(W) = outer(W @ x - y, x)\n")
    [error] = found(analysis, "d/dW L(W) = outer(W @ x - y, x)").diagnostics
    claimed = float(error.message.split("the claim is ")[1].split()[0])
    truth = float(error.message.split("the gradient's is ")[1].split()[0])
    assert truth == pytest.approx(2 * claimed, rel=1e-3)  # the claim dropped a factor 2
    assert "m = 2, n = 3" in error.message or "m = 3, n = 2" in error.message


def test_a_formula_outside_the_rules_is_checked_element_wise(engine):
    definition = "L(W) = sum(relu(W @ x))"
    analysis = analyze(engine, f"{definition}\nd/dW L(W) = outer(W @ x, x)\n")
    [note] = found(analysis, definition).diagnostics
    assert (note.severity, note.code) == (Severity.INFORMATION, Code.NOT_CHECKED)
    assert note.message == "could not derive a closed form of ∇_W L; checked element-wise"
    assert found(analysis, definition).derivatives == ()
    statement = found(analysis, "d/dW L(W) = outer(W @ x, x)")
    [error] = statement.diagnostics
    assert error.code == Code.GRADIENT_MISMATCH and "entry (" in error.message and "(∇_W" not in error.message
    assert statement.fixes == ()


def test_a_right_claim_outside_the_rules_is_silent(engine):
    analysis = analyze(engine, "L(W) = sum(W**3)\nd/dW L(W) = 3*W**2\nM(W) = sum(W @ x)\nd/dW M(W) = outer(x, x)\n")
    assert found(analysis, "d/dW L(W) = 3*W**2").diagnostics == ()
    assert found(analysis, "d/dW M(W) = outer(x, x)").diagnostics[0].code == Code.SHAPE_MISMATCH


def test_a_logistic_loss_written_with_sigmoid_gets_a_verified_closed_form(engine):
    definition = "L(w) = sum(-y*log(sigmoid(D @ w)) - (1 - y)*log(1 - sigmoid(D @ w)))"
    analysis = analyze(engine, f"{definition}\nd/dw L(w) = D.T @ (sigmoid(D @ w) - y)\n")
    [derivative] = found(analysis, definition).derivatives
    assert derivative.formula.plain == "D.T @ ((1 - y)*sigmoid(D @ w) - y*(1 - sigmoid(D @ w)))"
    assert found(analysis, "d/dw L(w) = D.T @ (sigmoid(D @ w) - y)").diagnostics == ()


def test_a_shape_wrong_claim_keeps_its_shape_error(engine):
    analysis = analyze(engine, "L(W) = sum((W @ x - y)**2)\n∇_W L = 2*outer(x, W @ x - y)\n")
    [error] = found(analysis, "∇_W L = 2*outer(x, W @ x - y)").diagnostics
    assert error.code == Code.SHAPE_MISMATCH and "a matrix (n, m)" in error.message


def test_vector_valued_functions_keep_the_not_checked_note(engine):
    analysis = analyze(engine, "r(W) = W @ x - y\n")
    [note] = found(analysis, "r(W) = W @ x - y").diagnostics
    assert note.message == "matrix calculus is not derived yet: shapes are checked"


@pytest.mark.parametrize("definition, closed", [
    ("L(W) = mean((W @ x - y)**2)", "2*outer(W @ x - y, x)/m"),  # a size letter is the size it stands for
    ("L(v) = v @ v", "2*v"),  # like terms added up
    ("L(X) = trace(X @ X)", "2*X.T"),
    ("L(W) = sum((U @ tanh(W @ x) - t)**2)", "2*outer((U.T @ (U @ tanh(W @ x) - t))*(1 - tanh(W @ x)**2), x)"),
])
def test_more_closed_forms_are_derived_and_verified(engine, definition, closed):
    analysis = engine.analyze(SHAPES + "@shape U: (c, m)\n" + definition + "\n", "ngb", SETTINGS)
    statement = found(analysis, definition)
    assert statement.diagnostics == ()
    assert [d.formula.plain for d in statement.derivatives] == [closed]


def test_the_point_names_only_the_sizes_of_the_names_it_gives(engine):
    analysis = analyze(engine, "L(v) = v @ A @ v\nd/dv L(v) = 2*A @ v\n")
    [error] = found(analysis, "d/dv L(v) = 2*A @ v").diagnostics
    assert error.code == Code.GRADIENT_MISMATCH
    assert " at k = " in error.message and "m = " not in error.message and "A = [[" in error.message


def test_a_sum_of_entries_has_no_closed_form_and_its_claims_are_still_checked(engine):
    analysis = analyze(engine, "L(W) = sum(W)\nd/dW L(W) = 0*W + 1\nd/dW L(W) = W\n")
    [note] = found(analysis, "L(W) = sum(W)").diagnostics
    assert note.message == "could not derive a closed form of ∇_W L; checked element-wise"
    assert found(analysis, "d/dW L(W) = 0*W + 1").diagnostics == ()
    assert found(analysis, "d/dW L(W) = W").diagnostics[0].code == Code.GRADIENT_MISMATCH


def test_a_right_claim_with_a_step_is_silent_and_a_kink_point_is_never_a_verdict(engine):
    analysis = analyze(engine, "L(W) = sum(relu(W @ x))\nd/dW L(W) = outer(Heaviside(W @ x, 0), x)\n"
                               "d/dW L(W) = 0*W\n")
    assert found(analysis, "d/dW L(W) = outer(Heaviside(W @ x, 0), x)").diagnostics == ()
    [error] = found(analysis, "d/dW L(W) = 0*W").diagnostics  # a positive point makes the relu active
    assert error.code == Code.GRADIENT_MISMATCH


def test_a_tiny_difference_is_still_wrong_and_shown_with_the_digits_that_differ(engine):
    analysis = analyze(engine, "L(W) = sum((W @ x)**2)\nL'(W) = 2*outer(W @ x, x) + 1e-30\nL'(W) = 2*outer(W @ x, x)\n"
                               "M(W, c) = sum(x) + c\nd/dW M(W, c) = 0*W\n")
    [error] = found(analysis, "L'(W) = 2*outer(W @ x, x) + 1e-30").diagnostics
    claimed = error.message.split("the claim is ")[1].split()[0]
    truth = error.message.split("the gradient's is ")[1].split()[0]
    assert error.code == Code.GRADIENT_MISMATCH and claimed != truth
    assert found(analysis, "L'(W) = 2*outer(W @ x, x)").diagnostics == ()
    assert found(analysis, "d/dW M(W, c) = 0*W").diagnostics == ()  # a function that does not use W
    assert [d.formula.plain for d in found(analysis, "M(W, c) = sum(x) + c").derivatives] == ["1"]


def test_a_function_real_nowhere_gets_no_verdict(engine):
    analysis = analyze(engine, "L(W) = sum(log(-(W**2) - 1))\nd/dW L(W) = W\n")
    for text in ("L(W) = sum(log(-(W**2) - 1))", "d/dW L(W) = W"):
        [note] = found(analysis, text).diagnostics
        assert (note.code, note.message) == (Code.NOT_CHECKED, "matrix calculus is not derived yet: shapes are checked")


def test_the_shared_walk_agrees_with_evalf_and_leaves_what_it_cannot_settle_to_it():
    import sympy

    from neurogebra.analysis.matrix_entries import DIGITS, Point, Walk, agreeing, value_at

    a, b = sympy.symbols("a b", real=True)
    point = Point({a: sympy.Rational(3, 10), b: sympy.Rational(-17, 10)})
    walks = (Walk(point, DIGITS + 30), Walk(point, DIGITS + 70))
    for expr in (sympy.exp(a) / (sympy.exp(a) + sympy.exp(b)), sympy.tanh(a * b) ** 2 - sympy.log(a) / b,
                 sympy.sqrt(a) * sympy.cos(b) + sympy.pi):
        assert agreeing(expr, *walks) == sympy.Float(sympy.N(expr.xreplace(point.values), DIGITS), DIGITS)
    assert agreeing(sympy.log(b), *walks) is None                        # not real: evalf says so
    assert agreeing((a + 1) - a - 1, *walks) is None                     # an exact zero is left to evalf
    assert agreeing(sympy.besselj(0, a), *walks) is None                 # not walked: evalf
    assert value_at(sympy.besselj(0, a), point, walks) == sympy.Float(sympy.N(sympy.besselj(0, sympy.Rational(3, 10)),
                                                                              DIGITS), DIGITS)
