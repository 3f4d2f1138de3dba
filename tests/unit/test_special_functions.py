"""Special functions in formulas: parsed, compiled through SciPy, equal to independent mpmath references (written
here from mpmath's own functions, not from the library's), with derivatives free of re/im/Subs that agree with
mpmath's numerical derivative; wrong calls and misspellings get errors and suggestions that make sense."""
from __future__ import annotations

import math
import subprocess
import sys
from dataclasses import dataclass
from typing import Callable

import mpmath
import numpy as np
import pytest
import sympy

from neurogebra import Expression
from neurogebra.analysis import Code, Engine, Settings
from neurogebra.calculus import differentiate
from neurogebra.domains import Domain
from neurogebra.gradient_checks import check_function, gradcheck
from neurogebra.parsing import ParseError, parse_formula, symbol
from neurogebra.verdict import Verdict

VALUE_RTOL = 1e-12    # SciPy's special functions are within a few ulps of the exact value
SLOPE_RTOL = 1e-10    # a derivative formula adds a few roundings more
DIGITS = 40
x, y = symbol("x"), symbol("y")


@dataclass(frozen=True)
class Case:
    formula: str
    exact: Callable    # the mpmath reference, of the variables in alphabetical order
    points: tuple[tuple[float, ...], ...]
    fixed: tuple[str, ...] = ()  # variables without a derivative formula (a Bessel function's order)


def log_abs(value):
    return mpmath.log(abs(value))


CASES = [
    Case("gamma(x)", mpmath.gamma, ((2.5,), (0.1,), (-2.5,), (-0.3,), (30.7,), (171.5,))),
    Case("loggamma(x)", lambda a: log_abs(mpmath.gamma(a)), ((2.5,), (0.5,), (-2.5,), (1e5,), (3.0,))),
    Case("lgamma(x)", lambda a: log_abs(mpmath.gamma(a)), ((7.25,), (-0.75,))),
    Case("digamma(x)", mpmath.digamma, ((2.5,), (0.01,), (-2.5,), (-1e5 - 0.25,), (1e10,))),
    Case("polygamma(1, x)", lambda a: mpmath.polygamma(1, a), ((2.5,), (0.3,), (-2.5,), (-20000.25,))),
    Case("polygamma(2, x)", lambda a: mpmath.polygamma(2, a), ((2.5,), (-0.3,), (40.0,))),
    Case("beta(x, y)", mpmath.beta, ((2.5, 1.5), (0.3, 7.0), (-2.5, 1.2))),
    Case("betaln(x, y)", lambda a, b: log_abs(mpmath.beta(a, b)), ((2.5, 1.5), (300.0, 400.0), (-2.5, 1.2))),
    Case("erf(x)", mpmath.erf, ((0.3,), (-2.0,), (1e-10,))),
    Case("erfc(x)", mpmath.erfc, ((0.3,), (5.0,), (-2.0,))),
    Case("erfinv(x)", mpmath.erfinv, ((0.7,), (-0.999,), (1e-9,), (0.5,))),
    Case("erfcinv(x)", lambda a: mpmath.erfinv(1 - a), ((0.7,), (1.999,), (1e-20,), (1.0,))),
    Case("zeta(x)", mpmath.zeta, ((2.5,), (1.001,), (-1.5,), (0.5,), (-7.3,), (40.0,))),
    Case("besselj(0, x)", lambda a: mpmath.besselj(0, a), ((2.0,), (-7.5,), (1e-5,), (300.0,))),
    Case("besselj(x, y)", mpmath.besselj, ((0.5, 2.0), (2.5, 10.0), (-0.5, 3.0)), fixed=("x",)),
    Case("bessely(1, x)", lambda a: mpmath.bessely(1, a), ((2.0,), (0.01,), (50.0,))),
    Case("besseli(2, x)", lambda a: mpmath.besseli(2, a), ((2.0,), (-3.0,), (30.0,))),
    Case("besselk(0, x)", lambda a: mpmath.besselk(0, a), ((2.0,), (1e-5,), (30.0,))),
    Case("LambertW(x)", lambda a: mpmath.lambertw(a).real, ((1.0,), (-0.2,), (1e10,), (0.0,), (-0.36,))),
    Case("lambertw(x)", lambda a: mpmath.lambertw(a).real, ((3.0,),)),
    Case("sinc(x)", lambda a: mpmath.sin(mpmath.pi * a) / (mpmath.pi * a),
         ((0.3,), (-2.5,), (1e-8,), (1234.567,), (1.5,))),
    Case("hypot(x, y)", lambda a, b: mpmath.sqrt(a**2 + b**2), ((3.0, 4.0), (1e200, 1e200), (-1e-200, 3e-200))),
    Case("exp2(x)", lambda a: mpmath.power(2, a), ((3.5,), (-1074.0,), (0.1,))),
    Case("log2(x)", lambda a: mpmath.log(a, 2), ((3.0,), (1e-300,))),
    Case("log10(x)", mpmath.log10, ((3.0,), (1e300,))),
    Case("logsumexp(x, y)", lambda a, b: mpmath.log(mpmath.exp(a) + mpmath.exp(b)),
         ((1.0, 2.0), (800.0, 799.0), (-800.0, -801.0))),
    Case("floor(x)", mpmath.floor, ((2.5,), (-2.5,))),
    Case("ceiling(x)", mpmath.ceil, ((2.5,), (-2.5,))),
    Case("mod(x, y)", lambda a, b: a - b * mpmath.floor(a / b), ((3.5, 2.0), (-3.5, 2.0), (3.5, -2.0), (7.3, 0.5))),
    Case("Mod(x, 3)", lambda a: a - 3 * mpmath.floor(a / 3), ((7.5,), (-1.25,))),
]
IDS = [case.formula for case in CASES]


def reference(case: Case, point: tuple[float, ...]) -> float:
    with mpmath.workdps(DIGITS):
        return float(case.exact(*(mpmath.mpf(v) for v in point)))


def variables_of(case: Case) -> list[str]:
    return sorted(s.name for s in parse_formula(case.formula).free_symbols)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_each_function_evaluates_to_the_exact_value_as_a_float_and_as_arrays(case):
    expression = Expression("f", case.formula)
    names = variables_of(case)
    expected = np.array([reference(case, point) for point in case.points])
    scalars = np.array([expression.eval(**dict(zip(names, point))) for point in case.points], dtype=float)
    columns = {name: np.array([point[j] for point in case.points]) for j, name in enumerate(names)}
    arrays = expression.eval(**columns)
    assert isinstance(arrays, np.ndarray) and arrays.shape == expected.shape
    np.testing.assert_allclose(scalars, expected, rtol=VALUE_RTOL, atol=0)
    np.testing.assert_allclose(arrays, expected, rtol=VALUE_RTOL, atol=0)


def complex_parts(expr: sympy.Expr) -> bool:
    return expr.has(sympy.re, sympy.im, sympy.Subs, sympy.Derivative, sympy.DiracDelta)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_each_gradient_is_real_and_agrees_with_mpmaths_numerical_derivative(case):
    expression = Expression("f", case.formula)
    names = variables_of(case)
    for j, name in enumerate(names):
        if name in case.fixed:
            continue
        gradient = expression.gradient(name)
        assert not complex_parts(gradient.symbolic_expr), gradient.symbolic_expr
        for point in case.points:
            with mpmath.workdps(DIGITS):
                orders = tuple(1 if k == j else 0 for k in range(len(names)))
                step = mpmath.mpf(10) ** -25 * max(abs(v) for v in point if v) if any(point) else None
                slope = float(mpmath.diff(case.exact, tuple(mpmath.mpf(v) for v in point), orders, h=step))
            value = gradient.eval(**dict(zip(names, point)))
            assert value == pytest.approx(slope, rel=SLOPE_RTOL, abs=1e-300), (name, point)


def test_the_gradient_of_gamma_evaluates():
    assert Expression("g", "gamma(x)").gradient("x").eval(x=2.5) == pytest.approx(
        float(mpmath.diff(mpmath.gamma, 2.5)), rel=SLOPE_RTOL)
    assert Expression("g", "loggamma(x)").gradient("x").eval(x=2.5) == pytest.approx(
        float(mpmath.digamma(2.5)), rel=SLOPE_RTOL)


@pytest.mark.parametrize("text", ["Abs(floor(x))*x", "Abs(floor(2*x))", "Abs(x - floor(x))", "Abs(gamma(x))",
                                  "sign(loggamma(x))", "x*Abs(log(x))", "Abs(besselj(0.5, x))", "Abs(mod(x, 3))",
                                  "ceiling(x**2)", "Abs(zeta(x))**2", "Abs(LambertW(x) - 1)"])
def test_derivatives_of_real_formulas_have_no_re_im_or_subs(text):
    expr = parse_formula(text)
    for order in (1, 2, 3):
        assert not complex_parts(differentiate(expr, x, order)), (text, order)


def test_abs_of_a_special_function_differentiates_through_its_sign():
    assert differentiate(parse_formula("Abs(gamma(x))"), x) == sympy.sign(parse_formula("gamma(x)")) * \
        differentiate(parse_formula("gamma(x)"), x)


def test_floor_ceiling_and_mod_have_the_derivative_they_have_between_jumps():
    assert differentiate(parse_formula("floor(2*x) + ceiling(x)"), x) == 0
    assert differentiate(parse_formula("mod(x, y)"), x) == 1
    assert differentiate(parse_formula("mod(x, y)"), y) == -sympy.floor(x / y)


def test_jumps_of_floor_and_mod_are_kinks_not_mismatches():
    for text in ("floor(x)", "mod(x, 3)"):
        [check] = gradcheck(parse_formula(text)).results
        assert check.verdict is Verdict.NON_DIFFERENTIABLE and "jumps" in check.message, check.message


def test_sinc_is_the_normalized_one_of_numpy_and_exactly_0_at_whole_numbers():
    points = np.array([0.0, 0.25, -1.5, 0.6])
    sinc = Expression("s", "sinc(x)")
    np.testing.assert_allclose(sinc.eval(x=points), np.sinc(points), rtol=1e-15)
    assert sinc.eval(x=3.0) == 0.0 and np.sinc(3.0) != 0.0  # NumPy's sin(3*pi) is 3.7e-16


def test_derivative_names_read_back_as_the_same_formula():
    for text in ("gamma(x)", "zeta(x)", "zeta(2*x)", "loggamma(x)"):
        derivative = differentiate(parse_formula(text), x)
        assert parse_formula(str(derivative)) == derivative, str(derivative)


def test_exact_values_of_large_numbers_are_left_to_numbers():
    for text in ("digamma(100000)", "zeta(20000)", "polygamma(1, 10000)", "loggamma(100000)"):
        expr = parse_formula(text)
        assert expr.func.__name__ in ("polygamma", "zeta", "loggamma"), expr  # not a huge exact sum
    assert parse_formula("digamma(1)") == -sympy.EulerGamma
    assert parse_formula("zeta(2)") == sympy.pi**2 / 6


@pytest.mark.parametrize("text, message, hint", [
    ("besselj(x)", "besselj() takes 2 arguments, got 1", "besselj(nu, x)"),
    ("polygamma(x)", "polygamma() takes 2 arguments, got 1", "polygamma(n, x)"),
    ("hypot(x, y, 1)", "hypot() takes 2 arguments, got 3", "hypot(x, y)"),
    ("zeta(x, 2)", "zeta() takes 1 argument, got 2", "zeta(s)"),
    ("polygamma(0.5, x)", "polygamma's order must be a whole number", None),
    ("polygamma(n, x)", "polygamma's order must be a whole number", None),
    ("mod(x, 0)", "mod by zero", None),
    ("x % 2", "'%' is not allowed", "write mod(a, b)"),
])
def test_wrong_calls_are_clear_errors(text, message, hint):
    with pytest.raises(ParseError) as caught:
        parse_formula(text)
    assert message in caught.value.message and caught.value.hint == hint


@pytest.mark.parametrize("text, hint", [
    ("erfinvv(x)", "did you mean erfinv?"),
    ("digama(x)", "did you mean digamma?"),
    ("LamberW(x)", "did you mean LambertW?"),
    ("bessel_j(0, x)", "did you mean besselj?"),
    ("erfinv2(x)", "did you mean erfinv?"),
    ("cubicroot(x)", None),                       # a long unknown name is no product
    ("w*x + w(x + 1)", "did you mean w*(x + 1)?"),  # a variable of the formula before a parenthesis is one
    ("a(x + 1)", "did you mean a*(x + 1)?"),
])
def test_unknown_names_get_suggestions_that_exist(text, hint):
    with pytest.raises(ParseError) as caught:
        parse_formula(text)
    assert caught.value.hint == hint and caught.value.code == "undefined-name"


def test_formulas_without_special_functions_do_not_import_scipy():
    code = ("import sys\nfrom neurogebra import Expression\n"
            "Expression('f', 'x**2 + exp(x) + relu(x)').gradient('x').eval(x=2.0)\n"
            "assert not any(m.startswith('scipy') for m in sys.modules), 'scipy imported'\n"
            "Expression('g', 'gamma(x)').eval(x=2.5)\n"
            "assert 'scipy.special' in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------------------------- .ngb
@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def test_ngb_claims_on_special_functions_get_true_verdicts(engine):
    text = ("d/dx gamma(x) = gamma(x)*digamma(x)\n"
            "d/dx gamma(x) = gamma(x)*digamma(x) + 0.001\n"
            "d/dt loggamma(t) = digamma(t)\n"
            "e(x) = erfinv(x)\n"
            "e'(x) = sqrt(pi)/2*exp(erfinv(x)**2)\n"
            "s(x) = sinc(x)\n"
            "s'(x) = (cos(pi*x) - sinc(x))/x\n")
    analysis = engine.analyze(text, "ngb", Settings(time_budget_ms=60_000))
    verdicts = {s.text: [c.verdict for c in s.checks] for s in analysis.statements}
    right = ["d/dx gamma(x) = gamma(x)*digamma(x)", "d/dt loggamma(t) = digamma(t)",
             "e'(x) = sqrt(pi)/2*exp(erfinv(x)**2)"]
    assert [verdicts[line] for line in right] == [[Verdict.NON_DIFFERENTIABLE]] * 3  # right, with poles or edges
    assert "not finite at or next to x = -1" in analysis.statements[0].checks[0].message
    assert verdicts["d/dx gamma(x) = gamma(x)*digamma(x) + 0.001"] == [Verdict.MISMATCH]
    assert verdicts["s'(x) = (cos(pi*x) - sinc(x))/x"] == [Verdict.UNSTABLE]  # 0/0 at 0, cancels near it
    assert sorted(d.code for d in analysis.diagnostics) == sorted([Code.GRADIENT_MISMATCH, Code.UNSTABLE_FORM])
    [mismatch] = [d for d in analysis.diagnostics if d.code == Code.GRADIENT_MISMATCH]
    assert analysis.text[mismatch.span.start:mismatch.span.end] == "gamma(x)*digamma(x) + 0.001"
    assert "gamma(x)*digamma(x)" in mismatch.message
    derivative = {s.text: s.derivatives[0].formula.plain for s in analysis.statements if s.derivatives}
    assert derivative["s(x) = sinc(x)"] == "-pi*jn(1, pi*x)"


@pytest.mark.parametrize("text, domain, stable", [
    ("log(gamma(x))", {"x": (0, 1e6)}, "loggamma(x)"),
    ("log(beta(x, y))", {"x": (0, 1e4), "y": (0, 1e4)}, "betaln(x, y)"),
    ("sqrt(x**2 + y**2)", {"x": (1e150, 1e300), "y": (1e150, 1e300)}, "hypot(x, y)"),
    ("x/sqrt(x**2 + y**2)", {"x": (1e150, 1e300), "y": (1e150, 1e300)}, "x/hypot(x, y)"),
])
def test_overflowing_forms_get_their_special_function_as_the_stable_form(text, domain, stable):
    check = check_function(parse_formula(text), {name: Domain(*ends) for name, ends in domain.items()})
    assert check.verdict is Verdict.UNSTABLE and check.stable_form == parse_formula(stable), check.message


def test_tanhshrink_is_accurate_where_x_minus_tanh_x_cancels_and_its_slope_is_tanh_squared():
    from neurogebra.special_values import _tanhshrink

    points = np.concatenate([np.geomspace(1e-300, 30, 3000), -np.geomspace(1e-12, 3, 300)])
    values = _tanhshrink(points)
    for x, value in zip(points, values):
        with mpmath.workdps(40 + int(3 * abs(math.log10(abs(x))))):  # x**3/3 lies 2*log10(x) digits below x
            exact = mpmath.mpf(float(x)) - mpmath.tanh(mpmath.mpf(float(x)))
        if abs(exact) > 1e-300:
            assert abs(value - exact) <= 16 * 2.0**-53 * abs(exact), x  # 3 bits lost past the series, at most
    x = symbol("x")
    assert sympy.diff(parse_formula("tanhshrink(x)"), x) == sympy.tanh(x) ** 2
    assert parse_formula("tanhshrink(-x)") == -parse_formula("tanhshrink(x)")
