"""ELU activation with a hand-written gradient."""

import jax
import jax.numpy as jnp

ALPHA = 1.0


@jax.custom_vjp
def elu(x):
    return jnp.where(x > 0, x, ALPHA * jnp.expm1(x))


def elu_fwd(x):
    return elu(x), (x,)


def elu_bwd(res, g):
    x, = res
    return (g * jnp.where(x > 0, 1.0, ALPHA * jnp.exp(x)),)


elu.defvjp(elu_fwd, elu_bwd)
