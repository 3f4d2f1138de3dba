"""Snake activation x + sin^2(a x)/a for periodic signals."""

import torch


class SnakeFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, a):
        y = x + torch.sin(a * x) ** 2 / a
        ctx.save_for_backward(x)
        ctx.a = a
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        a = ctx.a
        return grad_output * (1.0 + 2.0 * torch.sin(a * x) * torch.cos(a * x) / a), None


def snake(x, a):
    return SnakeFunction.apply(x, a)
