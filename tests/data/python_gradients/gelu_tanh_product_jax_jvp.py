"""GELU, tanh approximation (as in GPT-2), with a hand-written gradient."""

import math

import jax
import jax.numpy as jnp

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


# neurogebra: domain x in [-1e100, 1e100]
@jax.custom_jvp
def gelu_tanh(x):
    return 0.5 * x * (1.0 + jnp.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)))


@gelu_tanh.defjvp
def gelu_tanh_jvp(primals, tangents):
    (x,) = primals
    (x_dot,) = tangents
    t = jnp.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3))
    return gelu_tanh(x), x_dot * 0.5 * (1.0 + t)
