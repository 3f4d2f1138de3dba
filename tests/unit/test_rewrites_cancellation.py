"""Cancellation rewrites: each rule on its textbook case and a variation, equal to the original at high precision;
through judge_stability, cancelling formulas are warned with an accurate proposed form and accurate ones are not."""
import math

import mpmath
import pytest
import sympy
from sympy.codegen.cfunctions import expm1, log1p

from neurogebra.domains import Domain
from neurogebra.numerics import exact_value
from neurogebra.parsing import parse_formula, symbol
from neurogebra.rewrites import cancellation, in_exponentials, rewrite
from neurogebra.stable import WARN_BITS, judge_stability

x, y, N, eps = symbol("x"), symbol("y"), symbol("N"), symbol("eps")
PROPOSED_BITS = 3.0
POSITIVE = Domain(0.0, math.inf)
NONNEGATIVE = Domain(0.0, math.inf, lo_closed=True)
UNIT = Domain(-1.0, 1.0)


def cancel(text: str) -> sympy.Expr:
    return rewrite(parse_formula(text), cancellation.RULES)


def assert_equal(original: sympy.Expr, rewritten: sympy.Expr, points: list[dict]) -> None:
    """Both sides agree to 12 digits at each point (exact values, mpmath at rising precision)."""
    variables = sorted(original.free_symbols | rewritten.free_symbols, key=lambda s: s.name)
    for point in points:
        row = [point[v.name] for v in variables]
        want, got = exact_value(original, variables, row), exact_value(rewritten, variables, row)
        assert want is not None and got is not None, point
        assert abs(got - want) <= abs(want) * mpmath.mpf("1e-12"), (point, got, want)


def at(**values: list[float]) -> list[dict]:
    names = list(values)
    return [dict(zip(names, row)) for row in zip(*values.values())]


# ---------------------------------------------------------------------------------------------- each rule
@pytest.mark.parametrize("text, expected", [
    ("exp(x) - 1", expm1(x)),
    ("1 - exp(2*y)", -expm1(2 * y)),
    ("3*exp(x) - 3", 3 * expm1(x)),
    ("exp(x) - 1 + y", expm1(x) + y),
])
def test_exp_minus_one_is_expm1(text, expected):
    assert cancel(text) == expected
    assert_equal(parse_formula(text), expected, at(x=[1e-12, -0.3, 5.0], y=[2e-9, 1.5, -4.0]))


@pytest.mark.parametrize("text, expected", [
    ("(1 + x)**n - 1", expm1(symbol("n") * log1p(x))),
    ("2*(y + 1)**0.3 - 2", 2 * expm1(0.3 * log1p(y))),
])
def test_power_minus_one(text, expected):
    assert cancel(text) == expected
    assert_equal(parse_formula(text), expected, at(x=[1e-12, 0.5], y=[1e-10, 3.0], n=[7.0, 0.25]))


@pytest.mark.parametrize("text, expected", [
    ("log(1 + x)", log1p(x)),
    ("log(y**2 + 1)", log1p(y**2)),
    ("log((1 - x)/(1 + x))", log1p(-x) - log1p(x)),
])
def test_log_of_one_plus_is_log1p(text, expected):
    assert cancel(text) == expected
    assert_equal(parse_formula(text), expected, at(x=[1e-13, 0.5, -0.7], y=[1e-9, 0.5, 3.0]))


@pytest.mark.parametrize("text, expected", [
    ("log(N + 1) - log(N)", log1p(1 / N)),
    ("log(x + 2) - log(x)", log1p(2 / x)),
    ("3 + log(y + 1) - log(y)", 3 + log1p(1 / y)),
])
def test_log_difference(text, expected):
    assert cancel(text) == expected
    assert_equal(parse_formula(text), expected, at(N=[1e12, 3.0], x=[1e15, 0.5], y=[1e9, 2.0]))


def test_log_difference_leaves_unrelated_logs():
    assert cancellation.log_difference(parse_formula("log(x) - log(y)")) is None


def test_x_log_x_difference():
    original = parse_formula("(N + 1)*log(N + 1) - N*log(N) - 1")
    rewritten = cancel("(N + 1)*log(N + 1) - N*log(N) - 1")
    assert rewritten.has(log1p(1 / N))
    assert_equal(original, rewritten, at(N=[1e17, 7.0, 1e40]))


@pytest.mark.parametrize("text, expected", [
    ("exp(x) - 2 + exp(-x)", 4 * sympy.sinh(x / 2)**2),
    ("cosh(2*y) - 1", 2 * sympy.sinh(y)**2),
])
def test_exp_pair_minus_two(text, expected):
    assert cancel(text) == expected
    assert_equal(parse_formula(text), expected, at(x=[1e-9, 3.0], y=[2e-8, -1.5]))


def test_exp_difference():
    rewritten = cancel("exp(x + y) - exp(x)")
    assert rewritten == sympy.exp(x) * expm1(y)
    assert_equal(parse_formula("exp(x + y) - exp(x)"), rewritten, at(x=[3.0, -2.0], y=[1e-12, 0.5]))


@pytest.mark.parametrize("text, expected", [
    ("exp(x)/(exp(x) - 1)", -1 / expm1(-x)),
    ("(exp(y) - 1)/exp(y)", -expm1(-y)),
    ("sqrt((exp(2*x) - 1)/(exp(x) - 1))", sympy.sqrt(sympy.exp(x) + 1)),
])
def test_expm1_quotient(text, expected):
    assert cancel(text) == expected
    assert_equal(parse_formula(text), expected, at(x=[1e-10, 2.0, -30.0], y=[1e-10, 2.0, -30.0]))


@pytest.mark.parametrize("text, points", [
    ("sqrt(x + 1) - sqrt(x)", at(x=[1e12, 0.5])),
    ("sqrt(y + 2) - sqrt(y)", at(y=[1e14, 3.0])),
    ("1/sqrt(x) - 1/sqrt(x + 1)", at(x=[1e12, 0.5])),
    ("pow(x + 1, 1/3) - pow(x, 1/3)", at(x=[1e15, 2.0])),
    ("2*(sqrt(x + 1) - sqrt(x)) + y", at(x=[1e12, 0.5], y=[1.0, 2.0])),
])
def test_root_differences_lose_their_subtraction(text, points):
    rewritten = cancel(text)
    assert rewritten != parse_formula(text)
    assert_equal(parse_formula(text), rewritten, points)


def test_root_difference_textbook_form():
    assert cancel("sqrt(x + 1) - sqrt(x)") == 1 / (sympy.sqrt(x) + sympy.sqrt(x + 1))
    assert cancel("(x + 1)**0.5 - x**0.5") == 1 / (sympy.sqrt(x) + sympy.sqrt(x + 1))


def test_general_power_difference_uses_expm1_where_the_powers_are_close():
    rewritten = cancel("pow(x + 1, 1/n) - pow(x, 1/n)")
    assert isinstance(rewritten, sympy.Piecewise) and rewritten.has(expm1)
    assert_equal(parse_formula("pow(x + 1, 1/n) - pow(x, 1/n)"), rewritten, at(x=[1e10, 0.5], n=[3.0, 1e12]))


def test_unrelated_roots_are_left_alone():
    assert cancellation.root_difference(parse_formula("sqrt(x) - sqrt(y)")) is None


@pytest.mark.parametrize("text, points", [
    ("(-b + sqrt(b*b - 4*(a*c)))/(2*a)", at(a=[1.0, -2.0], b=[1e8, 3.0], c=[1.0, 0.5])),
    ("(-b - sqrt(b*b - 4*(a*c)))/(2*a)", at(a=[1.0, 2.0], b=[-1e8, -3.0], c=[1.0, 0.5])),
    ("sqrt(x**2 + 1) - x", at(x=[1e9, -3.0, 0.5])),
])
def test_conjugate_of_a_root(text, points):
    rewritten = cancel(text)
    assert isinstance(rewritten, sympy.Piecewise)
    assert_equal(parse_formula(text), rewritten, points)


def test_citardauq_cancels_a():
    a, b, c = symbol("a"), symbol("b"), symbol("c")
    rewritten = cancel("(-b + sqrt(b*b - 4*(a*c)))/(2*a)")
    assert rewritten.args[0].expr == -2 * c / (b + sympy.sqrt(b**2 - 4 * a * c))


@pytest.mark.parametrize("text, expected", [
    ("1 - cos(x)", 2 * sympy.sin(x / 2)**2),
    ("cos(3*y) - 1", -2 * sympy.sin(3 * y / 2)**2),
    ("(1 - cos(x))/x**2", 2 * sympy.sin(x / 2)**2 / x**2),
    ("(1 - cos(x))/sin(x)", sympy.tan(x / 2)),
    ("(1 - cos(2*y))/sin(2*y)", sympy.tan(y)),
])
def test_one_minus_cos(text, expected):
    assert cancel(text) == expected
    assert_equal(parse_formula(text), expected, at(x=[1e-9, 2.5], y=[3e-8, 0.7]))


@pytest.mark.parametrize("text, points", [
    ("sin(x + eps) - sin(x)", at(x=[1e10, 0.3], eps=[1e-9, 2.0])),
    ("cos(x + eps) - cos(x)", at(x=[1e10, 0.3], eps=[1e-9, 2.0])),
    ("tan(x + eps) - tan(x)", at(x=[1e10, 0.3], eps=[1e-9, 0.2])),
    ("sin(y + 2) - sin(y)", at(y=[1e8, 0.4])),
    ("atan(N + 1) - atan(N)", at(N=[1e9, -0.5, -1e6])),
])
def test_sum_to_product(text, points):
    rewritten = cancel(text)
    assert not isinstance(rewritten, sympy.Add) or rewritten.has(sympy.Piecewise)
    assert_equal(parse_formula(text), rewritten, points)


def test_sum_to_product_needs_a_simple_difference():
    assert cancellation.trig_difference(parse_formula("sin(x) - sin(y)")) is None


@pytest.mark.parametrize("text, expected", [
    ("1/(x + 1) - 1/x", -1 / (x * (x + 1))),
    ("1/(x + 1) - 2/x + 1/(x - 1)", 2 / (x * (x - 1) * (x + 1))),
    ("1/(y - 1) - 1/y", 1 / (y * (y - 1))),
])
def test_combined_fractions(text, expected):
    assert sympy.simplify(cancel(text) - expected) == 0
    assert cancel(text).count_ops() <= expected.count_ops() + 1
    assert_equal(parse_formula(text), cancel(text), at(x=[1e9, 3.0], y=[1e9, 3.0]))


def test_fractions_without_cancellation_are_left_alone():
    assert cancellation.combined_fractions(parse_formula("1/(x + 1) + 1/(x - 1)")) is None


@pytest.mark.parametrize("text, lowest_term", [
    ("x - sin(x)", x**3 / 6),
    ("x - tan(x)", -x**3 / 3),
    ("1/x - 1/tan(x)", x / 3),
    ("1/x - cot(y)", None),
])
def test_series_regime_where_no_identity_helps(text, lowest_term):
    rewritten = cancel(text)
    if lowest_term is None:
        assert rewritten == parse_formula(text)
        return
    assert isinstance(rewritten, sympy.Piecewise)
    (series, condition), (fallback, _) = rewritten.args
    assert series.has(lowest_term) or sympy.expand(series).coeff(x, sympy.degree(lowest_term, x)) != 0
    radius = float(condition.rhs)
    inside = [0.9 * radius, -0.5 * radius, 1e-6]
    assert_equal(parse_formula(text), series, at(x=inside))


def test_a_quotient_of_regimes_gets_one_series():
    rewritten = cancel("(x - sin(x))/(x - tan(x))")
    assert isinstance(rewritten, sympy.Piecewise)
    series = rewritten.args[0].expr
    assert series.subs(x, 0) == sympy.Rational(-1, 2)
    assert_equal(parse_formula("(x - sin(x))/(x - tan(x))"), series, at(x=[1e-20, 0.05]))


def test_series_rule_leaves_sums_that_do_not_cancel():
    assert cancellation.series_near_zero(parse_formula("sin(x) + x")) is None


# ---------------------------------------------------------------------------------------------- verdicts
@pytest.mark.parametrize("text, domains", [
    ("exp(x) - 1", {}),
    ("(exp(x) - 1)/x", {"x": Domain(0.0, 10.0, hi_closed=True)}),
    ("log(1 + x)", {}),
    ("1 - cos(x)", {}),
    ("sqrt(x + 1) - sqrt(x)", {"x": NONNEGATIVE}),
    ("1/(x + 1) - 1/x", {}),
    ("exp(x)/(exp(x) - 1)", {}),
    ("x - sin(x)", {}),
    ("log((1 - x)/(1 + x))", {"x": UNIT}),
    ("sin(x + eps) - sin(x)", {"x": Domain(1.0, 1e4), "eps": Domain(1e-15, 1e-3)}),
    ("(-b + sqrt(b*b - 4*(a*c)))/(2*a)", {"a": Domain(0.5, 2.0), "b": Domain(1e3, 1e8), "c": Domain(0.5, 2.0)}),
    ("pow(x + 1, 1/n) - pow(x, 1/n)", {"x": NONNEGATIVE}),
])
def test_cancelling_forms_are_warned_with_an_accurate_proposal(text, domains):
    judged = judge_stability(parse_formula(text), domains)
    assert judged is not None and judged.unstable, text
    assert judged.proposed is not None, text
    assert judged.proposed_accuracy.bits <= PROPOSED_BITS, (text, judged.proposed, judged.proposed_accuracy)


@pytest.mark.parametrize("text, domains", [
    ("expm1(x)", {}),
    ("log1p(x)", {}),
    ("1/(sqrt(x + 1) + sqrt(x))", {"x": NONNEGATIVE}),
    ("2*sin(x/2)**2", {}),
    ("-1/expm1(-x)", {}),
    ("tan(x/2)", {}),
])
def test_accurate_forms_are_not_warned(text, domains):
    judged = judge_stability(parse_formula(text), domains)
    assert judged is not None and judged.accuracy.bits <= WARN_BITS and not judged.unstable, text


def test_terms_in_powers_of_one_exponential_are_factored_so_their_cancellation_shows():
    x = symbol("x")
    slope = sympy.diff(parse_formula("logistic_pdf(x)"), x)  # -u*sign(x)/(1 + u)**2 + 2*u**2*sign(x)/(1 + u)**3
    u = sympy.exp(-sympy.Abs(x))
    assert in_exponentials(slope) == (u - 1) * u * sympy.sign(x) / (1 + u) ** 3
    judged = judge_stability(slope)
    assert judged.unstable and judged.proposed is not None and judged.proposed.has(expm1)
    assert judged.proposed_accuracy is not None and judged.proposed_accuracy.bits < 1
    assert in_exponentials(x**2 + 1) == x**2 + 1  # nothing to factor in
