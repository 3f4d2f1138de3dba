"""Softsign activation."""

import jax
import jax.numpy as jnp


@jax.custom_jvp
def softsign(x):
    return x / (1.0 + jnp.abs(x))


@softsign.defjvp
def softsign_jvp(primals, tangents):
    (x,) = primals
    (x_dot,) = tangents
    return softsign(x), x_dot / (1.0 + jnp.abs(x)) ** 2
