"""Elementwise binary cross-entropy on logits."""

import jax
import jax.numpy as jnp


# neurogebra: domain targets in [0, 1]
@jax.custom_vjp
def bce_with_logits(logits, targets):
    return -(targets * jnp.log(jax.nn.sigmoid(logits)) + (1 - targets) * jnp.log(1 - jax.nn.sigmoid(logits)))


def bce_with_logits_fwd(logits, targets):
    return bce_with_logits(logits, targets), (logits, targets)


def bce_with_logits_bwd(res, g):
    logits, targets = res
    return (g * (jax.nn.sigmoid(logits) - targets), None)


bce_with_logits.defvjp(bce_with_logits_fwd, bce_with_logits_bwd)
