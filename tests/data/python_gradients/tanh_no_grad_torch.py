"""Tanh activation with a hand-written gradient."""

import torch


class TanhFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.tanh(x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        return 1.0 - y ** 2


def tanh(x):
    return TanhFunction.apply(x)
