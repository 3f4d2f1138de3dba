"""Softsign activation."""

import numpy as np


def softsign(x):
    return x / (1.0 + np.abs(x))


def softsign_prime(x):
    return 1.0 / (1.0 + np.abs(x))
