"""GELU, tanh approximation (as in GPT-2), with a hand-written gradient."""

import math

import torch

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


# neurogebra: domain x in [-1e100, 1e100]
class GeluTanhFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = 0.5 * x * (1.0 + torch.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)))
        ctx.save_for_backward(x)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        t = torch.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x ** 3))
        dinner = SQRT_2_OVER_PI * (1.0 + 0.044715 * x * x)
        return grad_output * (0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * dinner)


def gelu_tanh(x):
    return GeluTanhFunction.apply(x)
