"""The verdicts issue 11 names, through the analysis a user sees: unstable forms judged on their own, right
prime notation, wrong claims that hide (narrow, far out, tiny scale, overflowing), catalog defaults, cancellation,
float32, and fixes that are themselves stable."""
from __future__ import annotations

from pathlib import Path

import pytest

from neurogebra.analysis import Code, Engine, Settings
from neurogebra.analysis.ngb import parse_interval
from neurogebra.gradient_checks import Verdict, gradcheck
from neurogebra.parsing import parse_formula
from neurogebra.stable import judge_stability

SETTINGS = Settings(time_budget_ms=60_000)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def codes_on_line(engine: Engine, text: str, line: int, settings: Settings = SETTINGS) -> set[Code]:
    analysis = engine.analyze(text, "ngb", settings)
    start = sum(len(row) + 1 for row in text.split("\n")[:line - 1])
    end = start + len(text.split("\n")[line - 1])
    return {d.code for d in analysis.diagnostics if start <= d.span.start <= end}


@pytest.mark.parametrize("text", [
    "sp(x) = log(1 + exp(x))\nsp'(x) = exp(x)/(1 + exp(x))\n",
    "ce(a, b, c) = -log(exp(a)/(exp(a) + exp(b) + exp(c)))\n∂ce/∂a = exp(a)/(exp(a) + exp(b) + exp(c)) - 1\n",
])
def test_an_unstable_claim_is_warned_even_when_its_function_is_as_unstable(engine, text):
    assert codes_on_line(engine, text, 2) == {Code.UNSTABLE_FORM}


@pytest.mark.parametrize("text", [
    "g(x) = sigmoid(2*x)\ng'(x) = 2*sigmoid'(2*x)\n",
    "h(x) = swish(x)\nh'(x) = swish'(x)\n",
    "e(x) = softplus(3*x)\ne'(x) = 3*softplus'(3*x)\n",
])
def test_right_prime_notation_of_catalog_functions_raises_nothing(engine, text):
    assert codes_on_line(engine, text, 2) == set()


def test_prime_notation_of_a_catalog_function_is_its_stable_derivative():
    derivative = parse_formula("sigmoid'(x)")
    judged = judge_stability(derivative)
    assert not judged.unstable and judged.accuracy.bits < 1
    assert not judge_stability(parse_formula("exp(-x)/(1 + exp(-x))**2")).accuracy.bits < 1


@pytest.mark.parametrize("function, claim", [
    ("relu(x)", "Heaviside(x - 0.001)"),          # wrong on (0, 0.001) only
    ("x**2/2", "Min(x, 10000)"),                  # wrong beyond 10000 only
    ("1e-12*x**2", "1e-12*x"),                    # a factor 2 on a function of tiny scale
    ("1e-9*exp(-x**2)", "-2.02e-9*x*exp(-x**2)"),  # 1 % off on a tiny scale
    ("x*exp(x)", "(x + 1)*exp(x)*Heaviside(700 - x, 0)"),  # wrong where exp(x) overflows in float64
])
def test_wrong_claims_that_hide_are_found(function, claim):
    check = gradcheck(parse_formula(function), claimed=parse_formula(claim)).results[0]
    assert check.verdict is Verdict.MISMATCH, check.message


def test_a_difference_at_an_isolated_kink_is_no_mismatch():
    check = gradcheck(parse_formula("relu(x)"), claimed=parse_formula("Heaviside(x)")).results[0]
    assert check.verdict is Verdict.NON_DIFFERENTIABLE


@pytest.mark.parametrize("text", [
    "elu'(x) = Piecewise((1, x > 0), (exp(x), True))\n",
    "d/dy_pred huber(y_pred, y_true) = clip(y_pred - y_true, -1, 1)\n",
    "leaky_relu'(x) = Piecewise((1, x > 0), (0.01, True))\n",
])
def test_catalog_calls_with_fewer_arguments_use_the_defaults(engine, text):
    assert Code.GRADIENT_MISMATCH not in codes_on_line(engine, text, 1)


def test_a_catalog_parameter_written_out_is_a_variable_sampled_in_its_own_domain(engine):
    right = "d/dx elu(x, a) = Piecewise((1, x > 0), (a*exp(x), True))\n"
    assert Code.GRADIENT_MISMATCH not in codes_on_line(engine, right, 1)
    wrong = "elu'(x) = Piecewise((1, x > 0), (2*exp(x), True))\n"
    assert Code.GRADIENT_MISMATCH in codes_on_line(engine, wrong, 1)


@pytest.mark.parametrize("formula, domain", [
    ("(exp(x) - 1)/x", "(0, 10]"), ("1 - cos(x)", "(-inf, inf)"), ("log(1 + x)", "(0, 10]"),
])
def test_cancellation_is_warned_with_a_stable_form(engine, formula, domain):
    text = f"@domain x in {domain}\nf(x) = {formula}\n"
    analysis = engine.analyze(text, "ngb", SETTINGS)
    [warning] = [d for d in analysis.diagnostics if d.code == Code.UNSTABLE_FORM]
    assert "stable form" in warning.message
    [fix] = [f for f in analysis.statements[1].fixes if f.code == Code.UNSTABLE_FORM]
    edit = fix.edits[0]
    fixed = text[:edit.span.start] + edit.new_text + text[edit.span.end:]
    assert codes_on_line(engine, fixed, 2) == set(), fixed


@pytest.mark.parametrize("formula", ["expm1(x)/x", "2*sin(x/2)**2", "log1p(x)", "softplus(x)", "1/(1 + exp(-x))"])
def test_accurate_forms_are_not_warned(engine, formula):
    assert codes_on_line(engine, f"@domain x in (0, 10]\nf(x) = {formula}\n", 2) == set()


def test_float32_judges_what_float64_evaluates_well():
    formula = parse_formula("exp(x)/(1 + exp(x))")
    domain = {"x": parse_interval("[50, 200]")}
    assert not judge_stability(formula, domain, "float64").unstable  # exp(200) fits float64
    in_float32 = judge_stability(formula, domain, "float32")
    assert in_float32.unstable and in_float32.proposed is not None  # exp(89) overflows float32
    assert gradcheck(parse_formula("log(1 + exp(x))"), claimed=formula, domain=domain,
                     dtype="float32").results[0].verdict is Verdict.UNSTABLE


def test_the_setting_reaches_the_analysis(engine):
    text = "@domain x in [50, 200]\nf(x) = exp(x)/(1 + exp(x))\n"
    assert codes_on_line(engine, text, 2) == set()
    assert codes_on_line(engine, text, 2, Settings(time_budget_ms=60_000, dtype="float32")) == {Code.UNSTABLE_FORM}


def test_the_fix_for_a_wrong_softmax_derivative_is_stable(engine):
    text = ("ce(a, b, c) = -log(exp(a)/(exp(a) + exp(b) + exp(c)))\n"
            "∂ce/∂a = exp(a)/(exp(a) + exp(b) + exp(c))\n")
    analysis = engine.analyze(text, "ngb", SETTINGS)
    [fix] = [f for f in analysis.statements[1].fixes if f.code == Code.GRADIENT_MISMATCH]
    edit = fix.edits[0]
    fixed = text[:edit.span.start] + edit.new_text + text[edit.span.end:]
    assert codes_on_line(engine, fixed, 2) == set(), fixed



EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.ngb")))
def test_every_quick_fix_in_the_examples_is_stable_and_right(engine, name):
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    analysis = engine.analyze(text, "ngb", SETTINGS)
    fixes = [(statement, fix) for statement in analysis.statements for fix in statement.fixes
             if fix.code in (Code.UNSTABLE_FORM, Code.GRADIENT_MISMATCH)]
    for statement, fix in fixes:
        edit = fix.edits[0]
        fixed = text[:edit.span.start] + edit.new_text + text[edit.span.end:]
        line = text.count("\n", 0, statement.span.start) + 1
        assert codes_on_line(engine, fixed, line) & {Code.UNSTABLE_FORM, Code.GRADIENT_MISMATCH} == set(), edit
    if name == "mistakes.ngb":
        assert len(fixes) >= 7  # every wrong or unstable formula in it has its fix
