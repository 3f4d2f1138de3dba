"""Elementwise binary cross-entropy on logits."""

import torch


# neurogebra: domain targets in [0, 1]
class BceWithLogitsFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, logits, targets):
        loss = -(targets * torch.log(torch.sigmoid(logits)) + (1 - targets) * torch.log(1 - torch.sigmoid(logits)))
        ctx.save_for_backward(logits, targets)
        return loss

    @staticmethod
    def backward(ctx, grad_output):
        logits, targets = ctx.saved_tensors
        return grad_output * (torch.sigmoid(logits) - targets), None


def bce_with_logits(logits, targets):
    return BceWithLogitsFunction.apply(logits, targets)
