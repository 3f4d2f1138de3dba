"""Softplus activation and its gradient."""

import jax
import jax.numpy as jnp


@jax.custom_vjp
def softplus(x):
    return jax.nn.softplus(x)


def softplus_fwd(x):
    return softplus(x), (x,)


def softplus_bwd(res, g):
    x, = res
    e = jnp.exp(x)
    return (g * e / (1.0 + e),)


softplus.defvjp(softplus_fwd, softplus_bwd)
