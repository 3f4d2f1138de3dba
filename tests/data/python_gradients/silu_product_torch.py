"""SiLU / swish-1 activation with a hand-written gradient."""

import torch


class SiluFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x * torch.sigmoid(x)
        ctx.save_for_backward(x)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        s = torch.sigmoid(x)
        return grad_output * s


def silu(x):
    return SiluFunction.apply(x)
