"""PReLU with an elementwise learnable slope."""

import torch


class PreluFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, a):
        y = torch.where(x > 0, x, a * x)
        ctx.save_for_backward(x, a)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, a = ctx.saved_tensors
        return grad_output * torch.where(x > 0, 1.0, a), grad_output * torch.where(x > 0, x, 0.0)


def prelu(x, a):
    return PreluFunction.apply(x, a)
