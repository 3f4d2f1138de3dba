"""Softplus with a sharpness beta, as in torch.nn.Softplus."""

import numpy as np
from scipy.special import expit


def softplus(x, beta=2.0):
    return np.logaddexp(0.0, beta * x) / beta


def grad_softplus(x, beta=2.0):
    return expit(beta * x)
