"""Tanhshrink activation x - tanh(x)."""

import numpy as np


def tanhshrink(x):
    return x - np.tanh(x)


def d_tanhshrink(x):
    t = np.tanh(x)
    return t * t
