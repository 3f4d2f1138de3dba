"""The modulated term of a focal loss (gamma = 2) on a probability."""

import jax
import jax.numpy as jnp


# neurogebra: domain p in (0, 1)
@jax.custom_vjp
def focal_term(p):
    return -(1.0 - p) ** 2 * jnp.log(p)


def focal_term_fwd(p):
    return focal_term(p), (p,)


def focal_term_bwd(res, g):
    p, = res
    return (-g * (1.0 - p) ** 2 / p,)


focal_term.defvjp(focal_term_fwd, focal_term_bwd)
