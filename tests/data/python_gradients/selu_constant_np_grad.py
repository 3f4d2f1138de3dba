"""SELU activation (self-normalizing networks)."""

import numpy as np

ALPHA = 1.6732632423543772
SCALE = 1.0507009873554805


def selu(x):
    return SCALE * np.where(x > 0, x, ALPHA * np.expm1(x))


def selu_grad(x):
    return np.where(x > 0, 1.0, ALPHA * np.exp(x))
