"""SELU activation (self-normalizing networks)."""

import jax
import jax.numpy as jnp

ALPHA = 1.6732632423543772
SCALE = 1.0507009873554805


@jax.custom_vjp
def selu(x):
    return SCALE * jnp.where(x > 0, x, ALPHA * jnp.expm1(x))


def selu_fwd(x):
    return selu(x), (x,)


def selu_bwd(res, g):
    x, = res
    return (g * jnp.where(x > 0, 1.0, ALPHA * jnp.exp(x)),)


selu.defvjp(selu_fwd, selu_bwd)
