"""The ML functions neurogebra 2.5.11 lacks (logsumexp, softmax components, GLU gates, squareplus, shrinkage...):
values and gradients against exact mpmath references, where the naive formulas overflow or cancel."""
from __future__ import annotations

from typing import Callable

import mpmath
import numpy as np
import pytest

from neurogebra import MathForge

FORGE = MathForge()
EPS = np.finfo(float).eps
mpmath.mp.dps = 60
MpFunction = Callable[..., mpmath.mpf]


def mp_logsumexp(*z: mpmath.mpf) -> mpmath.mpf:
    return mpmath.log(mpmath.fsum(mpmath.exp(v) for v in z))


def mp_softmax(z1: mpmath.mpf, z2: mpmath.mpf, z3: mpmath.mpf) -> mpmath.mpf:
    return mpmath.exp(z1 - mp_logsumexp(z1, z2, z3))


def mp_sigmoid(x: mpmath.mpf) -> mpmath.mpf:
    return 1 / (1 + mpmath.exp(-x))


def mp_gelu(x: mpmath.mpf) -> mpmath.mpf:
    return x * mpmath.ncdf(x)


def exact(function: MpFunction, point: tuple[float, ...]) -> float:
    return float(function(*map(mpmath.mpf, point)))


def exact_partial(function: MpFunction, point: tuple[float, ...], index: int) -> float:
    """The partial derivative in argument `index`, by mpmath's differentiation at a precision that resolves
    derivatives as small as the smallest float next to function values near 1."""
    with mpmath.workdps(800):
        args = list(map(mpmath.mpf, point))

        def along(t: mpmath.mpf) -> mpmath.mpf:
            return function(*args[:index], t, *args[index + 1:])

        return float(mpmath.diff(along, args[index]))


def close(ours: float, reference: float, ulps: float = 8) -> bool:
    """Within a few ulps of the reference."""
    return abs(ours - reference) <= ulps * EPS * abs(reference) or ours == reference


Conditioning = Callable[[tuple[float, ...]], float]


def assert_matches(name: str, function: MpFunction, points: list[tuple[float, ...]], ulps: float = 8,
                   conditioning: Conditioning = lambda point: 1.0, slope_conditioning: Conditioning | None = None,
                   ) -> None:
    """Values and every partial derivative of the entry agree with mpmath at each point, to `ulps` times the
    conditioning at the point (where the result is the exp of a rounded exponent y, it is off by |y| ulps)."""
    expression = FORGE.get(name)
    inputs = [s.name for s in expression.inputs]
    for point in points:
        values = dict(zip(inputs, point))
        ours = float(expression.eval(**values))
        assert close(ours, exact(function, point), ulps * conditioning(point)), \
            f"{name}{point} = {ours}, exactly {exact(function, point)}"
        allowed = 4 * ulps * (slope_conditioning or conditioning)(point)
        for index, variable in enumerate(inputs):
            slope = float(expression.gradient(variable).eval(**values))
            reference = exact_partial(function, point, index)
            assert close(slope, reference, allowed), f"d{name}/d{variable} at {point} = {slope}, exactly {reference}"


def spread(point: tuple[float, ...]) -> float:
    """1 + the largest difference of the logits: how many ulps a softmax's exponent may be off."""
    return 1 + max(point) - min(point)


def magnitude(point: tuple[float, ...]) -> float:
    """1 + the largest logit: derivatives exp(z1 - z2 - logsumexp(...)) are summed in SymPy's order, which
    rounds at the logits' own size."""
    return 1 + max(map(abs, point))


LOGIT_POINTS = [(0.0, 0.0, 0.0), (1.0, -2.0, 0.5), (1000.0, 999.0, -1000.0), (-1000.0, -1001.0, -1002.0),
                (-700.0, 0.0, 0.0), (30.0, -30.0, 5.0), (1e6, 1e6 - 1, 1e6 + 2)]


# ---------------------------------------------------------------------------------------------- logsumexp family
def test_logsumexp_is_exact_where_the_sum_of_exponentials_overflows() -> None:
    # its derivative, the parser's exp(z1 - logsumexp(z1, z2, z3)), rounds logsumexp to the size of the inputs
    assert_matches("logsumexp", mp_logsumexp, LOGIT_POINTS, slope_conditioning=magnitude)
    assert FORGE.get("logsumexp").eval(z1=1000.0, z2=1000.0, z3=1000.0) == pytest.approx(1000 + np.log(3),
                                                                                            rel=EPS)


def test_logsumexp_gradient_is_the_softmax_and_sums_to_one() -> None:
    lse = FORGE.get("logsumexp")
    point = {"z1": 800.0, "z2": 801.0, "z3": -5.0}
    partials = [float(lse.gradient(v).eval(**point)) for v in ("z1", "z2", "z3")]
    assert sum(partials) == pytest.approx(1.0, abs=801 * 4 * EPS)
    assert partials[0] == pytest.approx(float(FORGE.get("softmax").eval(800.0, 801.0, -5.0)), rel=801 * 4 * EPS)


def test_softmax_component_against_mpmath() -> None:
    assert_matches("softmax", mp_softmax, LOGIT_POINTS, conditioning=spread, slope_conditioning=magnitude)


def test_softmax_components_sum_to_one_under_permutation() -> None:
    softmax = FORGE.get("softmax")
    rng = np.random.default_rng(15)
    z = rng.uniform(-700, 700, (3, 200))
    total = softmax.eval(z[0], z[1], z[2]) + softmax.eval(z[1], z[0], z[2]) + softmax.eval(z[2], z[0], z[1])
    assert np.all(np.abs(total - 1) <= 4 * EPS)
    shifted = softmax.eval(z[0] + 100, z[1] + 100, z[2] + 100)
    assert np.allclose(shifted, softmax.eval(z[0], z[1], z[2]), rtol=1e-11, atol=0)  # shift-invariant


def test_log_softmax_stays_finite_where_log_of_softmax_is_log_zero() -> None:
    assert_matches("log_softmax", lambda *z: z[0] - mp_logsumexp(*z), LOGIT_POINTS, conditioning=spread,
                   slope_conditioning=magnitude)
    log_softmax = FORGE.get("log_softmax")
    assert log_softmax.eval(-2000.0, 0.0, 0.0) == pytest.approx(-2000 - np.log(2), rel=EPS)
    # its gradient in z1 is 1 - softmax
    assert float(log_softmax.gradient("z1").eval(z1=3.0, z2=1.0, z3=-1.0)) == pytest.approx(
        1 - exact(mp_softmax, (3.0, 1.0, -1.0)), rel=4 * EPS)


def test_softmin_is_the_softmax_of_the_negatives() -> None:
    assert_matches("softmin", lambda *z: mp_softmax(*(-v for v in z)), LOGIT_POINTS, conditioning=spread,
                   slope_conditioning=magnitude)
    rng = np.random.default_rng(3)
    z = rng.uniform(-50, 50, (3, 100))
    assert np.allclose(FORGE.get("softmin").eval(*z), FORGE.get("softmax").eval(*(-z)), rtol=1e-14, atol=0)


# ---------------------------------------------------------------------------------------------- GLU gates
GATE_POINTS = [(1.5, 0.0), (-2.0, 3.0), (0.7, -10.0), (3.0, 40.0), (-1.0, -30.0)]


@pytest.mark.parametrize(("name", "gate"), [
    ("glu", mp_sigmoid),
    ("geglu", mp_gelu),
    ("swiglu", lambda b: b * mp_sigmoid(b)),
])
def test_gated_units_are_the_value_times_the_gate(name: str, gate: Callable[[mpmath.mpf], mpmath.mpf]) -> None:
    assert_matches(name, lambda a, b: a * gate(b), GATE_POINTS, ulps=ERFC_TAIL_ULPS)


# erfc(u)'s condition number is about 2u^2: rounding b/sqrt(2) at b = -12 costs up to ~150 ulps, the
# 1 + erf(...) form loses everything
ERFC_TAIL_ULPS = 256


def test_reglu_gates_with_relu() -> None:
    reglu = FORGE.get("reglu")
    assert reglu.eval(a=2.0, b=3.0) == 6.0 and reglu.eval(a=2.0, b=-3.0) == 0.0
    assert reglu.gradient("a").eval(a=2.0, b=3.0) == 3.0 and reglu.gradient("b").eval(a=2.0, b=-3.0) == 0.0


def test_geglu_keeps_the_lower_tail_of_gelu() -> None:
    # erfc form: 1 + erf(b/sqrt(2)) would round to 0 here
    assert close(float(FORGE.get("geglu").eval(a=1.0, b=-12.0)), exact(mp_gelu, (-12.0,)), ERFC_TAIL_ULPS)
    assert close(float(FORGE.get("gelu").eval(-20.0)), exact(mp_gelu, (-20.0,)), 4 * ERFC_TAIL_ULPS)
    assert close(float(FORGE.get("standard_normal_cdf").eval(-30.0)), float(mpmath.ncdf(-30)), 4 * ERFC_TAIL_ULPS)


# ---------------------------------------------------------------------------------------------- smooth and hard shapes
def test_squareplus_keeps_its_digits_for_very_negative_inputs() -> None:
    def mp_squareplus(x: mpmath.mpf) -> mpmath.mpf:
        return (x + mpmath.sqrt(x * x + 4)) / 2  # b = 4, the default

    assert_matches("squareplus", mp_squareplus, [(x,) for x in (-1e10, -1e5, -30.0, -1.0, 0.0, 1.0, 30.0, 1e10)])
    squareplus = FORGE.get("squareplus")
    with mpmath.workdps(900):  # beyond the square of the largest float: hypot, not sqrt(x^2 + b)
        assert close(float(squareplus.eval(-1e200)), float(mp_squareplus(mpmath.mpf(-1e200))))
    assert squareplus.eval(1e200) == 1e200 and squareplus.gradient("x").eval(1e200) == 1.0
    squareplus = FORGE.get("squareplus", {"b": 9.0})
    assert squareplus.eval(0.0) == 1.5  # sqrt(b)/2
    assert squareplus.gradient("x").eval(0.0) == 0.5


def test_hardshrink_keeps_values_beyond_the_threshold() -> None:
    hardshrink = FORGE.get("hardshrink")
    assert list(hardshrink.eval(np.array([-2.0, -0.5, -0.2, 0.0, 0.3, 0.5, 0.75]))) == [-2.0, 0, 0, 0, 0, 0, 0.75]
    assert list(hardshrink.gradient("x").eval(np.array([-2.0, 0.2, 0.75]))) == [1.0, 0.0, 1.0]
    softshrink = FORGE.get("softshrink")
    assert softshrink.eval(2.0) == 1.5 and hardshrink.eval(2.0) == 2.0


@pytest.mark.parametrize(("name", "function"), [
    ("quick_gelu", lambda x: x * mp_sigmoid(mpmath.mpf("1.702") * x)),
    ("relu_squared", lambda x: max(x, 0) ** 2),
    ("snake", lambda x: x + mpmath.sin(x) ** 2),
    ("square", lambda x: x * x),
    ("tanhshrink", lambda x: x - mpmath.tanh(x)),
])
def test_shapes_against_mpmath(name: str, function: MpFunction) -> None:
    assert_matches(name, function, [(x,) for x in (-7.5, -1.25, 0.3, 2.0, 25.0)], ulps=16)


def test_snake_reduces_to_x_plus_sin_squared_scaled() -> None:
    snake = FORGE.get("snake", {"a": 2.0})
    assert snake.eval(1.0) == pytest.approx(1 + np.sin(2.0) ** 2 / 2, rel=4 * EPS)
    assert snake.gradient("x").eval(1.0) == pytest.approx(1 + np.sin(4.0), rel=4 * EPS)  # 1 + sin(2ax)
