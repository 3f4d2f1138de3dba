"""Custom autograd Functions: Neurogebra reads forward and backward (without running them) and checks each
gradient backward returns. Mish's backward has a deliberate mistake: the tanh(sp) term lost its grad_output."""
import torch
import torch.nn.functional as F


class Swish(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        s = torch.sigmoid(x)
        ctx.save_for_backward(x, s)
        return x * s

    @staticmethod
    def backward(ctx, grad_output):
        x, s = ctx.saved_tensors
        return grad_output * (s + x * s * (1 - s))


class Mish(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * torch.tanh(F.softplus(x))

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        t = torch.tanh(F.softplus(x))
        return t + grad_output * x * (1 - t ** 2) * torch.sigmoid(x)  # wrong: t is not multiplied by grad_output
