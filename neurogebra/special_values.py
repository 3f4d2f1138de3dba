"""Special functions in mpmath as the library defines them (the exact references of neurogebra.compiled), where
mpmath's own differ or are missing: loggamma and betaln are logs of magnitudes (SciPy's gammaln and betaln),
sinc is the normalized one, mod has the sign of the divisor, polygamma and zeta' are computed by reflection below 0
(mpmath shifts the argument one step at a time there: polygamma(2, -1e15) and zeta'(-500) never end; zeta'' and
higher are not computed below FAR_BELOW_ZETA, where they are beyond every float's range), and Bessel
functions of the second kind are computed at BESSEL_DIGITS at most (at 330 digits, bessely(0, 1e300) takes seconds;
their values are exact far beyond any float's needs, but a cancellation of more than 75 digits after one would go
unseen), and Bessel functions of orders beyond BESSEL_MAX_ORDER are not computed. Also, in float64, zeta' (which
SciPy lacks) and polygamma below 0.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Callable

import mpmath
import numpy as np
import sympy

BESSEL_DIGITS = 100
BESSEL_MAX_ORDER = 1000
SMALL = 2e-3  # below it, three terms of j1's series are exact in float64
FLOAT_BITS = 80  # working precision of zeta' for a float64 result
FAR_BELOW_ZETA = -300  # zeta's derivatives are beyond every float's range there; mpmath's of order 2 never end


class Unevaluable(Exception):
    """An exact value no precision can reach in reasonable time (exp(1e50)): not undefined, just not known."""


@lru_cache(maxsize=16)
def _cot_polynomial(order: int) -> tuple[int, ...]:
    """The coefficients, highest power first, of the polynomial P with d^n/dt^n cot(pi*t) = pi**n P(cot(pi*t))."""
    c = sympy.Symbol("c")
    polynomial = c
    for _ in range(order):
        polynomial = sympy.expand(-(1 + c**2) * sympy.diff(polynomial, c))
    return tuple(int(k) for k in sympy.Poly(polynomial, c).all_coeffs())


def polygamma(order, x):
    """The order-th derivative of digamma; below 0 by reflection, psi_n(x) = (-1)**n psi_n(1 - x) - pi
    d^n/dx^n cot(pi*x), with cot(pi*x) exact at whole and half numbers (sinpi, cospi)."""
    n = int(order)
    if x >= 0:
        return mpmath.polygamma(n, x)
    cot = mpmath.cospi(x) / mpmath.sinpi(x)  # ZeroDivisionError at a pole
    return (-1) ** n * mpmath.polygamma(n, 1 - x) - mpmath.pi ** (n + 1) * mpmath.polyval(_cot_polynomial(n), cot)


def _float_polygamma(order, x):
    """scipy.special.polygamma, by the same reflection below 0 (SciPy's shifts the argument there: 2 s at -1.7e8);
    cot(pi*x) from x minus its nearest whole number, which is exact, and 0 at half numbers."""
    from scipy.special import polygamma as scipy_polygamma  # SciPy only where a formula needs it (165 ms)

    n = int(order)
    x = np.asarray(x)
    below = x < 0
    value = scipy_polygamma(n, np.where(below, 1 - x, x))
    if not below.any():
        return value
    with np.errstate(all="ignore"):
        offset = x - np.round(x)
        cot = np.where(np.abs(offset) == 0.5, 0.0, 1 / np.tan(np.pi * offset))  # tan(pi/2) is not inf
        reflected = (-1) ** n * value - np.pi ** (n + 1) * np.polyval(np.array(_cot_polynomial(n), float), cot)
    return np.where(below, reflected, value)


def zeta_derivative(order, s):
    """The order-th derivative of Riemann's zeta; the first below 0 from the functional equation
    zeta(s) = 2**s pi**(s - 1) sin(pi*s/2) gamma(1 - s) zeta(1 - s), differentiated, and far above 1 from the
    series, whose terms beyond the first few are below the working precision."""
    n = int(order)
    if s > mpmath.mp.dps:  # (-1)**n sum of log(k)**n / k**s: a few terms (mpmath's takes seconds at 1e300)
        terms = int(2 * 10 ** (mpmath.mp.dps / s)) + 2
        return (-1) ** n * mpmath.fsum(mpmath.log(k) ** n * mpmath.power(k, -s) for k in range(2, terms))
    if n != 1 and s < FAR_BELOW_ZETA:
        raise Unevaluable(f"zeta's derivative of order {n} below {FAR_BELOW_ZETA}")
    if n != 1 or s >= 0:
        return mpmath.zeta(s, 1, n)
    with mpmath.workprec(mpmath.mp.prec - 2 * min(0, mpmath.mag(s))):  # near 0, two terms of size 1/s cancel
        sine, cosine = mpmath.sinpi(s / 2), mpmath.cospi(s / 2)
        scale = mpmath.power(2, s) * mpmath.power(mpmath.pi, s - 1) * mpmath.gamma(1 - s)
        slope = (mpmath.log(2 * mpmath.pi) - mpmath.digamma(1 - s)) * sine + mpmath.pi / 2 * cosine
        value = scale * (slope * mpmath.zeta(1 - s) - sine * mpmath.zeta(1 - s, 1, 1))
    return +value


def spherical_jn(order, z):
    """The spherical Bessel function j_n(z) = sqrt(pi/(2z)) J_(n + 1/2)(z), also at and below 0."""
    n = int(order)
    if z == 0:
        return mpmath.mpf(1 if n == 0 else 0)
    sign = -1 if z < 0 and n % 2 else 1
    z = abs(z)
    return sign * mpmath.sqrt(mpmath.pi / (2 * z)) * mpmath.besselj(n + mpmath.mpf(0.5), z)


def _bessel(function: Callable, digits: int | None = None) -> Callable:
    """mpmath's Bessel function of order at most BESSEL_MAX_ORDER (besselj(1e5, 1e5) never ends), computed at
    `digits` at most."""
    def bounded(order, x):
        if abs(order) > BESSEL_MAX_ORDER:
            raise Unevaluable(f"Bessel function of order {mpmath.nstr(order, 3)}")
        with mpmath.workdps(min(mpmath.mp.dps, digits or mpmath.mp.dps)):
            return +function(order, x)

    return bounded


def _float_zeta_derivative(order, s):
    def one(value: float) -> float:
        with mpmath.workprec(FLOAT_BITS):
            try:
                return float(zeta_derivative(order, mpmath.mpf(value)))  # inf beyond float64's range
            except (ArithmeticError, ValueError, mpmath.libmp.NoConvergence, Unevaluable):
                return math.nan

    return np.vectorize(one, otypes=[float])(s)


def _spherical_jn_pi(order, u):
    """The spherical Bessel function j_n(pi*u) for n = 0 (the normalized sinc) and 1 (its slope over -pi), from
    sin(pi*u) and cos(pi*u) of u reduced exactly by whole periods, as sinpi and cospi do (pi*u rounded to float64
    is off by up to ulp(pi*u), which at 1234.567 costs sin(pi*u) 9 bits, and sin(pi) is not 0). j1's two terms
    cancel below 1: there SciPy's j1, and below SMALL the series (SciPy's is 0 at 1e-300, 5 ulps off at 1e-8)."""
    n = int(order)
    u = np.asarray(u)
    with np.errstate(all="ignore"):
        whole = np.round(u)
        parity = 1 - 2 * np.mod(whole, 2)
        offset = u - whole
        sine = parity * np.sin(np.pi * offset)
        cosine = np.where(np.abs(offset) == 0.5, 0.0, parity * np.cos(np.pi * offset))  # cos(pi/2) is not 0
        z = np.pi * u
        if n == 0:
            return np.where(u == 0, 1.0, sine / z)
        from scipy.special import spherical_jn  # SciPy only where a formula needs it (165 ms)

        series = z / 3 * (1 - z**2 / 10 * (1 - z**2 / 28))
        middle = np.where(np.abs(u) < SMALL, series, spherical_jn(1, z))
        return np.where(np.abs(u) < 1, middle, sine / z**2 - cosine / z)


TANHSHRINK_SERIES_BELOW = 0.625  # beyond it, x - tanh(x) loses at most 3 bits to cancellation


@lru_cache(maxsize=1)
def _tanhshrink_coefficients() -> tuple[float, ...]:
    """x - tanh(x) = sum of c_n x**(2n + 3): c_n from the Bernoulli numbers, exact, then rounded; enough terms
    for float64 below TANHSHRINK_SERIES_BELOW (the series converges up to pi/2)."""
    return tuple(float(-sympy.Integer(4)**k * (sympy.Integer(4)**k - 1) * sympy.bernoulli(2 * k)
                       / sympy.factorial(2 * k)) for k in range(2, 26))


def _tanhshrink(x):
    """x - tanh(x) without the cancellation near 0 (at 1e-8 it is 3.3e-25, not 0): the Taylor series there."""
    x = np.asarray(x, dtype=float)
    z = x * x
    series = np.zeros_like(x)
    for c in reversed(_tanhshrink_coefficients()):
        series = series * z + c
    with np.errstate(all="ignore"):
        return np.where(np.abs(x) < TANHSHRINK_SERIES_BELOW, series * z * x, x - np.tanh(x))


def _real(values):
    """The real values of a complex result, NaN where it is not real (scipy.special.lambertw's below -1/e)."""
    return np.where(np.imag(values) == 0, np.real(values), np.nan)


MPMATH_SPECIAL = {
    "mod": lambda a, b: a % b,
    "loggamma": lambda x: mpmath.re(mpmath.loggamma(x)),
    "polygamma": polygamma,
    "betaln": lambda a, b: mpmath.log(abs(mpmath.beta(a, b))),
    "erfcinv": lambda x: mpmath.erfinv(1 - x),
    "besselj": _bessel(mpmath.besselj),
    "besseli": _bessel(mpmath.besseli),
    "bessely": _bessel(mpmath.bessely, BESSEL_DIGITS),
    "besselk": _bessel(mpmath.besselk, BESSEL_DIGITS),
    "LambertW": mpmath.lambertw,
    "sinc": mpmath.sincpi,
    "tanhshrink": lambda x: x - mpmath.tanh(x),
    "jn": spherical_jn,
    "zeta_derivative": zeta_derivative,
}
NUMPY_SPECIAL = {"zeta_derivative": _float_zeta_derivative, "real_or_nan": _real, "polygamma_of": _float_polygamma,
                 "spherical_jn_pi": _spherical_jn_pi, "tanhshrink": _tanhshrink}
