"""The labels of issue 16's held-out corpus of gradients written in Python (tests/data/python_gradients), in
mpmath: each case's forward and the gradients its backward claims, written out by hand from the case's code.

`manifest.json` says, for every module: its style (torch, jax, numpy) and API, its kind (correct, mutant, unstable)
and mutation, the lines of its forward and backward, and which family and variant of the tables below its code is.
A forward takes the inputs then the parameters; a claimed backward takes the incoming gradient `g` first and
returns one gradient per input (None where the code returns None). Parameters the code reads from `ctx` are
sampled (PARAMETER_RANGES); the ones the code fixes (numpy defaults, JAX module constants) have the manifest's value.

Nothing here imports neurogebra: the labels are confirmed by test_python_gradients_labels.py with mpmath.diff,
and that the code is what these forms say, by running each module on float64 stand-ins for torch and jax.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from mpmath import cos, cosh, erf, exp, expm1, log, log1p, mpf, pi, sin, sqrt, tanh

from .ngb import REAL_LINE, Interval

FOLDER = Path(__file__).resolve().parents[1] / "data" / "python_gradients"
KINDS = ("correct", "mutant", "unstable")
STYLES = ("torch", "jax", "numpy")
PARAMETER_RANGES = {"alpha": (0.2, 3.0), "beta": (0.3, 3.0), "slope": (0.01, 0.5), "a": (0.2, 2.0),
                    "delta": (0.2, 3.0)}


def sigmoid(x):
    return 1 / (1 + exp(-x))


def softplus(x):
    return log1p(exp(x))


def where(condition, then, otherwise):
    return then if condition else otherwise


def sign(x):
    return (x > 0) - (x < 0)


SELU_ALPHA, SELU_SCALE = mpf(1.6732632423543772), mpf(1.0507009873554805)  # exactly the code's float64 values


def gelu_tanh_inner(x):
    return sqrt(2 / pi) * (x + mpf("0.044715") * x ** 3)


FORWARDS: dict[str, Callable] = {
    "sigmoid": lambda x: sigmoid(x),
    "tanh": lambda x: tanh(x),
    "softplus": lambda x: softplus(x),
    "softplus_naive": lambda x: log(1 + exp(x)),
    "softplus_beta": lambda x, beta: softplus(beta * x) / beta,
    "gelu": lambda x: x / 2 * (1 + erf(x / sqrt(2))),
    "gelu_tanh": lambda x: x / 2 * (1 + tanh(gelu_tanh_inner(x))),
    "silu": lambda x: x * sigmoid(x),
    "swish": lambda x, beta: x * sigmoid(beta * x),
    "mish": lambda x: x * tanh(softplus(x)),
    "elu": lambda x, alpha: where(x > 0, x, alpha * expm1(x)),
    "elu_naive": lambda x, alpha: where(x > 0, x, alpha * (exp(x) - 1)),
    "selu": lambda x: SELU_SCALE * where(x > 0, x, SELU_ALPHA * expm1(x)),
    "leaky_relu": lambda x, slope: where(x > 0, x, slope * x),
    "hard_swish": lambda x: x * min(max(x + 3, 0), 6) / 6,
    "softsign": lambda x: x / (1 + abs(x)),
    "log_sigmoid": lambda x: -softplus(-x),
    "log_sigmoid_naive": lambda x: log(sigmoid(x)),
    "gaussian": lambda x: exp(-x * x),
    "snake": lambda x, a: x + sin(a * x) ** 2 / a,
    "tanhshrink": lambda x: x - tanh(x),
    "bce_logits": lambda z, t: max(z, 0) - z * t + log1p(exp(-abs(z))),
    "bce_naive": lambda z, t: -(t * log(sigmoid(z)) + (1 - t) * log(1 - sigmoid(z))),
    "huber": lambda p, t, delta: where(abs(p - t) <= delta, (p - t) ** 2 / 2, delta * (abs(p - t) - delta / 2)),
    "smooth_l1": lambda p, t, beta: where(abs(p - t) < beta, (p - t) ** 2 / (2 * beta), abs(p - t) - beta / 2),
    "log_cosh": lambda p, t: log(cosh(p - t)),
    "squared_error": lambda p, t: (p - t) ** 2,
    "focal": lambda p: -(1 - p) ** 2 * log(p),
    "prelu": lambda x, a: where(x > 0, x, a * x),
    "scaled_tanh": lambda x, a: tanh(a * x),
    "learnable_swish": lambda x, beta: x * sigmoid(beta * x),
}

DOMAINS = {"bce_logits": {"t": Interval(0.0, 1.0, True, True)}, "bce_naive": {"t": Interval(0.0, 1.0, True, True)},
           "focal": {"p": Interval(0.0, 1.0)}, "gelu_tanh": {"x": Interval(-1e100, 1e100, True, True)}}


def huber_slope(r, delta):
    return where(abs(r) <= delta, r, delta * sign(r))


def hard_swish_slope(x, middle):
    return where(x < -3, 0, where(x > 3, 1, middle))


# (family, variant) -> the gradients the backward returns, as the code computes them
CLAIMS: dict[tuple[str, str], Callable] = {
    ("sigmoid", "right_out"): lambda g, x: (g * sigmoid(x) * (1 - sigmoid(x)),),
    ("sigmoid", "right_in"): lambda g, x: (g * sigmoid(x) * (1 - sigmoid(x)),),
    ("sigmoid", "no_grad"): lambda g, x: (sigmoid(x) * (1 - sigmoid(x)),),
    ("sigmoid", "sign"): lambda g, x: (g * sigmoid(x) * (sigmoid(x) - 1),),
    ("sigmoid", "swap"): lambda g, x: (g * x * (1 - x),),
    ("sigmoid", "naive"): lambda g, x: (g * exp(-x) / (1 + exp(-x)) ** 2,),
    ("tanh", "right_out"): lambda g, x: (g * (1 - tanh(x) ** 2),),
    ("tanh", "right_in"): lambda g, x: (g * (1 - tanh(x) ** 2),),
    ("tanh", "swap"): lambda g, x: (g * (1 - x * x),),
    ("tanh", "no_grad"): lambda g, x: (1 - tanh(x) ** 2,),
    ("tanh", "constant"): lambda g, x: (g * 2 * (1 - tanh(x) ** 2),),
    ("softplus", "right"): lambda g, x: (g * sigmoid(x),),
    ("softplus", "sign"): lambda g, x: (g * sigmoid(-x),),
    ("softplus", "swap"): lambda g, x: (g * sigmoid(softplus(x)),),
    ("softplus", "naive_grad"): lambda g, x: (g * exp(x) / (1 + exp(x)),),
    ("softplus_naive", "right"): lambda g, x: (g * sigmoid(x),),
    ("softplus_beta", "right"): lambda g, x, beta: (g * sigmoid(beta * x),),
    ("softplus_beta", "constant"): lambda g, x, beta: (g * beta * sigmoid(beta * x),),
    ("gelu", "right"): lambda g, x: (g * ((1 + erf(x / sqrt(2))) / 2 + x * exp(-x * x / 2) / sqrt(2 * pi)),),
    ("gelu", "product"): lambda g, x: (g * (1 + erf(x / sqrt(2))) / 2,),
    ("gelu", "constant"): lambda g, x: (g * ((1 + erf(x / sqrt(2))) / 2 + x * exp(-x * x / 2) / sqrt(pi)),),
    ("gelu_tanh", "right"): lambda g, x: (g * gelu_tanh_claim(x),),
    ("gelu_tanh", "chain"): lambda g, x: (g * gelu_tanh_claim(x, inner_scale=1),),
    ("gelu_tanh", "constant"): lambda g, x: (g * gelu_tanh_claim(x, cubic=1),),
    ("gelu_tanh", "product"): lambda g, x: (g * (1 + tanh(gelu_tanh_inner(x))) / 2,),
    ("silu", "right"): lambda g, x: (g * sigmoid(x) * (1 + x * (1 - sigmoid(x))),),
    ("silu", "product"): lambda g, x: (g * sigmoid(x),),
    ("silu", "sign"): lambda g, x: (g * sigmoid(x) * (1 - x * (1 - sigmoid(x))),),
    ("silu", "swap"): lambda g, x: (g * silu_slope_at(x * sigmoid(x)),),
    ("silu", "naive"): lambda g, x: (g * (1 / (1 + exp(-x)) + x * exp(-x) / (1 + exp(-x)) ** 2),),
    ("swish", "right"): lambda g, x, beta: (g * swish_slope(x, beta, beta),),
    ("swish", "chain"): lambda g, x, beta: (g * swish_slope(x, beta, 1),),
    ("mish", "right"): lambda g, x: (g * (tanh(softplus(x)) + x * (1 - tanh(softplus(x)) ** 2) * sigmoid(x)),),
    ("mish", "chain"): lambda g, x: (g * (tanh(softplus(x)) + x * (1 - tanh(softplus(x)) ** 2)),),
    ("mish", "product"): lambda g, x: (g * tanh(softplus(x)),),
    ("elu", "right"): lambda g, x, alpha: (g * where(x > 0, 1, alpha * exp(x)),),
    ("elu", "where"): lambda g, x, alpha: (g * where(x > 0, alpha * exp(x), 1),),
    ("elu", "constant"): lambda g, x, alpha: (g * where(x > 0, 1, exp(x)),),
    ("elu_naive", "right"): lambda g, x, alpha: (g * where(x > 0, 1, alpha * exp(x)),),
    ("selu", "right"): lambda g, x: (g * SELU_SCALE * where(x > 0, 1, SELU_ALPHA * exp(x)),),
    ("selu", "constant"): lambda g, x: (g * where(x > 0, 1, SELU_ALPHA * exp(x)),),
    ("selu", "where"): lambda g, x: (g * SELU_SCALE * where(x < 0, 1, SELU_ALPHA * exp(x)),),
    ("leaky_relu", "right"): lambda g, x, slope: (g * where(x > 0, 1, slope),),
    ("leaky_relu", "where"): lambda g, x, slope: (g * where(x > 0, 1, 0),),
    ("leaky_relu", "where_swapped"): lambda g, x, slope: (g * where(x > 0, slope, 1),),
    ("hard_swish", "right"): lambda g, x: (g * hard_swish_slope(x, (2 * x + 3) / 6),),
    ("hard_swish", "product"): lambda g, x: (g * hard_swish_slope(x, (x + 3) / 6),),
    ("hard_swish", "constant"): lambda g, x: (g * hard_swish_slope(x, (2 * x + 3) / 3),),
    ("softsign", "right"): lambda g, x: (g / (1 + abs(x)) ** 2,),
    ("softsign", "constant"): lambda g, x: (g / (1 + abs(x)),),
    ("log_sigmoid", "right"): lambda g, x: (g * sigmoid(-x),),
    ("log_sigmoid", "sign"): lambda g, x: (g * sigmoid(x),),
    ("log_sigmoid", "no_grad"): lambda g, x: (sigmoid(-x),),
    ("log_sigmoid_naive", "right"): lambda g, x: (g * sigmoid(-x),),
    ("gaussian", "right_out"): lambda g, x: (-2 * g * x * exp(-x * x),),
    ("gaussian", "chain"): lambda g, x: (g * exp(-x * x),),
    ("gaussian", "sign"): lambda g, x: (2 * g * x * exp(-x * x),),
    ("gaussian", "swap"): lambda g, x: (-2 * g * exp(-x * x) * exp(-exp(-x * x) ** 2),),
    ("snake", "right"): lambda g, x, a: (g * (1 + sin(2 * a * x)),),
    ("snake", "chain"): lambda g, x, a: (g * (1 + 2 * sin(a * x) * cos(a * x) / a),),
    ("tanhshrink", "right"): lambda g, x: (g * tanh(x) ** 2,),
    ("bce_logits", "right_none"): lambda g, z, t: (g * (sigmoid(z) - t), None),
    ("bce_logits", "right_both"): lambda g, z, t: (g * (sigmoid(z) - t), -g * z),
    ("bce_logits", "order"): lambda g, z, t: (-g * z, g * (sigmoid(z) - t)),
    ("bce_logits", "sign"): lambda g, z, t: (g * (t - sigmoid(z)), None),
    ("bce_logits", "no_grad"): lambda g, z, t: (sigmoid(z) - t, None),
    ("bce_naive", "right_none"): lambda g, z, t: (g * (sigmoid(z) - t), None),
    ("huber", "right"): lambda g, p, t, delta: (g * huber_slope(p - t, delta), -g * huber_slope(p - t, delta)),
    ("huber", "where"): lambda g, p, t, delta: (g * where(abs(p - t) <= delta, p - t, sign(p - t)),
                                                -g * where(abs(p - t) <= delta, p - t, sign(p - t))),
    ("huber", "where_swapped"): lambda g, p, t, delta: (g * huber_swapped(p - t, delta),
                                                        -g * huber_swapped(p - t, delta)),
    ("huber", "sign"): lambda g, p, t, delta: (g * huber_slope(p - t, delta), g * huber_slope(p - t, delta)),
    ("smooth_l1", "right"): lambda g, p, t, beta: (g * where(abs(p - t) < beta, (p - t) / beta, sign(p - t)),
                                                   -g * where(abs(p - t) < beta, (p - t) / beta, sign(p - t))),
    ("smooth_l1", "constant"): lambda g, p, t, beta: (g * where(abs(p - t) < beta, p - t, sign(p - t)),
                                                      -g * where(abs(p - t) < beta, p - t, sign(p - t))),
    ("log_cosh", "right"): lambda g, p, t: (g * tanh(p - t), -g * tanh(p - t)),
    ("log_cosh", "sign"): lambda g, p, t: (-g * tanh(p - t), g * tanh(p - t)),
    ("squared_error", "right"): lambda g, p, t: (2 * g * (p - t), -2 * g * (p - t)),
    ("squared_error", "constant"): lambda g, p, t: (g * (p - t), -g * (p - t)),
    ("focal", "right"): lambda g, p: (g * (2 * (1 - p) * log(p) - (1 - p) ** 2 / p),),
    ("focal", "product"): lambda g, p: (-g * (1 - p) ** 2 / p,),
    ("focal", "sign"): lambda g, p: (g * (-2 * (1 - p) * log(p) - (1 - p) ** 2 / p),),
    ("focal", "constant"): lambda g, p: (g * ((1 - p) * log(p) - (1 - p) ** 2 / p),),
    ("prelu", "right"): lambda g, x, a: (g * where(x > 0, 1, a), g * where(x > 0, 0, x)),
    ("prelu", "order"): lambda g, x, a: (g * where(x > 0, 0, x), g * where(x > 0, 1, a)),
    ("prelu", "where"): lambda g, x, a: (g * where(x > 0, 1, a), g * where(x > 0, x, 0)),
    ("scaled_tanh", "right"): lambda g, x, a: (g * a * (1 - tanh(a * x) ** 2), g * x * (1 - tanh(a * x) ** 2)),
    ("scaled_tanh", "order"): lambda g, x, a: (g * x * (1 - tanh(a * x) ** 2), g * a * (1 - tanh(a * x) ** 2)),
    ("scaled_tanh", "chain"): lambda g, x, a: (g * (1 - tanh(a * x) ** 2), g * x * (1 - tanh(a * x) ** 2)),
    ("scaled_tanh", "swap"): lambda g, x, a: (g * a * (1 - x * x), g * x * (1 - x * x)),
    ("learnable_swish", "right"): lambda g, x, b: (g * swish_slope(x, b, b), g * x * x * logistic_slope(b * x)),
    ("learnable_swish", "order"): lambda g, x, b: (g * x * x * logistic_slope(b * x), g * swish_slope(x, b, b)),
    ("learnable_swish", "product"): lambda g, x, b: (g * b * x * logistic_slope(b * x),
                                                     g * x * x * logistic_slope(b * x)),
}


def gelu_tanh_claim(x, inner_scale=None, cubic=3):
    """The tanh-GELU slope as the code writes it; inner_scale=1 forgets sqrt(2/pi), cubic=1 the 3 of 3*0.044715."""
    t = tanh(gelu_tanh_inner(x))
    scale = sqrt(2 / pi) if inner_scale is None else inner_scale
    return (1 + t) / 2 + x / 2 * (1 - t * t) * scale * (1 + cubic * mpf("0.044715") * x * x)


def logistic_slope(x):
    return sigmoid(x) * (1 - sigmoid(x))


def swish_slope(x, beta, chain):
    """d/dx x*sigmoid(beta*x) when chain == beta; chain == 1 forgets the inner derivative."""
    return sigmoid(beta * x) + chain * x * logistic_slope(beta * x)


def silu_slope_at(y):
    """SiLU's slope formula evaluated at y (the output passed where the input belongs)."""
    return sigmoid(y) * (1 + y * (1 - sigmoid(y)))


def huber_swapped(r, delta):
    return where(abs(r) <= delta, delta * sign(r), r)


@dataclass(frozen=True)
class Case:
    file: str
    style: str
    api: str
    family: str
    variant: str
    kind: str
    mutation: str | None
    forward: dict  # name and lines [first, last] of the forward function or method
    backward: dict  # the same for the function or method that computes the gradient
    inputs: tuple[str, ...]
    params: dict  # parameter -> the value the code fixes, or None when it reads it from ctx (sampled)
    takes_grad: bool  # the backward receives an incoming gradient (a derivative function does not)
    returns: tuple[str, ...]  # what the backward returns, in order: inputs, then ctx parameters (None)
    unstable_in: str | None = None  # "forward" or "backward"
    warn_lines: tuple[int, int] | None = None
    domain: str | None = None

    @property
    def id(self) -> str:
        return self.file.removesuffix(".py")

    @property
    def path(self) -> Path:
        return FOLDER / self.file

    @property
    def forward_form(self) -> Callable:
        return FORWARDS[self.family]

    @property
    def claim(self) -> Callable:
        return CLAIMS[(self.family, self.variant)]

    def interval(self, position: int) -> Interval:
        names = FORWARDS[self.family].__code__.co_varnames
        return DOMAINS.get(self.family, {}).get(names[position], REAL_LINE)


def load() -> list[Case]:
    rows = json.loads((FOLDER / "manifest.json").read_text(encoding="utf-8"))
    return [Case(**{**row, "inputs": tuple(row["inputs"]), "returns": tuple(row["returns"]),
                    "warn_lines": tuple(row["warn_lines"]) if "warn_lines" in row else None}) for row in rows]


CASES = load()
