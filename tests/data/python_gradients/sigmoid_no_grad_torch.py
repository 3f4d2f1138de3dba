"""Logistic sigmoid with a hand-written gradient."""

import torch


class SigmoidFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        s = torch.sigmoid(x)
        ctx.save_for_backward(x, s)
        return s

    @staticmethod
    def backward(ctx, grad_output):
        x, s = ctx.saved_tensors
        return s * (1.0 - s)


def sigmoid(x):
    return SigmoidFunction.apply(x)
