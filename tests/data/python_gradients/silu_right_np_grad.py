"""SiLU / swish-1 activation with a hand-written gradient."""

from scipy.special import expit


def silu(x):
    return x * expit(x)


def silu_grad(x):
    s = expit(x)
    return s * (1.0 + x * (1.0 - s))
