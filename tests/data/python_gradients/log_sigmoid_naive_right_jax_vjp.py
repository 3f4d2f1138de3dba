"""Log-sigmoid, used in logistic losses."""

import jax
import jax.numpy as jnp


@jax.custom_vjp
def log_sigmoid(x):
    return jnp.log(jax.nn.sigmoid(x))


def log_sigmoid_fwd(x):
    return log_sigmoid(x), (x,)


def log_sigmoid_bwd(res, g):
    x, = res
    return (g * jax.nn.sigmoid(-x),)


log_sigmoid.defvjp(log_sigmoid_fwd, log_sigmoid_bwd)
