"""stable_form: each rewrite equals the original at high precision and stays finite and accurate at ±800."""
import math

import mpmath
import numpy as np
import pytest
import sympy
from sympy.codegen.cfunctions import log1p

from neurogebra.functions import softplus
from neurogebra.compiled import compile_numpy
from neurogebra.gradient_checks import exact_value, float_values
from neurogebra.parsing import symbol
from neurogebra.stable import is_improvement, stable_form

x, y, t = symbol("x"), symbol("y"), symbol("t")
exp, log = sympy.exp, sympy.log
POINTS = (-800.0, -40.0, -3.0, -0.5, 0.0, 0.5, 3.0, 40.0, 800.0)


def sigmoid(u):
    return 1 / (1 + exp(-u))


def assert_stable_equivalent(original, stable, variables, rows):
    """float64 values of `stable` are finite and match the exact value of `original` (500 digits) as closely as
    frameworks do (values below 1e-12 may round to 0, as sigmoid(40)*(1 - sigmoid(40)) does)."""
    values = float_values(compile_numpy(stable, variables), np.array(rows, dtype=float))
    for row, value in zip(rows, values):
        exact = exact_value(original, variables, row, 500)
        assert exact is not None
        assert math.isfinite(value), (row, value)
        assert value == pytest.approx(float(exact), rel=1e-9, abs=1e-12), row


def grid(count):
    return [row for row in np.array(np.meshgrid(*[POINTS] * count)).reshape(count, -1).T]


@pytest.mark.parametrize("name, original, expected_piece", [
    ("sigmoid'", exp(-x) / (1 + exp(-x))**2, sigmoid(x)),
    ("sigmoid' from exp(u)", exp(x) / (1 + exp(x))**2, sigmoid(x)),
    ("sigmoid' of an affine argument", sympy.diff(sigmoid(3 * x - 2), x), None),
    ("softplus", log(1 + exp(x)), softplus(x)),
    ("softplus of 2x", log(1 + exp(2 * x)), softplus(2 * x)),
    ("softplus with log1p", log1p(exp(x)), softplus(x)),
    ("log-sigmoid with log1p", -log1p(exp(-x)), softplus(-x)),
    ("log-cosh", log(sympy.cosh(x)), sympy.Abs(x)),
    ("log-sigmoid", log(1 / (1 + exp(-x))), softplus(-x)),
    ("softplus'", exp(x) / (exp(x) + 1), sigmoid(x)),
    ("tanh'", 1 - sympy.tanh(x)**2, 1 + sympy.tanh(x)),
    ("tanh' of 3x", sympy.diff(sympy.tanh(3 * x), x), 1 + sympy.tanh(3 * x)),
])
def test_one_variable_forms_are_stable_at_800(name, original, expected_piece):
    stable = stable_form(original)
    assert stable is not None, name
    if expected_piece is not None:
        assert stable.has(expected_piece), stable
    assert_stable_equivalent(original, stable, (x,), grid(1))


def test_the_unstable_originals_really_fail_in_float64():
    with np.errstate(all="ignore"):
        assert np.isnan(compile_numpy(exp(-x) / (1 + exp(-x))**2, [x])(-800.0))
        assert np.isinf(compile_numpy(log(1 + exp(x)), [x])(800.0))


def test_logsumexp_takes_out_the_largest_exponent():
    original = log(exp(x) + exp(y))
    stable = stable_form(original)
    assert stable is not None and stable.has(sympy.Max(x, y))
    assert_stable_equivalent(original, stable, (x, y), grid(2))


def test_logsumexp_of_three_terms():
    original = log(exp(x) + exp(2 * y) + 1)
    stable = stable_form(original)
    assert stable is not None
    assert_stable_equivalent(original, stable, (x, y), grid(2))


def test_binary_cross_entropy_from_logits():
    s = sigmoid(x)
    original = -(t * log(s) + (1 - t) * log(1 - s))
    stable = stable_form(original)
    assert stable is not None and stable.has(softplus)
    rows = [(tv, xv) for tv in (0.0, 0.3, 1.0) for xv in POINTS]
    assert_stable_equivalent(original, stable, (t, x), rows)
    # the textbook stable form: (1 - t)*x - logsigmoid(x)
    textbook = (1 - t) * x - (sympy.Min(x, 0) - log1p(exp(-sympy.Abs(x))))
    for tv, xv in rows:
        with mpmath.workdps(50):
            assert exact_value(stable - textbook, (t, x), (tv, xv)) == pytest.approx(0, abs=1e-30)


@pytest.mark.parametrize("expr", [x**2 + 1, sympy.sin(x), log(x), log(2 + x**2), exp(x) + 1])
def test_nothing_to_do_gives_none(expr):
    assert stable_form(expr) is None


def test_a_wrong_rewrite_is_rejected():
    assert not is_improvement(log(1 + exp(x)), sympy.Max(x, 0))
    assert is_improvement(log(1 + exp(x)), log1p(exp(-sympy.Abs(x))) + sympy.Max(x, 0))
