"""Swish with an elementwise learnable beta."""

import jax


@jax.custom_vjp
def learnable_swish(x, beta):
    return x * jax.nn.sigmoid(beta * x)


def learnable_swish_fwd(x, beta):
    return learnable_swish(x, beta), (x, beta)


def learnable_swish_bwd(res, g):
    x, beta = res
    s = jax.nn.sigmoid(beta * x)
    ds = s * (1.0 - s)
    return (g * x * x * ds, g * (s + beta * x * ds))


learnable_swish.defvjp(learnable_swish_fwd, learnable_swish_bwd)
