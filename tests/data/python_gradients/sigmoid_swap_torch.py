"""Logistic sigmoid with a hand-written gradient."""

import torch


class SigmoidFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        s = torch.sigmoid(x)
        ctx.save_for_backward(x)
        return s

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * x * (1.0 - x)


def sigmoid(x):
    return SigmoidFunction.apply(x)
