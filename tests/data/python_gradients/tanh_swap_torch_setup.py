"""Tanh activation with a hand-written gradient."""

import torch


class TanhFunction(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return torch.tanh(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * (1.0 - x * x)


def tanh(x):
    return TanhFunction.apply(x)
