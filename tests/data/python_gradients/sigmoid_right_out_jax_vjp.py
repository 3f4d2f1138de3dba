"""Logistic sigmoid with a hand-written gradient."""

import jax


@jax.custom_vjp
def sigmoid(x):
    return jax.nn.sigmoid(x)


def sigmoid_fwd(x):
    s = sigmoid(x)
    return s, (x, s)


def sigmoid_bwd(res, g):
    x, s = res
    return (g * s * (1.0 - s),)


sigmoid.defvjp(sigmoid_fwd, sigmoid_bwd)
