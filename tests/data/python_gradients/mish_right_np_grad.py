"""Mish activation: x * tanh(softplus(x))."""

import numpy as np
from scipy.special import expit


def mish(x):
    return x * np.tanh(np.logaddexp(0.0, x))


def dmishdx(x):
    t = np.tanh(np.logaddexp(0.0, x))
    return t + x * (1.0 - t * t) * expit(x)
