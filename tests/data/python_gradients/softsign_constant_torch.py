"""Softsign activation."""

import torch


class SoftsignFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x / (1.0 + torch.abs(x))
        ctx.save_for_backward(x)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output / (1.0 + torch.abs(x))


def softsign(x):
    return SoftsignFunction.apply(x)
