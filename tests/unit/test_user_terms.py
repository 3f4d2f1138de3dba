"""What the tool shows and writes is in the user's own terms (their names, constants, catalog functions and
written numbers) and still exactly the formula it stands for, and as accurate."""
from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy

from neurogebra.analysis.engine import Engine
from neurogebra.analysis.model import Settings
from neurogebra.analysis.render import formula_text
from neurogebra.analysis.terms import inline, named, same_function
from neurogebra.compiled import compile_numpy, evaluate_numpy
from neurogebra.numerics import exact_value
from neurogebra.parsing import parse_formula, symbol
from neurogebra.rewrites.readable import readable

LAYER_NORM = """eps = 1e-5
mu(x1, x2, x3) = (x1 + x2 + x3)/3
var3(x1, x2, x3) = ((x1 - mu(x1, x2, x3))**2 + (x2 - mu(x1, x2, x3))**2 + (x3 - mu(x1, x2, x3))**2)/3
ln(x1, x2, x3) = (x1 - mu(x1, x2, x3))/sqrt(var3(x1, x2, x3) + eps)
"""


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def statement(engine: Engine, text: str, name: str):
    analysis = engine.analyze(text, "ngb", Settings())
    return analysis, next(s for s in analysis.statements if s.name == name and s.kind.value == "function")


def insertion(found, variable: str) -> str:
    [fix] = [f for f in found.fixes if f.title == f"Insert derivative d/d{variable}"]
    return fix.edits[0].new_text.split(" = ", 1)[-1]


def test_a_layer_norm_derivative_keeps_mu_var3_and_eps_and_is_the_derivative(engine):
    analysis, ln = statement(engine, LAYER_NORM, "ln")
    shown = ln.derivatives[0].formula.plain
    assert "mu(x1, x2, x3)" in shown and "var3(x1, x2, x3)" in shown and "eps" in shown and "1e-05" not in shown
    assert ln.formula.unicode == "(x₁ − mu(x₁, x₂, x₃))/√(eps + var3(x₁, x₂, x₃))"
    inserted = insertion(ln, "x1")
    check = Engine().analyze(LAYER_NORM + f"d1(x1, x2, x3) = {inserted}\nd1(0.3, -1.2, 2.5)\n", "ngb", Settings())
    [value] = [s.value.plain for s in check.statements if s.value is not None and s.kind.value == "evaluation"]

    def layer_norm(x1, x2=-1.2, x3=2.5):  # written out, independently of the document
        mean = (x1 + x2 + x3) / 3
        return (x1 - mean) / mpmath.sqrt(((x1 - mean)**2 + (x2 - mean)**2 + (x3 - mean)**2) / 3 + mpmath.mpf("1e-5"))

    with mpmath.workdps(40):  # the inserted text means the true derivative
        assert float(value) == pytest.approx(float(mpmath.diff(layer_norm, mpmath.mpf("0.3"))), rel=1e-10)


def test_catalog_functions_stay_named_and_differentiate_into_their_primed_names(engine):
    _, swish = statement(engine, "swish(x) = x*sigmoid(x)\n", "swish")
    assert swish.formula.unicode == "x·σ(x)"
    assert swish.derivatives[0].formula.plain == "x*sigmoid'(x) + sigmoid(x)"
    assert swish.derivatives[0].formula.latex == r"x \sigma'\left(x\right) + \sigma\left(x\right)"
    _, relu = statement(engine, "r(x) = relu(x)\n", "r")
    assert "relu'" not in relu.derivatives[0].formula.plain  # d/dx relu(x) is written out, not restated


def test_a_number_stays_as_the_user_wrote_it(engine):
    _, gelu = statement(engine, "g(x) = 0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x**3)))\n", "g")
    assert "sqrt(2/pi)" in gelu.formula.plain and "sqrt(2/pi)" in gelu.derivatives[0].formula.plain
    assert "√(2/π)" in gelu.derivatives[0].formula.unicode
    assert r"\sqrt{\frac{2}{\pi}}" in gelu.derivatives[0].formula.latex


def test_a_named_form_less_accurate_than_the_stable_one_is_not_shown(engine):
    _, softplus = statement(engine, "sp(x) = log(1 + exp(x))\n", "sp")
    shown = parse_formula(softplus.derivatives[0].formula.plain)
    x = symbol("x")
    value = evaluate_numpy(compile_numpy(shown, (x,)), np.array([800.0, -800.0]))
    assert np.all(np.isfinite(value)) and value[0] == 1.0  # exp(x)/(1 + exp(x)) would give nan at 800


def test_an_existing_claim_is_rewritten_not_duplicated(engine):
    analysis = engine.analyze("f(x) = x**3\nf'(x) = 2*x\ng(x) = x**2\ng'(x) = 2*x\n", "ngb", Settings())
    f, g = analysis.statements[0], analysis.statements[2]
    [write] = [fix for fix in f.fixes if fix.kind == "refactor"]
    assert write.title == "Write the derivative d/dx into the claim"
    assert write.edits[0].new_text == "3*x**2" and write.edits[0].span.start == analysis.text.index("2*x")
    assert [fix for fix in g.fixes if fix.kind == "refactor"] == []  # the claim already says it


def test_a_cross_entropy_reads_as_logsumexp_and_softmax(engine):
    text = "ce(a, b, c) = log(exp(a) + exp(b) + exp(c)) - a\n"
    analysis, ce = statement(engine, text, "ce")
    [use_stable] = [fix for fix in ce.fixes if fix.title == "Use the stable form"]
    assert use_stable.edits[0].new_text == "logsumexp(0, b - a, c - a)"
    assert ce.derivatives[1].formula.plain == "exp(b - logsumexp(a, b, c))"
    assert "logsumexp(0, b - a, c - a)" in analysis.diagnostics[0].message


@pytest.mark.parametrize("pieces, written", [
    ("softplus(softplus(-Abs(b - c)) + Max(-a + b, -a + c))", "logsumexp(0, b - a, c - a)"),
    ("Max(a, b) + softplus(-Abs(a - b))", "logsumexp(a, b)"),
    ("Max(a, b, c) + log(exp(a - Max(a, b, c)) + exp(b - Max(a, b, c)) + exp(c - Max(a, b, c)))",
     "logsumexp(a, b, c)"),
    ("-(exp(b - Max(a, b, c)) + exp(c - Max(a, b, c)))/(exp(a - Max(a, b, c)) + exp(b - Max(a, b, c))"
     " + exp(c - Max(a, b, c)))", "-exp(b - logsumexp(a, b, c)) - exp(c - logsumexp(a, b, c))"),
    ("softplus(x)", "softplus(x)"),
])
def test_readable_names_the_pieces_and_keeps_the_values(pieces, written):
    before = parse_formula(pieces)
    after = readable(before)
    assert formula_text(after) == written
    variables = sorted(before.free_symbols, key=lambda s: s.name)
    for point in ([710.0, 710.0, 709.0], [-3.0, 0.5, 2.0], [1e3, -1e3, 0.0]):
        row = point[:len(variables)]
        assert mpmath.almosteq(exact_value(after, variables, row), exact_value(before, variables, row), 1e-20)
        computed = evaluate_numpy(compile_numpy(after, variables), *map(np.float64, row))
        assert float(computed) == pytest.approx(float(exact_value(before, variables, row)), rel=1e-14)


def test_same_function_tells_a_different_formula_apart():
    x = symbol("x")
    square = named("sq", ("x",), x**2)
    assert same_function(2 * square(x), 2 * x**2, {})
    assert not same_function(2 * square(x), 2 * x**2 + sympy.Float(1e-9), {})
    assert inline(square(x + 1)) == (x + 1) ** 2


def test_python_formula_strings_are_shown_and_inserted_in_user_terms(engine):
    text = ('from neurogebra import Expression\n'
            'act = Expression("gelu_tanh", "0.5*x*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x**3)))")\n'
            'sw = Expression("swish", "x*sigmoid(x)")\n')
    analysis = engine.analyze(text, "python", Settings())
    act, swish = [s for s in analysis.statements if s.kind.value == "formula"]
    assert "√(2/π)" in act.formula.unicode and "sqrt(2/pi)" in act.derivatives[0].formula.plain
    [insert] = [fix for fix in swish.fixes if fix.title == "Insert derivative d/dx"]
    assert '"x*sigmoid\'(x) + sigmoid(x)"' in insert.edits[0].new_text
