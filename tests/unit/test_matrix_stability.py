"""Stability of matrix formulas, judged as for scalars (written out entry by entry, measured against mpmath): the
hand-written logsumexp, softmax, log-softmax and softplus are warned with the stable function as a quick fix, which
silences the warning; formulas already stable are not warned."""
from __future__ import annotations

import numpy as np
import pytest

from neurogebra.analysis import Code, Engine, Settings, Severity
from neurogebra.analysis.matrix_stability import LOG_DET, with_stable_functions

SHAPES = "@shape z: (k,)\n@shape t: (k,)\n@shape W: (m, n)\n@shape x: (n,)\n@shape y: (m,)\n@shape X: (n, n)\n"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def statement_of(engine: Engine, definition: str):
    text = SHAPES + definition + "\n"
    [statement] = [s for s in engine.analyze(text, "ngb", Settings()).statements if s.text == definition]
    return text, statement


def fixed(text: str, fix) -> str:
    for edit in sorted(fix.edits, key=lambda e: e.span.start, reverse=True):
        text = text[:edit.span.start] + edit.new_text + text[edit.span.end:]
    return text


@pytest.mark.parametrize(("definition", "stable"), [
    ("ce(z) = log(sum(exp(z))) - t @ z", "ce(z) = logsumexp(z) - t @ z"),
    ("nll(z) = -sum(t*log(exp(z)/sum(exp(z))))", "nll(z) = -sum(t*log_softmax(z))"),
    ("p(z) = sum(t*exp(z)/sum(exp(z)))", "p(z) = sum(t*softmax(z))"),
    ("sp(W) = sum(log(1 + exp(W @ x)))", "sp(W) = sum(softplus(W @ x))"),
])
def test_a_hand_written_unstable_formula_is_warned_and_fixed_with_the_stable_function(engine, definition, stable):
    text, statement = statement_of(engine, definition)
    [warning] = [d for d in statement.diagnostics if d.code == Code.UNSTABLE_FORM]
    assert warning.severity == Severity.WARNING
    assert warning.message.startswith("unstable in float64: at ") and "but its exact value is" in warning.message
    assert warning.message.endswith(f"a stable form is {stable.split(' = ', 1)[1]}")
    [fix] = [f for f in statement.fixes if f.title == "Use the stable form"]
    assert fix.preferred and fix.code == Code.UNSTABLE_FORM
    repaired = fixed(text, fix)
    assert stable + "\n" in repaired
    _, again = statement_of(engine, stable)
    assert not [d for d in again.diagnostics if d.code == Code.UNSTABLE_FORM]


@pytest.mark.parametrize("definition", [
    "L(W) = sum((W @ x - y)**2)", "ce(z) = logsumexp(z) - t @ z", "nll(z) = -sum(t*log_softmax(z))",
    "lr(W) = sum(softplus(W @ x) - y*(W @ x))", "q(x) = x @ X @ x",
])
def test_a_stable_formula_is_not_warned(engine, definition):
    _, statement = statement_of(engine, definition)
    assert not [d for d in statement.diagnostics if d.code == Code.UNSTABLE_FORM]


def test_the_point_of_the_warning_is_given_by_the_documents_names(engine):
    _, statement = statement_of(engine, "ce(z) = log(sum(exp(z))) - t @ z")
    [warning] = [d for d in statement.diagnostics if d.code == Code.UNSTABLE_FORM]
    assert "z = [" in warning.message and "z_0" not in warning.message


def test_log_of_det_is_warned_with_a_fact_of_float64_and_fixed_with_logdet(engine):
    assert np.linalg.det(0.01 * np.eye(200)) == 0.0  # the fact the warning states
    assert np.linalg.slogdet(0.01 * np.eye(200))[1] == pytest.approx(-921.034, abs=1e-3)
    text, statement = statement_of(engine, "g(X) = log(det(X)) + 1")
    [warning] = [d for d in statement.diagnostics if d.code == Code.UNSTABLE_FORM]
    assert warning.message == f"{LOG_DET}; a stable form is logdet(X) + 1"
    [fix] = [f for f in statement.fixes if f.title == "Use the stable form"]
    assert "g(X) = logdet(X) + 1\n" in fixed(text, fix)


def test_the_gradient_of_a_hand_written_softmax_loss_is_shown_with_softmax(engine):
    _, statement = statement_of(engine, "ce(z) = log(sum(exp(z))) - t @ z")
    assert [d.formula.plain for d in statement.derivatives] == ["softmax(z) - t"]


@pytest.mark.parametrize(("written", "stable"), [
    ("-X.T @ (exp(-y*(X @ w))*y/(exp(-y*(X @ w)) + 1))", "-X.T @ (sigmoid(-y*(X @ w))*y)"),
    ("a*exp(u)*b/(exp(u) + 1)", "a*sigmoid(u)*b"),
    ("exp(u)/(1 + exp(u))", "sigmoid(u)"),
    ("exp(u)/(exp(v) + 1)", "exp(u)/(exp(v) + 1)"),   # not the same exponent
    ("b/exp(u)/(exp(u) + 1)", "b/exp(u)/(exp(u) + 1)"),  # exp(u) divides: not a sigmoid
])
def test_exp_over_one_plus_exp_is_written_as_a_sigmoid(written, stable):
    assert with_stable_functions(written) == stable


def test_the_gradient_of_a_hand_written_logistic_loss_is_shown_with_sigmoid(engine):
    shapes = "@shape X: (m, n)\n@shape w: (n,)\n@shape y: (m,)\n"
    analysis = engine.analyze(shapes + "f(w) = sum(log(exp(-y*(X @ w)) + 1))\n", "ngb", Settings())
    [statement] = [s for s in analysis.statements if s.text.startswith("f(w)")]
    assert [d.formula.plain for d in statement.derivatives] == ["-X.T @ (sigmoid((-y)*(X @ w))*y)"]
    [warning] = [d for d in statement.diagnostics if d.code == Code.UNSTABLE_FORM]
    assert warning.message.endswith("a stable form is sum(softplus(-y*(X @ w)))")
