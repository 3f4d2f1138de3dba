"""numerics: exact values that cancellation cannot fool, Herbie's bits of error, and how points are sampled."""
from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest

from neurogebra.compiled import Unevaluable
from neurogebra.domains import Domain
from neurogebra.numerics import (
    WORKING_MAGNITUDES,
    error_bits,
    exact_value,
    measure_accuracy,
    rounded,
    sample_floats,
    stability_rows,
)
from neurogebra.parsing import parse_formula, symbol

x, y = symbol("x"), symbol("y")


@pytest.mark.parametrize("text, point, expected", [
    ("1 - cos(x)", 1e-100, mpmath.mpf("5e-201")),              # 0 at 150 digits
    ("log(1 + exp(x))", -700.0, mpmath.exp(-700)),             # 0 at 60 digits
    ("(x + 1) - x", 1e40, mpmath.mpf(1)),                      # N + 1 is N at 30 digits
    ("(exp(x) - 1)/x", 1e-300, mpmath.mpf(1)),
])
def test_exact_values_survive_cancellation(text, point, expected):
    value = exact_value(parse_formula(text), (x,), (point,))
    assert value == pytest.approx(expected, rel=1e-12)


def test_undefined_and_unreachable_values_differ():
    assert exact_value(parse_formula("log(x)"), (x,), (-1.0,)) is None
    with pytest.raises(Unevaluable):
        exact_value(parse_formula("exp(exp(x))"), (x,), (1e3,))  # exp of 1e434: no precision reaches it


def test_bits_of_error_count_the_floats_in_between():
    exact = np.array([1.0, 1.0, 1.0, 4e-18])
    computed = np.array([1.0, np.nextafter(1.0, 2.0), np.nan, 0.0])
    bits = error_bits(computed, exact)
    assert bits[0] == 0 and bits[1] == 1 and bits[2] == 64
    assert bits[3] > 60  # 0 for a tiny value is nothing right


def test_float32_rounding_is_correct_rounding():
    value = mpmath.mpf(1) / 3
    assert rounded(value, "float32") == float(np.float32(1 / 3))
    assert math.isinf(rounded(mpmath.mpf("1e39"), "float32"))


def test_samples_cover_the_working_magnitudes_inside_the_domain():
    rng = np.random.default_rng(0)
    values = sample_floats(Domain(), 2000, rng)
    magnitudes = np.abs(values)
    low, high = WORKING_MAGNITUDES
    assert (magnitudes >= low).all() and (magnitudes <= high).all()
    assert (values < 0).any() and (values > 0).any()
    assert (magnitudes < 1e-20).mean() > 0.1 and (magnitudes > 1e5).mean() > 0.1  # every binade alike
    bounded = sample_floats(Domain(0, 10, hi_closed=True), 500, rng)
    assert (bounded > 0).all() and (bounded <= 10).all()


def test_unbounded_inputs_are_drawn_at_a_common_scale():
    rows = stability_rows((x, y), None, 500)[:500]
    ratio = np.abs(np.log10(np.abs(rows[:, 1] / rows[:, 0])))
    assert ratio.max() <= 3 + 1e-9  # within three decades of each other
    independent = stability_rows((x, y), {"y": Domain(0, 1)}, 500)[:500]
    assert np.abs(np.log10(independent[:, 1] / np.abs(independent[:, 0]))).max() > 10


def test_accuracy_leaves_out_ill_conditioned_points_but_never_a_nan():
    rows = stability_rows((x,), None, 256)
    accurate = measure_accuracy(parse_formula("cos(x**2)"), (x,), rows, sampled=256)
    assert accurate.bits < 5  # cos of a huge rounded x**2 is hopeless for any formula: not counted
    overflowing = measure_accuracy(parse_formula("exp(x)/(1 + exp(x))"), (x,), rows, sampled=256)
    assert overflowing.nonfinite > 0 and overflowing.worst is not None


def test_exact_values_divide_by_log2_as_written():
    expr = parse_formula("1/log2(x) + log2(x)**2")
    [x] = expr.free_symbols
    assert float(exact_value(expr, [x], [8.0])) == pytest.approx(1 / 3 + 9, rel=1e-15)
