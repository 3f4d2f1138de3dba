"""Elementwise squared error."""

import torch


class SquaredErrorFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, pred, target):
        loss = (pred - target) ** 2
        ctx.save_for_backward(pred, target)
        return loss

    @staticmethod
    def backward(ctx, grad_output):
        pred, target = ctx.saved_tensors
        d = pred - target
        return grad_output * d, -grad_output * d


def squared_error(pred, target):
    return SquaredErrorFunction.apply(pred, target)
