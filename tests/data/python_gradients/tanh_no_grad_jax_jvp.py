"""Tanh activation with a hand-written gradient."""

import jax
import jax.numpy as jnp


@jax.custom_jvp
def tanh(x):
    return jnp.tanh(x)


@tanh.defjvp
def tanh_jvp(primals, tangents):
    (x,) = primals
    (x_dot,) = tangents
    y = tanh(x)
    return y, 1.0 - y ** 2
