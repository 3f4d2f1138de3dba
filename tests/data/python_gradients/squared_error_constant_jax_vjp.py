"""Elementwise squared error."""

import jax


@jax.custom_vjp
def squared_error(pred, target):
    return (pred - target) ** 2


def squared_error_fwd(pred, target):
    return squared_error(pred, target), (pred, target)


def squared_error_bwd(res, g):
    pred, target = res
    d = pred - target
    return (g * d, -g * d)


squared_error.defvjp(squared_error_fwd, squared_error_bwd)
