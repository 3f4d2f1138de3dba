"""Mish activation: x * tanh(softplus(x))."""

import torch
import torch.nn.functional as F


class MishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x * torch.tanh(F.softplus(x))
        ctx.save_for_backward(x)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        t = torch.tanh(F.softplus(x))
        return grad_output * (t + x * (1.0 - t * t) * torch.sigmoid(x))


def mish(x):
    return MishFunction.apply(x)
