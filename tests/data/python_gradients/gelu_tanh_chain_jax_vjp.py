"""GELU, tanh approximation (as in GPT-2), with a hand-written gradient."""

import math

import jax
import jax.numpy as jnp

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


# neurogebra: domain x in [-1e100, 1e100]
@jax.custom_vjp
def gelu_tanh(x):
    return 0.5 * x * (1.0 + jnp.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)))


def gelu_tanh_fwd(x):
    return gelu_tanh(x), (x,)


def gelu_tanh_bwd(res, g):
    x, = res
    t = jnp.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3))
    dinner = 1.0 + 3 * 0.044715 * x * x
    return (g * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * dinner),)


gelu_tanh.defvjp(gelu_tanh_fwd, gelu_tanh_bwd)
