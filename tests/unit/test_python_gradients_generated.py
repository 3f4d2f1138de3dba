"""The code action that writes the gradient rule a forward lacks (issue 16): a torch backward, a jax defvjp or
defjvp rule, a NumPy f_grad. The module with the rule, analyzed again, has the rule found and judged right with no
error or warning; the text is what a person writes. Nothing here imports torch, jax or numpy."""
from __future__ import annotations

import pytest

from neurogebra.analysis.engine import Engine
from neurogebra.analysis.model import Fix, Settings, Severity

TORCH_SIGMOID = '''import torch


class Sigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.sigmoid(x)
        return y
'''
TORCH_SIGMOID_GENERATED = '''import torch


class Sigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.sigmoid(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return grad_output * y*(1 - y)
'''
TORCH_FORWARDS = [
    '''import torch


class Swish(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        s = torch.sigmoid(x)
        ctx.save_for_backward(x, s)
        return x * s
''',
    '''import torch


class Leaky(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, alpha: float = 0.01):
        return torch.where(x > 0, x, alpha * x)


class Other(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return 2 * x
''',
    '''import torch
import torch.nn.functional as F


class Mish(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * torch.tanh(F.softplus(x))
''',
    '''import torch


class Scaled(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a)
        return a * torch.sin(b)
''',
]
JAX_VJP = '''import jax
import jax.numpy as jnp

EPS = 1e-6


@jax.custom_vjp
def safe_log(x):
    return jnp.log(x + EPS)
'''
JAX_VJP_GENERATED = '''import jax
import jax.numpy as jnp

EPS = 1e-6


@jax.custom_vjp
def safe_log(x):
    return jnp.log(x + EPS)


def safe_log_fwd(x):
    return safe_log(x), (x,)


def safe_log_bwd(res, g):
    x, = res
    return (g / (EPS + x),)


safe_log.defvjp(safe_log_fwd, safe_log_bwd)
'''
JAX_JVP = '''import jax
import jax.numpy as jnp


@jax.custom_jvp
def huber(a, b):
    return jnp.where(jnp.abs(a - b) < 1.0, 0.5 * (a - b) ** 2, jnp.abs(a - b) - 0.5)
'''
JAX_JVP_GENERATED = JAX_JVP + (
    "\n\n@huber.defjvp\n"
    "def huber_jvp(primals, tangents):\n"
    "    a, b = primals\n"
    "    a_dot, b_dot = tangents\n"
    "    return huber(a, b), a_dot * jnp.where(jnp.abs(a - b) < 1, a - b, jnp.sign(a - b)) + "
    "b_dot * jnp.where(jnp.abs(a - b) < 1, b - a, -jnp.sign(a - b))\n")
JAX_FORWARDS = [
    '''import jax
import jax.numpy as jnp


@jax.custom_vjp
def sigmoid(x):
    return 1 / (1 + jnp.exp(-x))
''',
    '''import jax
import jax.numpy as jnp


@jax.custom_jvp
def softplus(x):
    return jnp.logaddexp(0.0, x)
''',
]
NUMPY = '''import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))
'''
NUMPY_GENERATED = '''import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    y = sigmoid(x)
    return y*(1 - y)
'''
NUMPY_FORWARDS = [
    '''import numpy as np


def leaky_relu(x, alpha=0.01):
    return np.where(x > 0, x, alpha * x)
''',
    '''import numpy as np


def mish(x):
    return x * np.tanh(np.logaddexp(0, x))
''',
    '''import math


def bell(x, mu):
    d = x - mu
    return math.exp(-0.5 * d * d)
''',
]


def generated(text: str) -> list[tuple[Fix, str]]:
    """Each Generate action of the module, with the module it makes."""
    made = []
    for statement in Engine().analyze(text, "python", Settings()).statements:
        for fix in statement.fixes:
            if fix.title.startswith("Generate"):
                result = text
                for edit in sorted(fix.edits, key=lambda e: -e.span.start):
                    result = result[:edit.span.start] + edit.new_text + result[edit.span.end:]
                made.append((fix, result))
    return made


def assert_rule_right(text: str, rules: int) -> None:
    analysis = Engine().analyze(text, "python", Settings(), detail=False)
    assert [d for d in analysis.diagnostics if d.severity <= Severity.WARNING] == []
    judged = [s for s in analysis.statements if s.checks and s.label and ":" in s.label]  # "Sigmoid: backward"
    assert len(judged) == rules and all(c.verdict.name in ("OK", "NON_DIFFERENTIABLE") for s in judged
                                        for c in s.checks)


@pytest.mark.parametrize("text, expected, title", [
    (TORCH_SIGMOID, TORCH_SIGMOID_GENERATED, "Generate the backward of Sigmoid"),
    (JAX_VJP, JAX_VJP_GENERATED, "Generate the defvjp rule of safe_log"),
    (JAX_JVP, JAX_JVP_GENERATED, "Generate the defjvp rule of huber"),
    (NUMPY, NUMPY_GENERATED, "Generate sigmoid_grad"),
])
def test_each_style_generates_the_rule_a_person_writes(text: str, expected: str, title: str) -> None:
    [(fix, result)] = generated(text)
    assert fix.title == title and result == expected
    assert fix.kind == ("refactor" if title == "Generate sigmoid_grad" else "quickfix")
    assert_rule_right(result, 1)


@pytest.mark.parametrize("text", TORCH_FORWARDS + JAX_FORWARDS + NUMPY_FORWARDS)
def test_each_generated_rule_is_found_and_judged_right(text: str) -> None:
    made = generated(text)
    assert made, "a rule is offered"
    for _, result in made:
        assert_rule_right(result, 1)


def test_a_torch_forward_that_saves_nothing_saves_what_backward_reads() -> None:
    [(_, leaky), (_, other)] = generated(TORCH_FORWARDS[1])
    assert "        ctx.alpha = alpha\n        ctx.save_for_backward(x)\n        return torch.where" in leaky
    assert "return grad_output * torch.where(x > 0, 1, ctx.alpha), None" in leaky
    assert "ctx.save_for_backward" not in other and "return grad_output * 2\n" in other
    [(_, scaled)] = generated(TORCH_FORWARDS[3])
    assert "ctx.save_for_backward(a, b)" in scaled and "a, b = ctx.saved_tensors" in scaled


def test_nothing_is_offered_for_what_cannot_be_read_or_has_a_rule() -> None:
    loop = "import numpy as np\n\n\ndef total(x):\n    s = 0\n    for v in x:\n        s += v\n    return s\n"
    assert generated(loop) == []
    assert generated(NUMPY.replace("import numpy as np", "from lib import np")) == []  # no numeric import
    assert generated(NUMPY_GENERATED) == []  # sigmoid has its sigmoid_grad (and sigmoid_grad is its rule)
    assert generated(JAX_VJP_GENERATED) == []


def test_the_fast_pass_computes_no_rule() -> None:
    analysis = Engine().analyze(TORCH_SIGMOID, "python", Settings(), detail=False)
    assert [f for s in analysis.statements for f in s.fixes] == [] and analysis.diagnostics == []


def test_a_call_the_gradient_repeats_is_computed_once_by_a_local() -> None:
    module = ("import torch\nimport torch.nn.functional as F\n\n\nclass Mish(torch.autograd.Function):\n"
              "    @staticmethod\n    def forward(ctx, x):\n        return x * torch.tanh(F.softplus(x))\n")
    [fix] = [f for s in Engine().analyze(module, "python", Settings(), detail=True).statements for f in s.fixes]
    backward = fix.edits[-1].new_text
    assert "        t = torch.tanh(F.softplus(x))\n" in backward
    assert backward.count("tanh") == 1
    assert backward.rstrip().endswith("return grad_output * (t + x*(1 - t**2)/(1 + torch.exp(-x)))")
