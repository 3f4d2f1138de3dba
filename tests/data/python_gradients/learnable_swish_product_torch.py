"""Swish with an elementwise learnable beta."""

import torch


class LearnableSwishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta):
        y = x * torch.sigmoid(beta * x)
        ctx.save_for_backward(x, beta)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, beta = ctx.saved_tensors
        s = torch.sigmoid(beta * x)
        ds = s * (1.0 - s)
        return grad_output * beta * x * ds, grad_output * x * x * ds


def learnable_swish(x, beta):
    return LearnableSwishFunction.apply(x, beta)
