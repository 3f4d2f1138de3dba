"""Overflow rewrites: each rule on its ML formula and on variations (other arguments, several variables, inside a
larger formula), equal to the original at high precision and finite where floats overflow; through
judge_stability, in float64 and float32, the naive forms are warned with a proposed form under 1 bit that is finite
on a dense grid, and accurate forms are not warned."""
import itertools

import mpmath
import numpy as np
import pytest
import sympy
from sympy.codegen.cfunctions import log1p

from neurogebra import stable
from neurogebra.calculus import differentiate
from neurogebra.catalog.entry import CLOSED_UNIT
from neurogebra.functions import erfc, softplus
from neurogebra.numerics import compile_in, exact_value, float_values, measure_accuracy, rounded, stability_rows
from neurogebra.parsing import parse_formula, symbol
from neurogebra.rewrites import overflow, rewrite
from neurogebra.stable import judge_stability

x, y, t, a, b, c = (symbol(n) for n in "xytabc")
exp, log, Abs, Max = sympy.exp, sympy.log, sympy.Abs, sympy.Max
DTYPES = ("float64", "float32")
DOMAINS = {"t": CLOSED_UNIT}
GOAL_BITS = 1.0
SIGMOID = "1/(1 + exp(-x))"
BCE = "-(t*log(1/(1 + exp(-{u}))) + (1 - t)*log(1 - 1/(1 + exp(-{u}))))"
SOFTMAX = "exp(a)/(exp(a) + exp(b) + exp(c))"
M3 = Max(a, b, c)
SHIFTED = exp(a - M3) + exp(b - M3) + exp(c - M3)
TOLERANCE, BELOW_EVERY_FLOAT = mpmath.mpf("1e-12"), mpmath.mpf("1e-330")
STRESS = (-1e4, -800.0, -100.0, -40.0, -3.0, -1e-9, 0.0, 1e-9, 0.5, 3.0, 40.0, 100.0, 800.0, 1e4)


def over(text: str) -> sympy.Expr:
    return rewrite(parse_formula(text), overflow.RULES)


def same(got: sympy.Expr, expected: sympy.Expr) -> bool:
    """The same formula up to how SymPy holds a sign: -(p + q)*r and (-p - q)*r."""
    return got == expected or sympy.expand(got - expected) == 0


def variables_of(*exprs: sympy.Expr) -> tuple[sympy.Symbol, ...]:
    return tuple(sorted(set().union(*(e.free_symbols for e in exprs)), key=lambda s: s.name))


def grid(variables, values=STRESS) -> np.ndarray:
    axes = [np.linspace(0.0, 1.0, 3) if v.name == "t" else np.array(values) for v in variables]
    return np.array(list(itertools.product(*axes)))


def assert_equal_and_finite(original: sympy.Expr, rewritten: sympy.Expr) -> None:
    """Equal to 12 digits at every grid point (exact values; where mpmath cannot hold the original, as
    log(1 - sigmoid(1e4)), only the rewrite is evaluated) and finite there in float64 unless its value is not."""
    variables = variables_of(original, rewritten)
    rows = grid(variables, STRESS if len(variables) < 3 else STRESS[1::2])
    values = float_values(compile_in(rewritten, variables), rows)
    for row, value in zip(rows, values):
        want, got = exact_value(original, variables, row), exact_value(rewritten, variables, row)
        assert got is not None, row
        assert want is None or abs(got - want) <= abs(want) * TOLERANCE + BELOW_EVERY_FLOAT, (row, got, want)
        assert np.isfinite(value) or not np.isfinite(rounded(got)), (row, value)


def dense_grid(variables, dtype: str) -> np.ndarray:
    largest = 1e300 if dtype == "float64" else 1e38
    wide = np.linspace(-1e4, 1e4, 2001 if len(variables) == 1 else 21)
    special = [0.0, 1e-30, 20.0, 40.0, 89.0, 100.0, 710.0, 745.0, 1e30, largest]
    return grid(variables, np.unique(np.concatenate([wide, special, -np.array(special)])))


def assert_finite_on_dense_grid(expr: sympy.Expr, dtype: str) -> None:
    variables = variables_of(expr)
    values = float_values(compile_in(expr, variables, dtype), dense_grid(variables, dtype), dtype)
    assert np.isfinite(values).all(), expr


def rules_bits(expr: sympy.Expr, dtype: str) -> float:
    """The overflow rules' form measured against its own exact values, like judge_stability measures."""
    rewritten = rewrite(expr, overflow.RULES)
    variables = variables_of(expr)
    return measure_accuracy(rewritten, variables, stability_rows(variables, DOMAINS, 128, 0, dtype), dtype).bits


# ---------------------------------------------------------------------------------------------- each rule
@pytest.mark.parametrize("text, expected", [
    ("log(1 + exp(x))", softplus(x)),
    ("log(1 + exp(2*x - 3))", softplus(2 * x - 3)),
    ("log1p(exp(x))", softplus(x)),
    ("log(1/(1 + exp(-x)))", -softplus(-x)),
    ("-log1p(exp(-x))", -softplus(-x)),
    ("-log(1 + exp(-x))", -softplus(-x)),
    ("log(exp(x)/(1 + exp(x)))", -softplus(-x)),
    ("log(1 - 1/(1 + exp(-x)))", -softplus(x)),
    ("3*log(1/(1 + exp(y - x))) + x**2", x**2 - 3 * softplus(y - x)),
    ("log(2*exp(y)*(1 + exp(x)))", log(2) + y + softplus(x)),
])
def test_softplus_and_log_sigmoid(text, expected):
    assert same(over(text), expected)
    assert_equal_and_finite(parse_formula(text), expected)


def test_binary_cross_entropy_from_logits():
    expected = t * softplus(-x) + (1 - t) * softplus(x)
    assert over(BCE.format(u="x")) == expected
    assert over(BCE.format(u="(2*x + y)")) == expected.subs(x, 2 * x + y)
    assert_equal_and_finite(parse_formula(BCE.format(u="x")), expected)
    textbook = (1 - t) * x - (sympy.Min(x, 0) - log1p(exp(-Abs(x))))  # (1 - t)*x - logsigmoid(x)
    for tv, xv in itertools.product((0.0, 0.3, 1.0), STRESS):
        with mpmath.workdps(50):
            assert abs(exact_value(expected - textbook, (t, x), (tv, xv))) < mpmath.mpf("1e-30")


def test_derivatives_of_binary_cross_entropy():
    bce = parse_formula(BCE.format(u="x"))
    assert rewrite(differentiate(bce, t), overflow.RULES) == -x  # softplus(-x) - softplus(x)
    by_x = rewrite(differentiate(bce, x), overflow.RULES)
    assert by_x == (1 - t) / (1 + exp(-x)) - t / (1 + exp(x))
    assert_equal_and_finite(differentiate(bce, x), by_x)


@pytest.mark.parametrize("text, expected", [
    ("log(exp(a) + exp(b))", Max(a, b) + softplus(-Abs(a - b))),
    ("log(exp(a) + exp(b) + exp(c))", M3 + log(SHIFTED)),
    ("log(1 + exp(a) + exp(b))", softplus(Max(a, b) + softplus(-Abs(a - b)))),
    ("log(exp(x) + exp(2*y) + 1)", softplus(Max(x, 2 * y) + softplus(-Abs(x - 2 * y)))),
    ("log(exp(a) + exp(b)) - a", softplus(b - a)),
    (f"-log({SOFTMAX})", softplus(Max(b - a, c - a) + softplus(-Abs(b - c)))),
    ("log(exp(a) + exp(b) + exp(c)) - a", softplus(Max(b - a, c - a) + softplus(-Abs(b - c)))),
    ("softplus(x) - x + y", y + softplus(-x)),
    ("softplus(x) - softplus(-x)", x),
    ("2*softplus(a - b) - 2*softplus(b - a)", 2 * a - 2 * b),
])
def test_logsumexp_and_cross_entropy(text, expected):
    assert same(over(text), expected)
    assert_equal_and_finite(parse_formula(text), expected)


@pytest.mark.parametrize("text, expected", [
    (SOFTMAX, exp(a - M3) / SHIFTED),
    (f"{SOFTMAX} - 1", -(exp(b - M3) + exp(c - M3)) / SHIFTED),
    (f"1 - {SOFTMAX}", (exp(b - M3) + exp(c - M3)) / SHIFTED),
    ("1/(exp(a) + exp(b) + exp(c))", exp(-M3) / SHIFTED),
    ("exp(a)*exp(b)/(exp(a) + exp(b) + exp(c))**2", exp(a - M3) * exp(b - M3) / SHIFTED**2),
    ("exp(a)/(exp(a) + exp(b))", 1 / (1 + exp(b - a))),
    ("exp(a)*exp(b)/(exp(a) + exp(b))**2", exp(-Abs(a - b)) / (1 + exp(-Abs(a - b)))**2),
])
def test_softmax_takes_out_the_largest_logit(text, expected):
    assert same(over(text), expected)
    assert_equal_and_finite(parse_formula(text), expected)


@pytest.mark.parametrize("wrt, expected", [
    (a, exp(a - M3) * (exp(b - M3) + exp(c - M3)) / SHIFTED**2),   # s*(1 - s), no difference left
    (b, -exp(a - M3) * exp(b - M3) / SHIFTED**2),
])
def test_softmax_derivatives(wrt, expected):
    derivative = differentiate(parse_formula(SOFTMAX), wrt)
    assert same(rewrite(derivative, overflow.RULES), expected)
    assert_equal_and_finite(derivative, expected)


def test_softmax_cross_entropy_gradient_is_softmax_minus_one():
    derivative = differentiate(parse_formula(f"-log({SOFTMAX})"), a)
    assert same(rewrite(derivative, overflow.RULES), -(exp(b - M3) + exp(c - M3)) / SHIFTED)


def even_sigmoid_product(u, power=1):
    return exp(-power * Abs(u)) / (1 + exp(-Abs(u))) ** (2 * power)


@pytest.mark.parametrize("text, expected", [
    ("exp(x)/(1 + exp(x))", 1 / (1 + exp(-x))),
    ("exp(-x)/(1 + exp(-x))", 1 / (1 + exp(x))),
    ("x*exp(2*x)/(1 + exp(2*x))", x / (1 + exp(-2 * x))),
    (f"1 - {SIGMOID}", 1 / (1 + exp(x))),
    ("1 - 1/(1 + exp(-(2*x - 3)))", 1 / (1 + exp(2 * x - 3))),
    ("exp(-x)/(1 + exp(-x))**2", even_sigmoid_product(x)),
    ("exp(x)/(1 + exp(x))**2 + y", y + even_sigmoid_product(x)),
    ("exp(-(2*x - 3))/(1 + exp(-(2*x - 3)))**2", even_sigmoid_product(2 * x - 3)),
    ("exp(-x)/(1 + exp(-x))**3", 1 / ((1 + exp(-x))**2 * (1 + exp(x)))),
    ("-exp(-x)/((1 - 1/(1 + exp(-x)))*(1 + exp(-x))**2)", -1 / (1 + exp(-x))),  # d/dx log(1 - sigmoid)
])
def test_sigmoid_products(text, expected):
    assert same(over(text), expected)
    assert_equal_and_finite(parse_formula(text), expected)


@pytest.mark.parametrize("u", [x, 3 * x - 2])
def test_sigmoid_derivatives(u):
    sigmoid = 1 / (1 + exp(-u))
    first = differentiate(sigmoid, x)
    scale = sympy.diff(u, x)
    assert rewrite(first, overflow.RULES) == scale * even_sigmoid_product(u)
    second = differentiate(first, x)  # sigmoid'' = sigmoid'*(1 - 2*sigmoid)
    assert rewrite(second, overflow.RULES) == -scale**2 * even_sigmoid_product(u) * sympy.tanh(u / 2)
    assert_equal_and_finite(second, rewrite(second, overflow.RULES))


@pytest.mark.parametrize("text, expected", [
    ("1 - tanh(x)**2", 1 / sympy.cosh(x)**2),
    ("3 - 3*tanh(2*x - 1)**2", 3 / sympy.cosh(2 * x - 1)**2),
    ("1 + tanh(x)", 2 / (1 + exp(-2 * x))),
    ("1 - tanh(x)", 2 / (1 + exp(2 * x))),
    ("sinh(2*x)/cosh(2*x)", sympy.tanh(2 * x)),
    ("1 + erf(x)", erfc(-x)),
    ("1 - erf(x)", erfc(x)),
    ("erf(x)/2 + 1/2 + y", y + erfc(-x) / 2),
    ("x/2*(1 + erf(x/sqrt(2)))", x * erfc(-sympy.sqrt(2) * x / 2) / 2),
])
def test_tanh_and_erf(text, expected):
    assert same(over(text), expected)
    assert_equal_and_finite(parse_formula(text), expected)


def test_the_stable_erfc_keeps_its_negative_argument():
    assert erfc(-x) != 2 - sympy.erfc(x) and sympy.erfc(-x) == 2 - sympy.erfc(x)
    assert erfc(0) == 1 and erfc(-sympy.oo) == 2 and erfc(sympy.oo) == 0
    assert differentiate(erfc(-x), x) == sympy.diff(sympy.erfc(-x, evaluate=False), x)


@pytest.mark.parametrize("text", ["log(cosh(x))", "log(cosh(x - y))", "Abs(x) + log1p(exp(-2*Abs(x))) - log(2)"])
def test_log_cosh(text):
    rewritten = over(text)
    assert isinstance(rewritten, sympy.Piecewise)
    assert_equal_and_finite(parse_formula(text), rewritten)


def test_the_unstable_originals_really_fail_in_float64():
    with np.errstate(all="ignore"):
        assert np.isnan(float_values(compile_in(parse_formula("exp(-x)/(1 + exp(-x))**2"), [x]), [[-800.0]]))
        assert np.isinf(float_values(compile_in(parse_formula("log(1 + exp(x))"), [x]), [[800.0]]))
        assert np.isnan(float_values(compile_in(parse_formula(SOFTMAX), [a, b, c]), [[800.0, 0.0, 0.0]]))


@pytest.mark.parametrize("text", ["x**2 + 1", "sin(x)", "log(x)", "log(2 + x**2)", "exp(x) + 1", "softplus(x)",
                                  "1/(1 + exp(-x))", "log(exp(a - Max(a, b)) + exp(b - Max(a, b))) + Max(a, b)"])
def test_nothing_to_do(text):
    assert over(text) == parse_formula(text)


# ---------------------------------------------------------------------------------------------- judged
def formula(text: str, wrt: str | None = None) -> sympy.Expr:
    expr = parse_formula(text)
    return expr if wrt is None else differentiate(expr, symbol(wrt))


UNSTABLE = {
    "softplus": formula("log(1 + exp(x))"),
    "softplus'": formula("log(1 + exp(x))", "x"),
    "log-sigmoid": formula("log(1/(1 + exp(-x)))"),
    "BCE with logits": formula(BCE.format(u="x")),
    "d/dx BCE with logits": formula(BCE.format(u="x"), "x"),
    "logsumexp of 2": formula("log(exp(a) + exp(b))"),
    "logsumexp of 3": formula("log(exp(a) + exp(b) + exp(c))"),
    "softmax": formula(SOFTMAX),
    "d/da softmax": formula(SOFTMAX, "a"),
    "d/db softmax": formula(SOFTMAX, "b"),
    "d/da softmax cross-entropy": formula(f"-log({SOFTMAX})", "a"),
    "softmax cross-entropy": formula(f"-log({SOFTMAX})"),
    "softmax - 1": formula(f"{SOFTMAX} - 1"),
    "d/dx log(1 - sigmoid)": formula(f"log(1 - {SIGMOID})", "x"),
    "sigmoid'": formula("exp(-x)/(1 + exp(-x))**2"),
    "sigmoid''": formula("exp(-x)/(1 + exp(-x))**2", "x"),
    "log-cosh": formula("log(cosh(x))"),
    "tanh from log-cosh": formula("log(cosh(x))", "x"),
    "Mish'": formula("x*tanh(log(1 + exp(x)))", "x"),  # its reference needs log(1 + exp(-2e11)) as log1p
    "log(1 - sigmoid)": formula(f"log(1 - {SIGMOID})"),  # -inf past 37: a few bits on average, but infinite
}
# Above 1 bit but under stable.WARN_BITS, so not warned: the rules' form is what a warning would propose.
QUIETLY_INACCURATE = {
    "1 - sigmoid": formula(f"1 - {SIGMOID}"),
    "Mish": formula("x*tanh(log(1 + exp(x)))"),
    "tanh'": formula("1 - tanh(x)**2"),
    "tanh''": formula("1 - tanh(x)**2", "x"),
}
ACCURATE = {
    "softplus": softplus(x),
    "sigmoid": 1 / (1 + exp(-x)),
    "max-shifted logsumexp": M3 + log(SHIFTED),
    "logsumexp of 2": Max(a, b) + softplus(-Abs(a - b)),
    "max-shifted softmax": exp(a - M3) / SHIFTED,
    "sigmoid'": even_sigmoid_product(x),
    "GELU": x * erfc(-x / sympy.sqrt(2)) / 2,
    "log-cosh": overflow.log_cosh(x),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", UNSTABLE)
def test_unstable_forms_are_warned_with_an_accurate_proposal(name, dtype):
    assert rules_bits(UNSTABLE[name], dtype) < GOAL_BITS
    judged = judge_stability(UNSTABLE[name], DOMAINS, dtype)
    assert judged.unstable, judged.accuracy
    assert judged.proposed is not None
    assert judged.proposed_accuracy.bits < GOAL_BITS, (judged.proposed, judged.proposed_accuracy)
    assert_finite_on_dense_grid(judged.proposed, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", QUIETLY_INACCURATE)
def test_rules_make_the_quietly_inaccurate_forms_accurate(name, dtype):
    assert rules_bits(QUIETLY_INACCURATE[name], dtype) < GOAL_BITS
    assert_finite_on_dense_grid(rewrite(QUIETLY_INACCURATE[name], overflow.RULES), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ACCURATE)
def test_accurate_forms_are_not_warned(name, dtype):
    judged = judge_stability(ACCURATE[name], DOMAINS, dtype)
    assert not judged.unstable, judged.accuracy
    assert judged.accuracy.bits < GOAL_BITS


def test_a_wrong_rewrite_is_never_proposed(monkeypatch):
    """stable.py verifies every candidate: Max(x, 0) is what softplus tends to, not softplus."""
    original = log(1 + exp(2 * x + 1))
    monkeypatch.setattr(stable, "candidates", lambda expr: [Max(2 * x + 1, 0)])
    stable._judge.cache_clear()
    try:
        judged = judge_stability(original)
        assert judged.unstable and judged.proposed is None
    finally:
        stable._judge.cache_clear()


def test_sinh_over_a_higher_power_of_cosh_keeps_tanh_and_the_rest_of_the_cosh():
    x = symbol("x")
    slope = sympy.diff(1 / sympy.cosh(x), x)  # sech's slope -sinh/cosh**2: inf/inf beyond |x| = 710
    assert rewrite(slope, overflow.RULES) == -sympy.tanh(x) / sympy.cosh(x)
    judged = judge_stability(slope)
    assert judged.unstable and judged.proposed == -sympy.tanh(x) / sympy.cosh(x)
    assert rewrite(sympy.sinh(x) / sympy.cosh(x), overflow.RULES) == sympy.tanh(x)
