"""Gaussian activation exp(-x^2) (RBF networks)."""

import numpy as np


def gaussian(x):
    return np.exp(-x * x)


def gaussian_grad(x):
    y = gaussian(x)
    return -2.0 * x * y
