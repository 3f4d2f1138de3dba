"""SiLU / swish-1 activation with a hand-written gradient."""

from scipy.special import expit


def silu(x):
    return x * expit(x)


def dsiludx(x):
    s = expit(x)
    return s
