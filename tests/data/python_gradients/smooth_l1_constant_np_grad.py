"""Elementwise smooth-L1 loss (Fast R-CNN)."""

import numpy as np


def smooth_l1(pred, target, beta=0.5):
    r = pred - target
    return np.where(np.abs(r) < beta, 0.5 * r * r / beta, np.abs(r) - 0.5 * beta)


def smooth_l1_prime(pred, target, beta=0.5):
    r = pred - target
    dr = np.where(np.abs(r) < beta, r, np.sign(r))
    return dr
