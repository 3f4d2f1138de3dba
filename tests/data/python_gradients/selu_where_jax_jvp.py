"""SELU activation (self-normalizing networks)."""

import jax
import jax.numpy as jnp

ALPHA = 1.6732632423543772
SCALE = 1.0507009873554805


@jax.custom_jvp
def selu(x):
    return SCALE * jnp.where(x > 0, x, ALPHA * jnp.expm1(x))


@selu.defjvp
def selu_jvp(primals, tangents):
    (x,) = primals
    (x_dot,) = tangents
    return selu(x), x_dot * SCALE * jnp.where(x < 0, 1.0, ALPHA * jnp.exp(x))
