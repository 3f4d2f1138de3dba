"""Elementwise binary cross-entropy on logits."""

import numpy as np
from scipy.special import expit


# neurogebra: domain targets in [0, 1]
def bce_logits(logits, targets):
    return np.maximum(logits, 0.0) - logits * targets + np.log1p(np.exp(-np.abs(logits)))


def bce_logits_derivative(logits, targets):
    return targets - expit(logits)
