"""Tanhshrink activation x - tanh(x)."""

import torch


class TanhshrinkFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x - torch.tanh(x)
        ctx.save_for_backward(x)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        t = torch.tanh(x)
        return grad_output * t * t


def tanhshrink(x):
    return TanhshrinkFunction.apply(x)
