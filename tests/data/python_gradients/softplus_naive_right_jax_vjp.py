"""Softplus activation and its gradient."""

import jax
import jax.numpy as jnp


@jax.custom_vjp
def softplus(x):
    return jnp.log(1 + jnp.exp(x))


def softplus_fwd(x):
    return softplus(x), (x,)


def softplus_bwd(res, g):
    x, = res
    return (g * jax.nn.sigmoid(x),)


softplus.defvjp(softplus_fwd, softplus_bwd)
