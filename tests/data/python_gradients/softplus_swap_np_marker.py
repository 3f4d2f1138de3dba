"""Softplus activation and its gradient."""

import numpy as np
from scipy.special import expit


def softplus(x):
    return np.logaddexp(0.0, x)


# neurogebra: derivative of softplus
def softplus_slope(x):
    y = softplus(x)
    return expit(y)
