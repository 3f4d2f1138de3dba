"""Softplus activation and its gradient."""

import torch
import torch.nn.functional as F


class SoftplusFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = F.softplus(x)
        ctx.save_for_backward(x)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * torch.sigmoid(x)


def softplus(x):
    return SoftplusFunction.apply(x)
