"""Jacobians of vector functions (J_x f, shaped (outputs, inputs)) and Hessians of scalar functions of a vector
(H_x L, ∇²_x L or L''(x), shaped (inputs, inputs)): claims checked entry by entry like gradients, with their
shapes; the expected forms confirmed independently by central differences."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit, softmax

from neurogebra.analysis import Code, Engine, Settings, Severity
from neurogebra.analysis.ngb import parse_statement

SHAPES = "@shape W: (m, n)\n@shape x: (n,)\n@shape A: (n, n)\n@shape z: (k,)\n@shape D: (m, n)\n@shape w: (n,)\n"
SETTINGS = Settings(time_budget_ms=60_000)

# definition, claim (right), the function and the claimed derivative in NumPy, the variable
RIGHT = {
    "tanh layer": ("f(x) = tanh(W @ x)", "J_x f = diag(1 - tanh(W @ x)**2) @ W",
                   lambda p: np.tanh(p["W"] @ p["x"]), lambda p: np.diag(1 - np.tanh(p["W"] @ p["x"]) ** 2) @ p["W"],
                   "x"),
    "softmax": ("s(z) = softmax(z)", "J_z s = diag(softmax(z)) - outer(softmax(z), softmax(z))",
                lambda p: softmax(p["z"]),
                lambda p: np.diag(softmax(p["z"])) - np.outer(softmax(p["z"]), softmax(p["z"])), "z"),
    "quadratic form": ("q(x) = x @ A @ x", "H_x q = A + A.T", lambda p: p["x"] @ p["A"] @ p["x"],
                       lambda p: p["A"] + p["A"].T, "x"),
    "logistic loss": ("L(w) = sum(softplus(D @ w))", "∇²_w L = D.T @ diag(sigmoid(D @ w)*(1 - sigmoid(D @ w))) @ D",
                      lambda p: np.sum(np.logaddexp(0, p["D"] @ p["w"])),
                      lambda p: p["D"].T @ np.diag(expit(p["D"] @ p["w"]) * (1 - expit(p["D"] @ p["w"]))) @ p["D"],
                      "w"),
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def claim_of(engine: Engine, definition: str, claim: str):
    analysis = engine.analyze(SHAPES + definition + "\n" + claim + "\n", "ngb", SETTINGS)
    [statement] = [s for s in analysis.statements if s.text == claim]
    return statement


def point(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    sizes = {"W": (2, 3), "x": (3,), "A": (3, 3), "z": (4,), "D": (2, 3), "w": (3,)}
    return {name: rng.uniform(-1, 1, shape) for name, shape in sizes.items()}


def numeric_derivative(function, p: dict[str, np.ndarray], variable: str, order: int) -> np.ndarray:
    """Central differences: the Jacobian of `function` in `variable` (of its gradient, at order 2, with a larger
    step, as differences of differences lose twice the digits)."""
    step = 1e-6 if order == 1 else 1e-4

    def jacobian(f, at):
        columns = []
        for j in range(at[variable].size):
            ahead, behind = {**at, variable: at[variable].copy()}, {**at, variable: at[variable].copy()}
            ahead[variable][j] += step
            behind[variable][j] -= step
            columns.append((np.asarray(f(ahead)) - np.asarray(f(behind))) / (2 * step))
        return np.stack(columns, axis=-1)
    if order == 1:
        return jacobian(function, p)
    return jacobian(lambda q: jacobian(function, q), p)


@pytest.mark.parametrize("case", RIGHT)
def test_the_expected_derivatives_agree_with_central_differences(case):
    _, claim, function, derivative, variable = RIGHT[case]
    order = 2 if claim.startswith(("H_", "∇²")) else 1
    p = point(5)
    assert np.allclose(derivative(p), numeric_derivative(function, p, variable, order), atol=1e-4)


@pytest.mark.parametrize("case", RIGHT)
def test_a_right_jacobian_or_hessian_claim_is_silent(engine, case):
    definition, claim, _, _, _ = RIGHT[case]
    assert claim_of(engine, definition, claim).diagnostics == ()


@pytest.mark.parametrize(("definition", "claim", "label", "which"), [
    ("f(x) = tanh(W @ x)", "J_x f = W", "J_x f", "Jacobian"),
    ("s(z) = softmax(z)", "J_z s = diag(softmax(z))", "J_z s", "Jacobian"),
    ("q(x) = x @ A @ x", "H_x q = 2*A", "∇²_x q", "Hessian"),
    ("q(x) = x @ A @ x", "q''(x) = A", "∇²_x q", "Hessian"),
])
def test_a_wrong_claim_names_the_entry_and_both_values(engine, definition, claim, label, which):
    [wrong] = claim_of(engine, definition, claim).diagnostics
    assert (wrong.severity, wrong.code) == (Severity.ERROR, Code.GRADIENT_MISMATCH)
    assert wrong.message.startswith(f"{label} is wrong: entry (")
    assert f"but the {which}'s is" in wrong.message


@pytest.mark.parametrize(("definition", "claim", "message"), [
    ("f(x) = tanh(W @ x)", "J_x f = W.T", "the Jacobian of f with respect to x is a matrix (m, n), one row per entry "
                                          "of f and one column per entry of x; this claim is a matrix (n, m)"),
    ("q(x) = x @ A @ x", "∇²_x q = x", "the Hessian of q with respect to x is a matrix (n, n), one row and one "
                                       "column per entry of x; this claim is a vector (n,)"),
])
def test_a_claim_of_the_wrong_shape_is_a_shape_error(engine, definition, claim, message):
    [error] = claim_of(engine, definition, claim).diagnostics
    assert (error.code, error.message) == (Code.SHAPE_MISMATCH, message)


@pytest.mark.parametrize(("definition", "jacobian"), [
    ("f(x) = tanh(W @ x)", "diag(1 - tanh(W @ x)**2) @ W"),
    ("g(x) = W @ exp(x)", "W @ diag(exp(x))"),
    ("h(x) = 2*(W @ x) - W @ tanh(x)", "2*W - W @ diag(1 - tanh(x)**2)"),
])
def test_a_vector_function_shows_its_verified_jacobian(engine, definition, jacobian):
    analysis = engine.analyze(SHAPES + definition + "\n", "ngb", SETTINGS)
    [statement] = [s for s in analysis.statements if s.text == definition]
    [shown] = statement.derivatives
    assert (shown.label, shown.formula.plain) == (f"J_x {definition[0]}", jacobian)
    assert shown.formula.unicode.endswith(", a matrix (m, n)") and statement.diagnostics == ()


def test_a_vector_function_without_a_closed_form_says_how_its_jacobian_is_checked(engine):
    analysis = engine.analyze(SHAPES + "s(z) = softmax(z)\n", "ngb", SETTINGS)
    [note] = [s for s in analysis.statements if s.text == "s(z) = softmax(z)"][0].diagnostics
    assert note.message == "could not derive a closed form of J_z s; a claim J_z s = ... is checked entry by entry"


@pytest.mark.parametrize(("text", "order"), [("J_x f = W", 1), ("H_x q = A", 2), ("∇²_x q = A", 2), ("∇²x q = A", 2)])
def test_the_notation_of_jacobians_and_hessians(text, order):
    syntax = parse_statement(text)
    assert (syntax.name.name, syntax.wrt.name, syntax.order) == (text.split()[1], "x", order)


@pytest.mark.parametrize(("definition", "claim", "hessian"), [
    ("q(x) = x @ A @ x", "H_x q = 2*A", "A + A.T"),
    ("L(w) = sum(softplus(D @ w))", "H_w L = D.T @ D", "D.T @ diag(sigmoid(D @ w)*(1 - sigmoid(D @ w))) @ D"),
])
def test_a_wrong_hessian_is_fixed_with_the_verified_one(engine, definition, claim, hessian):
    statement = claim_of(engine, definition, claim)
    [wrong] = statement.diagnostics
    assert wrong.message.endswith(f"({claim.split(' = ')[0].replace('H_', '∇²_')} = {hessian})")
    [fix] = statement.fixes
    assert (fix.title, fix.edits[0].new_text) == ("Replace with the correct Hessian", hessian)
