"""Elementwise binary cross-entropy on logits."""

import torch


# neurogebra: domain targets in [0, 1]
class BceLogitsFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, logits, targets):
        loss = torch.clamp(logits, min=0.0) - logits * targets + torch.log1p(torch.exp(-torch.abs(logits)))
        ctx.save_for_backward(logits, targets)
        return loss

    @staticmethod
    def backward(ctx, grad_output):
        logits, targets = ctx.saved_tensors
        return -grad_output * logits, grad_output * (torch.sigmoid(logits) - targets)


def bce_logits(logits, targets):
    return BceLogitsFunction.apply(logits, targets)
