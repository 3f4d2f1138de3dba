"""Logistic sigmoid with a hand-written gradient."""

import jax


@jax.custom_vjp
def sigmoid(x):
    return jax.nn.sigmoid(x)


def sigmoid_fwd(x):
    return sigmoid(x), (x,)


def sigmoid_bwd(res, g):
    x, = res
    return (g * x * (1.0 - x),)


sigmoid.defvjp(sigmoid_fwd, sigmoid_bwd)
