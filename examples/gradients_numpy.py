"""A network written from scratch in NumPy: each activation and loss beside its derivative (f with f_grad,
f_prime, ...), checked from the source. tanh_prime has a deliberate mistake: a sign flip."""
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_prime(x):
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x):
    return np.tanh(x)


def tanh_prime(x):
    return np.tanh(x) ** 2 - 1  # wrong: 1 - tanh(x)**2


def leaky_relu(x, alpha=0.01):
    return np.where(x > 0, x, alpha * x)


def leaky_relu_grad(x, alpha=0.01):
    return np.where(x > 0, 1.0, alpha)


def mse(pred, target):
    return (pred - target) ** 2


def mse_backward(pred, target, grad):
    return grad * 2 * (pred - target), grad * 2 * (target - pred)
