"""Elementwise smooth-L1 loss (Fast R-CNN)."""

import torch


class SmoothL1Function(torch.autograd.Function):
    @staticmethod
    def forward(ctx, pred, target, beta):
        r = pred - target
        loss = torch.where(torch.abs(r) < beta, 0.5 * r * r / beta, torch.abs(r) - 0.5 * beta)
        ctx.save_for_backward(pred, target)
        ctx.beta = beta
        return loss

    @staticmethod
    def backward(ctx, grad_output):
        pred, target = ctx.saved_tensors
        beta = ctx.beta
        r = pred - target
        dr = torch.where(torch.abs(r) < beta, r, torch.sign(r))
        return grad_output * dr, -grad_output * dr, None


def smooth_l1(pred, target, beta):
    return SmoothL1Function.apply(pred, target, beta)
