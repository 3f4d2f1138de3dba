"""Log-sigmoid, used in logistic losses."""

import torch


class LogSigmoidFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.log(torch.sigmoid(x))
        ctx.save_for_backward(x)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        return grad_output * torch.sigmoid(-x)


def log_sigmoid(x):
    return LogSigmoidFunction.apply(x)
