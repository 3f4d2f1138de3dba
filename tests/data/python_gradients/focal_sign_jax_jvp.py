"""The modulated term of a focal loss (gamma = 2) on a probability."""

import jax
import jax.numpy as jnp


# neurogebra: domain p in (0, 1)
@jax.custom_jvp
def focal_term(p):
    return -(1.0 - p) ** 2 * jnp.log(p)


@focal_term.defjvp
def focal_term_jvp(primals, tangents):
    (p,) = primals
    (p_dot,) = tangents
    return focal_term(p), p_dot * (-2.0 * (1.0 - p) * jnp.log(p) - (1.0 - p) ** 2 / p)
