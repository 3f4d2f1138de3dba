"""Swish with a fixed beta."""

import torch


class SwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta):
        y = x * torch.sigmoid(beta * x)
        ctx.save_for_backward(x)
        ctx.beta = beta
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        beta = ctx.beta
        s = torch.sigmoid(beta * x)
        return grad_output * (s + x * s * (1.0 - s)), None


def swish(x, beta):
    return SwishFunction.apply(x, beta)
