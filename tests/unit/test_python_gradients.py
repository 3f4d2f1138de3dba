"""Gradients written in Python (issue 16): each style read from real modules, right rules pass, each kind of
mutation is a gradient-mismatch error on the returned expression, unstable ones warn, unreadable code is
information. Nothing here imports torch, jax or numpy: the modules are only read."""
from __future__ import annotations

import pytest
import sympy

from neurogebra.analysis.engine import Engine
from neurogebra.analysis.model import Code, Settings, Severity
from neurogebra.analysis.python.gradients.writing import code

TORCH = '''import torch


class Sigmoid(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = torch.sigmoid(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        y, = ctx.saved_tensors
        return {ret}
'''
TORCH_TWO = '''import torch


class ScaledSine(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, b, alpha: float = 0.5):
        ctx.save_for_backward(a, b)
        ctx.alpha = alpha
        return alpha * a * torch.sin(b)

    @staticmethod
    def backward(ctx, grad_output):
        a, b = ctx.saved_tensors
        s = torch.sin(b)
        c = torch.cos(b)
        return {ret}
'''
TORCH_SETUP = '''import torch
import torch.nn.functional as F


class Softplus(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return F.softplus(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, = inputs
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_output):
        x, = ctx.saved_tensors
        grad_x = None
        if ctx.needs_input_grad[0]:
            grad_x = {ret}
        return grad_x
'''
JAX_VJP = '''import jax
import jax.numpy as jnp


@jax.custom_vjp
def gelu_tanh(x):
    inner = jnp.sqrt(2 / jnp.pi) * (x + 0.044715 * x ** 3)
    return 0.5 * x * (1 + jnp.tanh(inner))


def gelu_tanh_fwd(x):
    return gelu_tanh(x), (x,)


def gelu_tanh_bwd(res, g):
    x, = res
    inner = jnp.sqrt(2 / jnp.pi) * (x + 0.044715 * x ** 3)
    t = jnp.tanh(inner)
    d_inner = jnp.sqrt(2 / jnp.pi) * (1 + 3 * 0.044715 * x ** 2)
    return ({ret},)


gelu_tanh.defvjp(gelu_tanh_fwd, gelu_tanh_bwd)
'''
JAX_JVP = '''import jax
import jax.numpy as jnp


@jax.custom_jvp
def log1pexp(x):
    return jnp.logaddexp(0.0, x)


@log1pexp.defjvp
def log1pexp_jvp(primals, tangents):
    x, = primals
    x_dot, = tangents
    return log1pexp(x), {ret}
'''
NUMPY = '''import numpy as np


def mse(pred, target):
    return (pred - target) ** 2


def mse_grad(pred, target):
    return {ret}
'''
NUMPY_WHERE = '''import numpy as np


def elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(x))


def elu_prime(x, alpha=1.0):
    return {ret}
'''
NUMPY_PRODUCT = '''import numpy as np


def swish(x):
    return x * sigmoid(x)


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


# neurogebra: derivative of swish
def swish_slope(x):
    s = sigmoid(x)
    return {ret}
'''

RIGHT = [
    (TORCH, "grad_output * y * (1 - y)"),
    (TORCH_TWO, "grad_output * ctx.alpha * s, grad_output * ctx.alpha * a * c, None"),
    (TORCH_SETUP, "grad_output * torch.sigmoid(x)"),
    (JAX_VJP, "g * (0.5 * (1 + t) + 0.5 * x * (1 - t ** 2) * d_inner)"),
    (JAX_JVP, "x_dot * jax.nn.sigmoid(x)"),
    (NUMPY, "2 * (pred - target)"),
    (NUMPY_WHERE, "np.where(x > 0, 1.0, alpha * np.exp(x))"),
    (NUMPY_PRODUCT, "s + x * s * (1 - s)"),
]
WRONG = [  # (module, return, what the message names)
    (TORCH, "y * (1 - y)", "forgets grad_output"),
    (TORCH, "-grad_output * y * (1 - y)", "wrong gradient for x"),
    (TORCH, "grad_output * y * (1 + y)", "wrong gradient for x"),
    (TORCH_TWO, "grad_output * ctx.alpha * a * c, grad_output * ctx.alpha * s, None", "wrong order"),
    (TORCH_TWO, "grad_output * ctx.alpha * s, grad_output * ctx.alpha * a * c, grad_output * a * s", "has none"),
    (TORCH_TWO, "grad_output * 2 * ctx.alpha * s, grad_output * ctx.alpha * a * c, None", "wrong gradient for a"),
    (TORCH_SETUP, "grad_output * torch.exp(x)", "wrong gradient for x"),
    (JAX_VJP, "g * (0.5 * (1 + t) + 0.5 * x * (1 - t ** 2))", "wrong gradient for x"),
    (JAX_JVP, "x_dot * jax.nn.sigmoid(-x)", "wrong gradient for x"),
    (NUMPY, "2 * (target - pred)", "wrong gradient for pred"),
    (NUMPY, "(pred - target)", "wrong gradient for pred"),
    (NUMPY_WHERE, "np.where(x > 0, alpha * np.exp(x), 1.0)", "wrong gradient for x"),
    (NUMPY_PRODUCT, "x * s * (1 - s)", "wrong gradient for x"),
]


def analyze(module: str):
    return Engine().analyze(module, "python", Settings(), detail=False)


def returned_line(module: str, ret: str) -> int:
    return module.format(ret=ret).index(ret)


@pytest.mark.parametrize("module, ret", RIGHT)
def test_right_rules_have_no_error_and_no_warning(module: str, ret: str) -> None:
    analysis = analyze(module.format(ret=ret))
    assert [d for d in analysis.diagnostics if d.severity <= Severity.WARNING] == []
    assert any(s.checks for s in analysis.statements), "the rule was found and checked"


@pytest.mark.parametrize("module, ret, named", WRONG)
def test_each_mutation_is_an_error_on_the_returned_expression(module: str, ret: str, named: str) -> None:
    text = module.format(ret=ret)
    errors = [d for d in analyze(text).diagnostics if d.severity == Severity.ERROR]
    assert errors and all(d.code == Code.GRADIENT_MISMATCH for d in errors)
    start = text.rindex(ret)
    backward = text.rindex("def ", 0, start)  # the rule the mutated return is in
    assert all(backward <= d.span.start and d.span.end <= start + len(ret) for d in errors)
    assert any(named in d.message for d in errors), [d.message for d in errors]


def test_unstable_rule_warns_with_a_stable_form_in_the_framework() -> None:
    module = TORCH.replace("ctx.save_for_backward(y)", "ctx.save_for_backward(x)").replace(
        "y, = ctx.saved_tensors", "x, = ctx.saved_tensors").format(
        ret="grad_output * torch.exp(-x) / (1 + torch.exp(-x)) ** 2")
    warnings = [d for d in analyze(module).diagnostics if d.severity == Severity.WARNING]
    assert [d.code for d in warnings] == [Code.UNSTABLE_FORM]
    assert "a stable form: grad_output * " in warnings[0].message and "torch." in warnings[0].message


def test_a_loop_is_information_that_says_what_stopped_the_reading() -> None:
    module = NUMPY.format(ret="sum(2 * (p - target) for p in [pred])").replace(
        "def mse_grad(pred, target):\n", "def mse_grad(pred, target):\n    for _ in range(1):\n        pass\n")
    diagnostics = analyze(module).diagnostics
    assert [d.severity for d in diagnostics] == [Severity.INFORMATION]
    assert "a loop" in diagnostics[0].message and module[diagnostics[0].span.start:].startswith("for")


def test_the_fix_writes_the_right_gradient_in_the_users_names() -> None:
    text = TORCH.format(ret="grad_output * y * (1 + y)")
    analysis = analyze(text)
    fix = next(f for s in analysis.statements for f in s.fixes)
    assert fix.edits[0].new_text == "grad_output * y*(1 - y)"
    assert text[fix.edits[0].span.start:fix.edits[0].span.end] == "grad_output * y * (1 + y)"


def test_hover_statements_forward_shows_the_derivative_backward_the_verdict() -> None:
    text = TORCH.format(ret="grad_output * y * (1 + y)")
    analysis = Engine().analyze(text, "python", Settings())
    forward = next(s for s in analysis.statements_at(text.index("forward") + 1) if s.derivatives)
    assert forward.label == "Sigmoid(x)" and forward.derivatives[0].variable == "x"
    backward = [s for s in analysis.statements_at(text.index("grad_output * y")) if s.checks]
    assert backward and backward[0].checks[0].verdict.name == "MISMATCH"


def test_an_edit_elsewhere_reuses_the_rules_outcomes() -> None:
    engine = Engine()
    text = NUMPY.format(ret="2 * (pred - target)")
    engine.analyze(text, "python", Settings(), detail=False)
    again = engine.analyze(text + "\nunrelated = 1\n", "python", Settings(), detail=False)
    assert again.reused >= 2


def test_an_unstable_forward_warns_on_its_value_with_a_stable_form_in_the_framework() -> None:
    module = TORCH.replace("y = torch.sigmoid(x)", "y = torch.log(1 + torch.exp(x))").format(
        ret="grad_output * torch.sigmoid(x)").replace("ctx.save_for_backward(y)", "ctx.save_for_backward(x)").replace(
        "y, = ctx.saved_tensors", "x, = ctx.saved_tensors")
    [warning] = [d for d in analyze(module).diagnostics if d.severity <= Severity.WARNING]
    assert warning.code == Code.UNSTABLE_FORM
    assert module[warning.span.start:warning.span.end] == "torch.log(1 + torch.exp(x))"
    assert warning.message.endswith("a stable form is torch.nn.functional.softplus(x)")
    [(statement, fix)] = [(s, f) for s in analyze(module).statements for f in s.fixes if f.code == Code.UNSTABLE_FORM]
    assert fix.edits[0].new_text == "torch.nn.functional.softplus(x)"
    assert statement.span.start <= warning.span.start and warning.span.end <= statement.span.end  # offered there


def test_a_derivative_taking_the_input_by_its_name_is_not_read_as_one_of_the_output() -> None:
    module = ("import numpy as np\n\n\ndef tanh(x):\n    return np.tanh(x)\n\n\n"
              "def grad_tanh({arg}):\n    return 1 - {arg} * {arg}\n")
    assert [d.code for d in analyze(module.format(arg="y")).diagnostics if d.severity <= Severity.WARNING] == []
    [error] = [d for d in analyze(module.format(arg="x")).diagnostics if d.severity == Severity.ERROR]
    assert error.code == Code.GRADIENT_MISMATCH


def test_constants_in_torch_code_are_numbers_torch_takes() -> None:
    x = sympy.Symbol("x", real=True)
    assert code(x + sympy.log(2), "torch", "torch", {"torch": "torch"}) == "x + 0.6931471805599453"
    assert code(x + sympy.log(2), "numpy", "np", {"np": "numpy"}) == "x + np.log(2)"


def test_code_calls_what_the_module_imported_by_the_name_it_gave_it() -> None:
    x = sympy.Symbol("x", real=True)
    softplus, sigmoid = sympy.Function("softplus")(x), sympy.Function("sigmoid")(x)
    torch_names = {"torch": "torch", "F": "torch.nn.functional"}
    assert code(softplus * sigmoid, "torch", "torch", torch_names) == "torch.sigmoid(x)*F.softplus(x)"
    assert code(softplus, "torch", "torch", {"torch": "torch"}) == "torch.nn.functional.softplus(x)"
    assert code(sigmoid, "numpy", "np", {"np": "numpy", "expit": "scipy.special.expit"}) == "expit(x)"


def test_messages_and_fixes_are_in_the_rules_own_names() -> None:
    mish = TORCH.replace("y = torch.sigmoid(x)", "y = x * torch.tanh(F.softplus(x))").replace(
        "import torch\n", "import torch\nimport torch.nn.functional as F\n").replace(
        "ctx.save_for_backward(y)", "ctx.save_for_backward(x)").replace(
        "y, = ctx.saved_tensors", "x, = ctx.saved_tensors\n        t = torch.tanh(F.softplus(x))").format(
        ret="t + grad_output * x * (1 - t ** 2) * torch.sigmoid(x)")
    [fix] = [f for s in analyze(mish).statements for f in s.fixes if f.code == Code.GRADIENT_MISMATCH]
    assert fix.edits[0].new_text.startswith("grad_output * (t + ") and "tanh" not in fix.edits[0].new_text
    leaky = ("import numpy as np\n\n\ndef leaky(x):\n    return np.where(x > 0, x, 0.01 * x)\n\n\n"
             "def leaky_grad(x):\n    return np.where(x > 0, 1.0, 0.01)\n")
    [kink] = [d for d in analyze(leaky).diagnostics if d.code == Code.NON_DIFFERENTIABLE]
    assert kink.message.startswith("leaky(x) is not differentiable at x = 0")


def test_no_fix_calls_a_function_the_module_does_not_have() -> None:
    module = ("import math\n\n\ndef softplus(x):\n    return math.log1p(math.exp(-abs(x))) + max(x, 0.0)\n\n\n"
              "def softplus_grad(x):\n    return 1 / (1 + math.exp(x))\n")  # wrong: sigmoid(-x); math has no sigmoid
    [error] = [d for d in analyze(module).diagnostics if d.severity == Severity.ERROR]
    assert error.code == Code.GRADIENT_MISMATCH and "math.sign" not in error.message  # math has no sign either
    fixes = [f.edits[0].new_text for s in analyze(module).statements for f in s.fixes]
    assert all("math.sigmoid" not in text and "math.softplus" not in text for text in fixes), fixes


@pytest.mark.parametrize("where", ["above the forward", "inside the backward", "above the class"])
def test_a_domain_comment_gives_a_rule_its_inputs_domain(where: str) -> None:
    comment = "# neurogebra: domain x in (0, inf)"
    module = TORCH.replace("y = torch.sigmoid(x)", "y = torch.abs(x)").replace(
        "ctx.save_for_backward(y)", "ctx.save_for_backward(x)").replace(
        "y, = ctx.saved_tensors", "x, = ctx.saved_tensors").format(ret="grad_output")  # right only where x > 0
    assert [d.code for d in analyze(module).diagnostics if d.severity == Severity.ERROR] == [Code.GRADIENT_MISMATCH]
    placed = {"above the forward": ("    @staticmethod\n    def forward",
                                    f"    {comment}\n    @staticmethod\n    def forward"),
              "inside the backward": ("        x, = ctx", f"        {comment}\n        x, = ctx"),
              "above the class": ("class ", f"{comment}\nclass ")}[where]
    assert [d for d in analyze(module.replace(*placed, 1)).diagnostics if d.severity <= Severity.WARNING] == []


def test_a_number_python_will_not_convert_is_not_checked_and_named_briefly() -> None:
    module = ("import numpy as np\n\n\ndef f(x):\n    return x * " + "9" * 5000
              + "\n\n\ndef f_grad(x):\n    return 2.0\n")
    notes = analyze(module).diagnostics
    assert notes and all(d.code == Code.NOT_CHECKED and len(d.message) < 200 for d in notes)
    assert "(5,000 characters)" in notes[0].message
