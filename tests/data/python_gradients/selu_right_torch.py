"""SELU activation (self-normalizing networks)."""

import torch

ALPHA = 1.6732632423543772
SCALE = 1.0507009873554805


class SeluFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = SCALE * torch.where(x > 0, x, ALPHA * torch.expm1(x))
        ctx.save_for_backward(x)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * SCALE * torch.where(x > 0, 1.0, ALPHA * torch.exp(x))


def selu(x):
    return SeluFunction.apply(x)
