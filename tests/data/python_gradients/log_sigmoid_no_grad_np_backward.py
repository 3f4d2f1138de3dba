"""Log-sigmoid, used in logistic losses."""

import numpy as np
from scipy.special import expit


def log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def log_sigmoid_backward(x, grad):
    return expit(-x)
