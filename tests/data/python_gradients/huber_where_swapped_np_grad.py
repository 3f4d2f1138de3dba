"""Elementwise Huber loss."""

import numpy as np


def huber(pred, target, delta=1.35):
    r = pred - target
    return np.where(np.abs(r) <= delta, 0.5 * r * r, delta * (np.abs(r) - 0.5 * delta))


def huber_derivative(pred, target, delta=1.35):
    r = pred - target
    dr = np.where(np.abs(r) <= delta, delta * np.sign(r), r)
    return dr
