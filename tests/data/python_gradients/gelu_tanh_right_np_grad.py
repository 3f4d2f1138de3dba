"""GELU, tanh approximation (as in GPT-2), with a hand-written gradient."""

import math

import numpy as np

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


# neurogebra: domain x in [-1e100, 1e100]
def gelu_tanh(x):
    return 0.5 * x * (1.0 + np.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)))


def gelu_tanh_derivative(x):
    t = np.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3))
    dinner = SQRT_2_OVER_PI * (1.0 + 3 * 0.044715 * x * x)
    return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * dinner
