"""SiLU / swish-1 activation with a hand-written gradient."""

from scipy.special import expit


def silu(x):
    return x * expit(x)


def silu_grad(x):
    y = silu(x)
    s = expit(y)
    return s * (1.0 + y * (1.0 - s))
