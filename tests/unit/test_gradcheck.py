"""gradcheck verdicts: mismatch, non_differentiable, unstable, ok, inconclusive, on real formulas."""
import math
import warnings

import mpmath
import numpy as np
import pytest
import sympy
from sympy.codegen.cfunctions import log1p

from neurogebra import Expression
from neurogebra.compiled import compile_numpy
from neurogebra.domains import Domain
from neurogebra.gradient_checks import (
    STRESS_VALUES,
    GradcheckReport,
    Verdict,
    check_function,
    gradcheck,
    kink_roots,
    sample_points,
)
from neurogebra.numerics import exact_value, float_values, inside
from neurogebra.parsing import symbol

x, y, t = symbol("x"), symbol("y"), symbol("t")
exp = sympy.exp
sigmoid = 1 / (1 + exp(-x))
POSITIVE = Domain(0, math.inf)


def only(report: GradcheckReport):
    assert len(report.results) == 1
    return report.results[0]


# ---------------------------------------------------------------------------------------------- mismatch
def test_wrong_claim_is_a_mismatch_with_the_point_and_both_values():
    check = only(gradcheck(x**2, claimed=3 * x))
    assert check.verdict is Verdict.MISMATCH
    assert check.is_error
    point = check.point["x"]
    assert check.candidate == pytest.approx(3 * point, rel=1e-12)
    assert check.exact == pytest.approx(2 * point, rel=1e-12)
    assert check.numeric == pytest.approx(2 * point, rel=1e-6, abs=1e-9)
    assert check.derivative == 2 * x
    assert "wrong" in check.message and f"{check.candidate:.6g}" in check.message


def test_small_but_real_difference_is_a_mismatch():
    check = only(gradcheck(x**2 + sympy.Rational(1, 1000) * x, claimed={"x": 2 * x}))
    assert check.verdict is Verdict.MISMATCH
    assert check.exact - check.candidate == pytest.approx(0.001, rel=1e-9)
    assert check.numeric - check.candidate == pytest.approx(0.001, rel=1e-6)
    assert "2*x + 1/1000" in check.message


def test_mismatch_is_shown_at_a_readable_point():
    check = only(gradcheck(x**2, claimed=3 * x))
    assert check.point == {"x": 1.0}
    assert check.message.startswith("the claimed derivative is wrong: at x = 1 it gives 3 but the function's slope")


# ---------------------------------------------------------------------------------------------- kinks
@pytest.mark.parametrize("function, left, right", [(sympy.Max(0, x), 0.0, 1.0), (sympy.Abs(x), -1.0, 1.0)])
def test_relu_and_abs_are_not_differentiable_at_zero(function, left, right):
    report = gradcheck(function)
    check = only(report)
    assert check.verdict is Verdict.NON_DIFFERENTIABLE
    assert check.point == {"x": 0.0}
    assert {"x": 0.0} in check.kinks
    assert check.candidate == 0.0  # Heaviside(0) = 0 and sign(0) = 0
    assert f"{left:g} from the left and {right:g} from the right" in check.message
    assert report.ok


def test_heaviside_claim_for_relu_is_never_a_mismatch():
    check = only(gradcheck(sympy.Max(0, x), claimed=sympy.Heaviside(x)))
    assert check.verdict in (Verdict.OK, Verdict.NON_DIFFERENTIABLE)
    assert check.candidate == 0.5  # SymPy's own Heaviside(0), shown at the kink


def test_kink_of_two_variables_is_found_on_the_diagonal():
    check = gradcheck(sympy.Max(x, y))["x"]
    assert check.verdict is Verdict.NON_DIFFERENTIABLE
    assert check.point["x"] == check.point["y"]


def test_jump_is_reported():
    check = only(gradcheck(sympy.sign(x)))
    assert check.verdict is Verdict.NON_DIFFERENTIABLE
    assert "jumps" in check.message


def test_smooth_function_written_with_kinks_is_ok():
    softplus_stable = log1p(exp(-sympy.Abs(x))) + sympy.Max(x, 0)
    assert only(gradcheck(softplus_stable)).verdict is Verdict.OK


def test_kink_roots_are_read_from_the_tree():
    assert set(kink_roots(sympy.Abs(x - 2) + sympy.Max(0, 3 * x + 1), x)) == {2, sympy.Rational(-1, 3)}
    assert {float(r) for r in kink_roots(sympy.Abs(x**2 - 4), x)} == {-2.0, 2.0}
    assert kink_roots(sympy.Max(x, y), x) == (y,)
    assert kink_roots(sympy.Max(0, sympy.tanh(x)), x) == (0,)
    assert kink_roots(sympy.sin(x), x) == ()


def test_kink_inside_a_smooth_function_is_found():
    check = only(gradcheck(sympy.Abs(sympy.sin(x))))
    assert check.verdict is Verdict.NON_DIFFERENTIABLE and check.point == {"x": 0.0}


# ---------------------------------------------------------------------------------------------- instability
@pytest.mark.parametrize("claimed", [exp(-x) / (1 + exp(-x))**2, None])
def test_sigmoid_derivative_is_unstable_for_very_negative_x(claimed):
    check = only(gradcheck(sigmoid, claimed=claimed))
    assert check.verdict is Verdict.UNSTABLE
    assert check.point["x"] <= -709
    assert math.isnan(check.candidate)
    assert 0 < check.exact < 1e-300
    stable = check.stable_form
    assert stable is not None
    value = float_values(compile_numpy(stable, [x]), np.array([[-800.0], [0.0], [800.0]]))
    assert np.all(np.isfinite(value)) and value[1] == pytest.approx(0.25)
    assert "unstable" in check.message and str(stable) in check.message


def test_stable_claim_of_the_sigmoid_derivative_is_ok():
    assert only(gradcheck(sigmoid, claimed=sigmoid * (1 - sigmoid))).verdict is Verdict.OK


def test_value_beyond_float64_range_is_not_instability():
    function = x**2 * exp(x * y)
    rows = sample_points((x, y), {}, 100, 0)
    assert any((row == [1000.0, 1000.0]).all() for row in rows)
    report = gradcheck(function)
    assert [r.verdict for r in report.results] == [Verdict.OK, Verdict.OK]
    assert report.ok


def test_cancellation_in_a_right_claim_is_unstable_not_a_mismatch():
    # (1 - cos(x)**2)/sin(x) is sin(x), but float64 loses every digit of 1 - cos(x)**2 near 0
    check = only(gradcheck(1 - sympy.cos(x), claimed=(1 - sympy.cos(x)**2) / sympy.sin(x)))
    assert check.verdict is Verdict.UNSTABLE
    assert abs(check.point["x"]) == 1e-8
    assert check.candidate == 0.0 and check.exact == pytest.approx(check.point["x"])


def test_claim_undefined_at_a_single_point_is_inconclusive():
    check = only(gradcheck(sympy.cos(x), claimed=-sympy.sin(x) / sympy.sign(x)**2))  # 0/0 at 0 only
    assert check.verdict is Verdict.INCONCLUSIVE and check.point == {"x": 0.0}
    assert "undefined" in check.message


def test_claim_undefined_on_a_region_is_a_mismatch():
    check = only(gradcheck(x**2, claimed=2 * x * sympy.sqrt(x) / sympy.sqrt(sympy.Abs(x))))  # complex for x < 0
    assert check.verdict is Verdict.MISMATCH and check.point["x"] < 0


# ---------------------------------------------------------------------------------------------- no false alarms
@pytest.mark.parametrize("function, claimed, domain", [
    (3 * x**5 - 2 * x**3 + x, 15 * x**4 - 6 * x**2 + 1, None),
    (sympy.sin(x), sympy.cos(x), None),
    (sympy.tanh(x), 1 - sympy.tanh(x)**2, None),
    (sigmoid, sigmoid * (1 - sigmoid), None),
    (sympy.log(x), 1 / x, {"x": POSITIVE}),
    (sympy.exp(x), sympy.exp(x), None),
    (sympy.sqrt(x), 1 / (2 * sympy.sqrt(x)), {"x": POSITIVE}),
    (x * sympy.Abs(x), 2 * sympy.Abs(x), None),
])
def test_correct_smooth_formulas_raise_no_alarm(function, claimed, domain):
    check = only(gradcheck(function, claimed=claimed, domain=domain))
    assert check.verdict is Verdict.OK, check.message
    assert check.point is None


@pytest.mark.parametrize("function", [3 * x**5 - x, sympy.sin(x), sympy.tanh(x), sympy.cos(x) * exp(-x**2)])
def test_own_derivative_is_ok(function):
    assert only(gradcheck(function)).verdict is Verdict.OK


# ---------------------------------------------------------------------------------------------- several variables
def test_partials_are_checked_separately():
    function = x**2 * y + sympy.sin(x * y)
    right = {"x": 2 * x * y + y * sympy.cos(x * y), "y": x**2 + x * sympy.cos(x * y)}
    report = gradcheck(function, claimed=right)
    assert report.ok and [r.variable for r in report.results] == ["x", "y"]
    wrong = gradcheck(function, claimed={**right, "y": x**2 + x * sympy.cos(x * y) + 1})
    assert wrong["x"].verdict is Verdict.OK
    assert wrong["y"].verdict is Verdict.MISMATCH
    assert wrong.worst is wrong["y"] and not wrong.ok
    assert set(wrong["y"].point) == {"x", "y"}


def test_wrt_limits_the_variables_and_claims_without_dict_need_one():
    report = gradcheck(x * y, wrt="y", claimed=x)
    assert [r.variable for r in report.results] == ["y"] and report.ok
    assert report[y].verdict is Verdict.OK
    with pytest.raises(ValueError):
        gradcheck(x * y, claimed=y)
    with pytest.raises(KeyError):
        report["x"]


def test_claims_built_from_plain_symbols_match_the_real_ones():
    plain = sympy.Symbol("x")
    assert only(gradcheck(plain**3, claimed={"x": 3 * plain**2})).verdict is Verdict.OK


def test_expression_objects_are_accepted():
    square = Expression("square", x**2)
    assert only(gradcheck(square, claimed=2 * x)).verdict is Verdict.OK


# ---------------------------------------------------------------------------------------------- domains
def test_samples_stay_in_the_domain():
    domains = {"x": Domain(0, 5, hi_closed=True), "y": Domain(-1, 2, lo_closed=True)}
    rows = sample_points((x, y), domains, 100, 3)
    assert inside(domains["x"], rows[:, 0]).all() and inside(domains["y"], rows[:, 1]).all()
    assert 5.0 in rows[:, 0] and -1.0 in rows[:, 1]  # closed ends are stress points
    assert len(rows) >= 100


def test_unbounded_samples_cover_small_and_large_magnitudes_and_stress_points():
    rows = sample_points((x,), {}, 100, 0)[:, 0]
    assert set(STRESS_VALUES) <= set(rows)
    regular = rows[:100]
    assert (regular < 0).any() and (regular > 0).any()
    assert np.abs(regular).min() < 1e-2 and np.abs(regular).max() > 10


def test_domain_hides_what_lies_outside_it():
    half_open = {"x": Domain(0, 5, hi_closed=True)}
    assert only(gradcheck(sympy.log(x), claimed=1 / x, domain=half_open)).verdict is Verdict.OK
    assert only(gradcheck(x**2, claimed=2 * sympy.Abs(x), domain=half_open)).verdict is Verdict.OK
    assert only(gradcheck(x**2, claimed=2 * sympy.Abs(x))).verdict is Verdict.MISMATCH


def test_log_on_the_real_line_has_an_edge_at_zero_but_no_error():
    report = gradcheck(sympy.log(x))
    check = only(report)
    assert check.verdict is Verdict.NON_DIFFERENTIABLE and check.point == {"x": 0.0}
    assert report.ok


def test_function_without_finite_values_is_inconclusive():
    check = only(gradcheck(sympy.log(x), domain={"x": Domain(-5, 0)}))
    assert check.verdict is Verdict.INCONCLUSIVE and not check.is_error


@pytest.mark.parametrize("function", [sympy.Function("g")(x), sympy.Shi(x)])
def test_unevaluable_derivative_is_inconclusive(function):
    check = only(gradcheck(function))
    assert check.verdict is Verdict.INCONCLUSIVE
    assert "no numeric evaluation" in check.message


# ---------------------------------------------------------------------------------------------- robustness
def test_checks_are_deterministic():
    first = gradcheck(sympy.sin(x) * y, claimed={"x": sympy.cos(x), "y": sympy.sin(x)}, seed=7)
    second = gradcheck(sympy.sin(x) * y, claimed={"x": sympy.cos(x), "y": sympy.sin(x)}, seed=7)
    assert first == second
    assert np.array_equal(sample_points((x,), {}, 50, 7), sample_points((x,), {}, 50, 7))


def test_overflow_never_warns_or_raises():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        report = gradcheck(exp(exp(x)) + sympy.log(x) + 1 / x, claimed=exp(x) * exp(exp(x)) + 1 / x - 1 / x**2)
        function = check_function(exp(exp(x)))
    assert only(report).verdict is Verdict.NON_DIFFERENTIABLE  # log(x) and 1/x at 0
    assert function.verdict is Verdict.OK  # exp(exp(1000)) is beyond float64, not unstable


# ---------------------------------------------------------------------------------------------- the function itself
def test_softplus_overflows_while_its_exact_value_is_finite():
    check = check_function(sympy.log(1 + exp(x)))
    assert check.verdict is Verdict.UNSTABLE
    assert check.error_bits > 5
    point = check.point["x"]
    assert (point >= 709 and check.value == math.inf) or (point <= -37 and check.value == 0.0 < check.exact)
    assert check.stable_form is not None


def test_cancellation_in_the_function_is_unstable():
    check = check_function((1 - sympy.cos(x)) / x**2)
    assert check.verdict is Verdict.UNSTABLE
    assert check.exact == pytest.approx(0.5) and check.value == 0.0


def test_stable_functions_pass():
    for function in (x**2, exp(x), sympy.tanh(x), log1p(exp(-sympy.Abs(x))) + sympy.Max(x, 0)):
        assert check_function(function).verdict is Verdict.OK


def test_exact_reference_keeps_values_fifty_digits_lose():
    value = exact_value(1 - sigmoid, (x,), (200.0,))
    assert value == pytest.approx(float(mpmath.exp(-200)), rel=1e-12)  # 50 digits alone would give 0
    assert exact_value(sympy.log(x), (x,), (-1.0,)) is None


# ---------------------------------------------------------------------------------------------- the catalog
def test_no_catalog_entry_gives_a_false_mismatch():
    """Every catalog entry's own derivative on its domain: never a mismatch, always checkable; kinks only in
    entries written with Abs/Max/Min/Piecewise (or where the entry is not finite, like a zero denominator);
    instability only where float64 really fails."""
    from neurogebra.catalog import ENTRIES
    from neurogebra.catalog.formulas import entry_expr

    kink_atoms = (sympy.Abs, sympy.Max, sympy.Min, sympy.Piecewise, sympy.Heaviside, sympy.sign, sympy.floor,
                  sympy.ceiling, sympy.Mod)
    for name, entry in ENTRIES.items():
        expr = entry_expr(name)
        for check in gradcheck(expr, domain=entry.domain).results:
            assert check.verdict not in (Verdict.MISMATCH, Verdict.INCONCLUSIVE), (name, check.message)
            if check.verdict is Verdict.NON_DIFFERENTIABLE:
                assert expr.has(*kink_atoms) or "not finite" in check.message, (name, check.message)
            if check.verdict is Verdict.UNSTABLE:
                shown = check.candidate  # a point where half of float64's digits are wrong
                assert not math.isfinite(shown) or abs(shown - check.exact) > 2**26 * math.ulp(check.exact), name
