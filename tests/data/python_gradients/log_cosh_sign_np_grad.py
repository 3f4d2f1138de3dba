"""Elementwise log-cosh loss."""

import numpy as np


def log_cosh(pred, target):
    return np.log(np.cosh(pred - target))


def grad_log_cosh(pred, target):
    t = np.tanh(pred - target)
    return -t
