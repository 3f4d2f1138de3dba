"""Softplus activation and its gradient."""

import numpy as np
from scipy.special import expit


def softplus(x):
    return np.log(1 + np.exp(x))


def grad_softplus(x):
    return expit(x)
