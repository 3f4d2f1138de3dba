"""The modulated term of a focal loss (gamma = 2) on a probability."""

import torch


# neurogebra: domain p in (0, 1)
class FocalTermFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, p):
        loss = -(1.0 - p) ** 2 * torch.log(p)
        ctx.save_for_backward(p)
        return loss

    @staticmethod
    def backward(ctx, grad_output):
        p, = ctx.saved_tensors
        return -grad_output * (1.0 - p) ** 2 / p


def focal_term(p):
    return FocalTermFunction.apply(p)
