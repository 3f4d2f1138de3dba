"""Gaussian activation exp(-x^2) (RBF networks)."""

import jax
import jax.numpy as jnp


@jax.custom_jvp
def gaussian(x):
    return jnp.exp(-x * x)


@gaussian.defjvp
def gaussian_jvp(primals, tangents):
    (x,) = primals
    (x_dot,) = tangents
    y = gaussian(x)
    return y, 2.0 * x_dot * x * y
