"""Elementwise binary cross-entropy on logits."""

import numpy as np
from scipy.special import expit


# neurogebra: domain targets in [0, 1]
def bce_with_logits(logits, targets):
    return -(targets * np.log(expit(logits)) + (1 - targets) * np.log(1 - expit(logits)))


def bce_with_logits_grad(logits, targets):
    return expit(logits) - targets
