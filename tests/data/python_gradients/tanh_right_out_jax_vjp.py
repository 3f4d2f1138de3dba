"""Tanh activation with a hand-written gradient."""

import jax
import jax.numpy as jnp


@jax.custom_vjp
def tanh(x):
    return jnp.tanh(x)


def tanh_fwd(x):
    y = tanh(x)
    return y, (x, y)


def tanh_bwd(res, g):
    x, y = res
    return (g * (1.0 - y * y),)


tanh.defvjp(tanh_fwd, tanh_bwd)
