"""Softplus activation and its gradient."""

import numpy as np
from scipy.special import expit


def softplus(x):
    return np.logaddexp(0.0, x)


def d_softplus(x):
    return expit(-x)
