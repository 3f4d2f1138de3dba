"""Elementwise Huber loss."""

import torch


class HuberFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, pred, target, delta):
        r = pred - target
        loss = torch.where(torch.abs(r) <= delta, 0.5 * r * r, delta * (torch.abs(r) - 0.5 * delta))
        ctx.save_for_backward(pred, target)
        ctx.delta = delta
        return loss

    @staticmethod
    def backward(ctx, grad_output):
        pred, target = ctx.saved_tensors
        delta = ctx.delta
        r = pred - target
        dr = torch.where(torch.abs(r) <= delta, delta * torch.sign(r), r)
        return grad_output * dr, -grad_output * dr, None


def huber(pred, target, delta):
    return HuberFunction.apply(pred, target, delta)
