"""Mish activation: x * tanh(softplus(x))."""

import jax
import jax.numpy as jnp


@jax.custom_vjp
def mish(x):
    return x * jnp.tanh(jax.nn.softplus(x))


def mish_fwd(x):
    return mish(x), (x,)


def mish_bwd(res, g):
    x, = res
    t = jnp.tanh(jax.nn.softplus(x))
    return (g * t,)


mish.defvjp(mish_fwd, mish_bwd)
