"""Logistic sigmoid with a hand-written gradient."""

from scipy.special import expit


def sigmoid(x):
    return expit(x)


def dsigmoid(x):
    s = sigmoid(x)
    return s * (s - 1.0)
