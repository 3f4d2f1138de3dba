"""Softplus activation and its gradient."""

import jax


@jax.custom_jvp
def softplus(x):
    return jax.nn.softplus(x)


@softplus.defjvp
def softplus_jvp(primals, tangents):
    (x,) = primals
    (x_dot,) = tangents
    return softplus(x), x_dot * jax.nn.sigmoid(x)
