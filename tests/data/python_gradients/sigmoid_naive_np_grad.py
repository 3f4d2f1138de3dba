"""Logistic sigmoid with a hand-written gradient."""

import numpy as np
from scipy.special import expit


def sigmoid(x):
    return expit(x)


def dsigmoiddx(x):
    e = np.exp(-x)
    return e / (1.0 + e) ** 2
