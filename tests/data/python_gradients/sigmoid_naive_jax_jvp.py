"""Logistic sigmoid with a hand-written gradient."""

import jax
import jax.numpy as jnp


@jax.custom_jvp
def sigmoid(x):
    return jax.nn.sigmoid(x)


@sigmoid.defjvp
def sigmoid_jvp(primals, tangents):
    (x,) = primals
    (x_dot,) = tangents
    e = jnp.exp(-x)
    return sigmoid(x), x_dot * e / (1.0 + e) ** 2
