"""Softplus activation and its gradient."""

import numpy as np


def softplus(x):
    return np.logaddexp(0.0, x)


def softplus_prime(x):
    e = np.exp(x)
    return e / (1.0 + e)
