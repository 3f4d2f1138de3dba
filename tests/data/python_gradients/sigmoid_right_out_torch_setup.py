"""Logistic sigmoid with a hand-written gradient."""

import torch


class SigmoidFunction(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return torch.sigmoid(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        ctx.save_for_backward(x, output)

    @staticmethod
    def backward(ctx, grad_output):
        x, s = ctx.saved_tensors
        return grad_output * s * (1.0 - s)


def sigmoid(x):
    return SigmoidFunction.apply(x)
