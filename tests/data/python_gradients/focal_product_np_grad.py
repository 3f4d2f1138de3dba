"""The modulated term of a focal loss (gamma = 2) on a probability."""

import numpy as np


# neurogebra: domain p in (0, 1)
def focal_term(p):
    return -(1.0 - p) ** 2 * np.log(p)


def focal_term_grad(p):
    return -(1.0 - p) ** 2 / p
