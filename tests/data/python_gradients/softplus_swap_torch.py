"""Softplus activation and its gradient."""

import torch
import torch.nn.functional as F


class SoftplusFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = F.softplus(x)
        ctx.save_for_backward(x, y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, y = ctx.saved_tensors
        return grad_output * torch.sigmoid(y)


def softplus(x):
    return SoftplusFunction.apply(x)
