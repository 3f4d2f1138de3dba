"""The catalog's densities are densities: they integrate to 1 over their support (by mpmath's quadrature, not by
our float64 evaluation), their distribution functions are their integrals, and the moment and characteristic
functions are the expectations they name."""
from __future__ import annotations

from typing import Callable

import mpmath
import pytest

from neurogebra import MathForge
from neurogebra.catalog import ENTRIES
from neurogebra.catalog.formulas import entry_expr
from neurogebra.compiled import compile_mpmath
from neurogebra.parsing import symbol

INF = mpmath.inf
FAR = 1e4  # beyond this the exponential tails are below exp(-1e4): the range stands for infinity


def exact(name: str, **params: float) -> Callable[..., mpmath.mpf]:
    """The entry as an mpmath function of its inputs, its parameters at their defaults unless given."""
    entry = ENTRIES[name]
    values = {**entry.params, **params}
    expr = entry_expr(name).xreplace({symbol(k): v for k, v in values.items()})
    return compile_mpmath(expr, [symbol(v) for v in entry.inputs])


@pytest.mark.parametrize(("name", "support", "params"), [
    ("gaussian_pdf", (-FAR, -10, 0.5, 10, FAR), {"mu": 0.5, "sigma": 2.0}),
    ("standard_normal_pdf", (-FAR, -10, 0, 10, FAR), {}),
    ("uniform_pdf", (-1, 0, 3, 4), {"a": 0.0, "b": 3.0}),  # the jumps are quadrature breakpoints
    ("log_normal_pdf", (0, 1, 10, INF), {"mu": 0.3, "sigma": 0.7}),
    ("rayleigh_pdf", (0, 1.5, 10, FAR), {"sigma": 1.5}),
    ("gumbel_pdf", (-100, 1, 10, FAR), {"mu": 1.0, "beta": 2.0}),  # exp(-exp(50)) below -100
    ("laplace_pdf", (-FAR, -10, 0, 10, FAR), {}),
    ("exponential_pdf", (0, 1, 10, FAR), {"rate": 3.0}),
    ("cauchy_pdf", (-INF, 0, INF), {}),
    ("beta_pdf", (0, 0.5, 1), {"alpha": 2.5, "beta": 0.7}),
    ("logistic_pdf", (-FAR, -10, 0, 10, FAR), {"s": 0.5}),
])
def test_density_integrates_to_one(name: str, support: tuple, params: dict[str, float]) -> None:
    with mpmath.workdps(30):
        assert mpmath.quad(exact(name, **params), support) == pytest.approx(1, rel=1e-12)


def test_distribution_functions_are_integrals_of_their_densities() -> None:
    with mpmath.workdps(30):
        for x in (0.1, 1.0, 4.0):
            assert exact("exponential_cdf", rate=2.0)(x) == pytest.approx(
                mpmath.quad(exact("exponential_pdf", rate=2.0), [0, x]), rel=1e-20)
            survival = exact("survival_exponential", rate=2.0)(x)
            assert survival == pytest.approx(1 - exact("exponential_cdf", rate=2.0)(x), rel=1e-20)
        for x in (-3.0, 0.2, 2.5):
            assert exact("logistic_cdf", mu=0.5, s=0.8)(x) == pytest.approx(
                mpmath.quad(exact("logistic_pdf", mu=0.5, s=0.8), [-FAR, -10, x]), rel=1e-15)
            assert exact("normal_cdf", mu=-1.0, sigma=2.0)(x) == pytest.approx(
                mpmath.quad(exact("gaussian_pdf", mu=-1.0, sigma=2.0), [-FAR, -10, x]), rel=1e-15)
        weibull_density = lambda x: 1.5 * x ** 0.5 * mpmath.exp(-(x ** 1.5))  # noqa: E731  (scale 1, k 1.5)
        assert exact("weibull_survival")(2.0) == pytest.approx(mpmath.quad(weibull_density, [2, 10, FAR]),
                                                                 rel=1e-15)


def test_moment_and_characteristic_functions_are_expectations() -> None:
    mu, sigma = 0.4, 1.3
    density = exact("gaussian_pdf", mu=mu, sigma=sigma)
    with mpmath.workdps(30):
        for t in (-1.5, 0.7, 2.0):
            def expectation(g: Callable[[mpmath.mpf], mpmath.mpf]) -> mpmath.mpf:
                return mpmath.quad(lambda x: g(x) * density(x), [-100, mu, 100])  # tails below exp(-2900)

            assert exact("mgf_normal", mu=mu, sigma=sigma)(t) == pytest.approx(
                expectation(lambda x: mpmath.exp(t * x)), rel=1e-15)
            assert exact("characteristic_normal", mu=mu, sigma=sigma)(t) == pytest.approx(
                expectation(lambda x: mpmath.cos(t * x)), rel=1e-15)
            assert exact("characteristic_normal_imag", mu=mu, sigma=sigma)(t) == pytest.approx(
                expectation(lambda x: mpmath.sin(t * x)), rel=1e-15)
        for t in (-2.0, -0.3):
            rate_density = exact("exponential_pdf", rate=1.5)
            assert exact("mgf_exponential", rate=1.5)(t) == pytest.approx(
                mpmath.quad(lambda x: mpmath.exp(t * x) * rate_density(x), [0, 10, FAR]), rel=1e-15)


def test_kernels_are_their_densities_up_to_the_constant() -> None:
    with mpmath.workdps(30):
        k, nu = 3.0, 4.0
        chi2 = mpmath.quad(exact("chi_squared_kernel", k=k), [0, 10, FAR])
        assert chi2 == pytest.approx(2 ** (k / 2) * mpmath.gamma(k / 2), rel=1e-15)
        student = mpmath.quad(exact("student_t_kernel", nu=nu), [-INF, 0, INF])
        assert student == pytest.approx(mpmath.sqrt(nu) * mpmath.beta(mpmath.mpf(1) / 2, nu / 2), rel=1e-15)


def test_confidence_penalty_raises_entropy_and_entropy_reg_lowers_it() -> None:
    """Gradient descent on the penalty moves a confident p = 0.9 towards 1/2 (more entropy) for the confidence
    penalty, away from it for the entropy penalty: their signs match their names (2.5.11's confidence_penalty
    had entropy_reg's sign)."""
    p = 0.9
    assert mpmath.diff(exact("confidence_penalty"), p) > 0 > mpmath.diff(exact("entropy_reg"), p)


def test_beta_density_with_large_parameters_is_accurate_in_float64() -> None:
    """x^999*(1 - x)^999/B(1000, 1000) is 0/0 in float64 written as a quotient; in logs it keeps its digits."""
    beta = MathForge().get("beta_pdf", {"alpha": 1000.0, "beta": 1000.0})
    with mpmath.workdps(40):
        for x in (0.5, 0.47):
            reference = mpmath.mpf(x) ** 999 * (1 - mpmath.mpf(x)) ** 999 / mpmath.beta(1000, 1000)
            assert float(beta.eval(x)) == pytest.approx(float(reference), rel=1e-11)
