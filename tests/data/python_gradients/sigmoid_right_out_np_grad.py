"""Logistic sigmoid with a hand-written gradient."""

from scipy.special import expit


def sigmoid(x):
    return expit(x)


def grad_sigmoid(x):
    s = sigmoid(x)
    return s * (1.0 - s)
