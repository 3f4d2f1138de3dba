"""A verified matrix gradient as NumPy and PyTorch code: the NumPy code computes the gradient of the NumPy code of
the loss (central differences), and the code actions insert it below the definition."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.special
from test_matrix_gradients import CASES, SHAPES, SIZES

from neurogebra.analysis import Engine, Settings
from neurogebra.analysis.matrix_code import NUMPY, PYTORCH, as_code

SETTINGS = Settings(time_budget_ms=60_000)


def float_point(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    point = {name: rng.uniform(-1, 1, shape) for name, shape in SIZES.items()}
    point["X"] = point["X"] + 3 * np.eye(3)  # a positive determinant, as logdet needs
    return point


def run(code: str, point: dict[str, np.ndarray]):
    """The code we generated (never a user's text), as a training loop would run it."""
    return eval(code, {"np": np, "scipy": scipy, **point})  # noqa: S307


@pytest.mark.parametrize("case", CASES)
def test_the_numpy_code_of_the_gradient_is_the_slope_of_the_numpy_code_of_the_loss(case):
    definition, variable, closed, _, _ = CASES[case]
    loss, gradient = as_code(definition.split(" = ", 1)[1], NUMPY), as_code(closed, NUMPY)
    assert loss is not None and gradient is not None
    point = float_point(3)
    expected = np.asarray(run(gradient, point), dtype=float)
    assert expected.shape == np.shape(point[variable])
    step = 1e-6
    for index in np.ndindex(*np.shape(point[variable])):
        ahead = {**point, variable: point[variable].copy()}
        behind = {**point, variable: point[variable].copy()}
        ahead[variable][index] += step
        behind[variable][index] -= step
        slope = (run(loss, ahead) - run(loss, behind)) / (2 * step)
        assert slope == pytest.approx(expected[index], rel=1e-5, abs=1e-7)


@pytest.mark.parametrize(("closed", "numpy", "torch"), [
    ("2*outer(W @ x - y, x)", "2 * np.outer(W @ x - y, x)", "2 * torch.outer(W @ x - y, x)"),
    ("softmax(z) - t", "scipy.special.softmax(z) - t", "torch.softmax(z, dim=-1) - t"),
    ("inv(X).T", "np.linalg.inv(X).T", "torch.linalg.inv(X).T"),
    ("D.T @ (sigmoid(D @ w) - y)", "D.T @ (scipy.special.expit(D @ w) - y)", "D.T @ (torch.sigmoid(D @ w) - y)"),
    ("-(2*lam*W)/m", "-(2 * lam * W) / m", "-(2 * lam * W) / m"),
    ("(A + eye(n)) @ ones(n)", "(A + np.eye(n)) @ np.ones((n,))", "(A + torch.eye(n)) @ torch.ones(n)"),
    ("ones(m, n)", "np.ones((m, n))", "torch.ones(m, n)"),
])
def test_closed_forms_read_as_each_framework_writes_them(closed, numpy, torch):
    assert (as_code(closed, NUMPY), as_code(closed, PYTORCH)) == (numpy, torch)


def test_a_function_of_the_users_own_has_no_framework_code():
    assert as_code("2*my_layer(W @ x)", NUMPY) is None


def test_code_actions_insert_the_gradient_below_the_definition_and_follow_it_when_lines_move():
    engine = Engine()
    definition = "L(W) = sum((W @ x - y)**2)"
    for above in ("", "# a note\n# and another\n"):
        text = SHAPES + above + definition + "\n"
        [statement] = [s for s in engine.analyze(text, "ngb", SETTINGS).statements if s.text == definition]
        fixes = {fix.title: fix for fix in statement.fixes}
        numpy = fixes["Insert ∇_W L as NumPy code"]
        torch = fixes["Insert ∇_W L as PyTorch code"]
        [edit] = numpy.edits
        end = text.index(definition) + len(definition)
        assert (edit.span.start, edit.span.end) == (end, end)
        assert edit.new_text == "\n# NumPy: grad_W = 2 * np.outer(W @ x - y, x)"
        assert torch.edits[0].new_text == "\n# PyTorch: grad_W = 2 * torch.outer(W @ x - y, x)"
