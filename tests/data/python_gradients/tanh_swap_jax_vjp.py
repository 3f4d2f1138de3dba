"""Tanh activation with a hand-written gradient."""

import jax
import jax.numpy as jnp


@jax.custom_vjp
def tanh(x):
    return jnp.tanh(x)


def tanh_fwd(x):
    return tanh(x), (x,)


def tanh_bwd(res, g):
    x, = res
    return (g * (1.0 - x * x),)


tanh.defvjp(tanh_fwd, tanh_bwd)
