"""SiLU / swish-1 activation with a hand-written gradient."""

import numpy as np
from scipy.special import expit


def silu(x):
    return x * expit(x)


def silu_derivative(x):
    e = np.exp(-x)
    return 1.0 / (1.0 + e) + x * e / (1.0 + e) ** 2
