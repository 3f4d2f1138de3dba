"""Elementwise smooth-L1 loss (Fast R-CNN)."""

import jax
import jax.numpy as jnp

BETA = 0.5


@jax.custom_vjp
def smooth_l1(pred, target):
    r = pred - target
    return jnp.where(jnp.abs(r) < BETA, 0.5 * r * r / BETA, jnp.abs(r) - 0.5 * BETA)


def smooth_l1_fwd(pred, target):
    return smooth_l1(pred, target), (pred, target)


def smooth_l1_bwd(res, g):
    pred, target = res
    r = pred - target
    dr = jnp.where(jnp.abs(r) < BETA, r / BETA, jnp.sign(r))
    return (g * dr, -g * dr)


smooth_l1.defvjp(smooth_l1_fwd, smooth_l1_bwd)
