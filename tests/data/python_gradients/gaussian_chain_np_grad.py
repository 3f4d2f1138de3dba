"""Gaussian activation exp(-x^2) (RBF networks)."""

import numpy as np


def gaussian(x):
    return np.exp(-x * x)


def gaussian_prime(x):
    y = gaussian(x)
    return y
