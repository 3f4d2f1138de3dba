"""Snake activation x + sin^2(a x)/a for periodic signals."""

import numpy as np


def snake(x, a=0.5):
    return x + np.sin(a * x) ** 2 / a


def dsnake(x, a=0.5):
    return 1.0 + 2.0 * np.sin(a * x) * np.cos(a * x) / a
