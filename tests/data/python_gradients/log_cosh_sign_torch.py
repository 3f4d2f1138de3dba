"""Elementwise log-cosh loss."""

import torch


class LogCoshFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, pred, target):
        loss = torch.log(torch.cosh(pred - target))
        ctx.save_for_backward(pred, target)
        return loss

    @staticmethod
    def backward(ctx, grad_output):
        pred, target = ctx.saved_tensors
        t = torch.tanh(pred - target)
        return -grad_output * t, grad_output * t


def log_cosh(pred, target):
    return LogCoshFunction.apply(pred, target)
