"""GELU (exact, erf form) with a hand-written gradient."""

import math

import torch


class GeluFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
        ctx.save_for_backward(x)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        cdf = 0.5 * (1.0 + torch.erf(x / math.sqrt(2.0)))
        pdf = torch.exp(-0.5 * x * x) / math.sqrt(math.pi)
        return grad_output * (cdf + x * pdf)


def gelu(x):
    return GeluFunction.apply(x)
