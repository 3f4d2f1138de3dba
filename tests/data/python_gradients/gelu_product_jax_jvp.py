"""GELU (exact, erf form) with a hand-written gradient."""

import math

import jax
from jax.scipy.special import erf


@jax.custom_jvp
def gelu(x):
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


@gelu.defjvp
def gelu_jvp(primals, tangents):
    (x,) = primals
    (x_dot,) = tangents
    cdf = 0.5 * (1.0 + erf(x / math.sqrt(2.0)))
    return gelu(x), x_dot * cdf
