"""PReLU with an elementwise learnable slope."""

import jax
import jax.numpy as jnp


@jax.custom_vjp
def prelu(x, a):
    return jnp.where(x > 0, x, a * x)


def prelu_fwd(x, a):
    return prelu(x, a), (x, a)


def prelu_bwd(res, g):
    x, a = res
    return (g * jnp.where(x > 0, 0.0, x), g * jnp.where(x > 0, 1.0, a))


prelu.defvjp(prelu_fwd, prelu_bwd)
