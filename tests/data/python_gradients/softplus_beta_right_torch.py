"""Softplus with a sharpness beta, as in torch.nn.Softplus."""

import torch
import torch.nn.functional as F


class SoftplusFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta):
        y = F.softplus(beta * x) / beta
        ctx.save_for_backward(x)
        ctx.beta = beta
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        beta = ctx.beta
        return grad_output * torch.sigmoid(beta * x), None


def softplus(x, beta):
    return SoftplusFunction.apply(x, beta)
