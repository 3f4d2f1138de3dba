"""Tanh activation with a hand-written gradient."""

import numpy as np


def tanh(x):
    return np.tanh(x)


def grad_tanh(x):
    y = tanh(x)
    return 2.0 * (1.0 - y * y)
