"""A closed form in the notation (`2*outer(W @ x - y, x)`) as NumPy or PyTorch code, ready to paste into a
training loop: `2 * np.outer(W @ x - y, x)`, `2 * torch.outer(W @ x - y, x)`. Only formulas of the notation's
functions translate; anything else (a user's own function) gives None. `code_fixes` are the code actions that
insert it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from neurogebra.analysis.model import Edit, Fix, Span
from neurogebra.syntax import Node, parse_tree

Call = Callable[[list[str]], str]


@dataclass(frozen=True)
class Framework:
    """A framework's name as a person says it, and its calls; the code assumes `import numpy as np` and
    `import scipy.special`, or `import torch`."""

    name: str
    calls: Mapping[str, Call]


def _function(qualified: str) -> Call:
    return lambda args: f"{qualified}({', '.join(args)})"


def _axis(qualified: str, keyword: str) -> Call:
    """sum(x) and sum(x, 1) as np.sum(x) and np.sum(x, axis=1)."""
    return lambda args: f"{qualified}({args[0]}{f', {keyword}={args[1]}' if len(args) > 1 else ''})"


ELEMENTWISE = ("exp", "log", "sqrt", "tanh", "sin", "cos", "abs", "log1p", "expm1")
NUMPY = Framework("NumPy", {
    **{name: _function(f"np.{name}") for name in ELEMENTWISE},
    "outer": _function("np.outer"), "trace": _function("np.trace"), "diag": _function("np.diag"),
    "inv": _function("np.linalg.inv"), "det": _function("np.linalg.det"), "norm": _function("np.linalg.norm"),
    "logdet": lambda args: f"np.linalg.slogdet({args[0]})[1]",
    "sum": _axis("np.sum", "axis"), "mean": _axis("np.mean", "axis"),
    "softmax": _axis("scipy.special.softmax", "axis"), "log_softmax": _axis("scipy.special.log_softmax", "axis"),
    "logsumexp": _axis("scipy.special.logsumexp", "axis"),
    "sigmoid": _function("scipy.special.expit"), "relu": lambda args: f"np.maximum({args[0]}, 0)",
    "softplus": lambda args: f"np.logaddexp(0, {args[0]})",
    "eye": _function("np.eye"), "ones": lambda args: f"np.ones(({', '.join(args)}{',' if len(args) == 1 else ''}))",
})
PYTORCH = Framework("PyTorch", {
    **{name: _function(f"torch.{name}") for name in ELEMENTWISE},
    "outer": _function("torch.outer"), "trace": _function("torch.trace"), "diag": _function("torch.diag"),
    "inv": _function("torch.linalg.inv"), "det": _function("torch.linalg.det"),
    "norm": _function("torch.linalg.norm"), "logdet": _function("torch.logdet"),
    "sum": _axis("torch.sum", "dim"), "mean": _axis("torch.mean", "dim"),
    "softmax": lambda args: f"torch.softmax({args[0]}, dim={args[1] if len(args) > 1 else -1})",
    "log_softmax": lambda args: f"torch.log_softmax({args[0]}, dim={args[1] if len(args) > 1 else -1})",
    "logsumexp": lambda args: f"torch.logsumexp({args[0]}, dim={args[1] if len(args) > 1 else -1})",
    "sigmoid": _function("torch.sigmoid"), "relu": _function("torch.relu"),
    "softplus": _function("torch.nn.functional.softplus"),
    "eye": _function("torch.eye"), "ones": _function("torch.ones"),
})
FRAMEWORKS = (NUMPY, PYTORCH)


class Untranslatable(Exception):
    """A piece of the formula with no counterpart in the framework."""


def as_code(formula: str, framework: Framework) -> str | None:
    """The formula as the framework's code (operators spaced as PEP 8 has them), or None when a piece of it has no
    counterpart there."""
    try:
        return _code(parse_tree(formula), framework)[0]
    except Untranslatable:
        return None


# Precedence of a piece of code: 1 sum, 2 product (and @), 3 unary minus, 4 power, 5 atom.
def _code(node: Node, framework: Framework) -> tuple[str, int]:
    kind, args = node.kind, node.args
    if kind in ("num", "name"):
        return node.value, 5
    if kind == "pos":
        return _code(args[0], framework)
    if kind == "neg":
        return f"-{_wrapped(args[0], framework, 3)}", 3
    if kind == "sum":
        parts = [_code(args[0], framework)[0]] + [f"{op} {_wrapped(a, framework, 2)}"
                                                   for op, a in zip(node.value, args[1:])]
        return " ".join(parts), 1
    if kind == "product":
        parts = [_wrapped(args[0], framework, 2)] + [f"{op} {_wrapped(a, framework, 3)}"
                                                     for op, a in zip(node.value, args[1:])]
        return " ".join(parts), 2
    if kind == "matmul":
        return f"{_wrapped(args[0], framework, 2)} @ {_wrapped(args[1], framework, 3)}", 2
    if kind == "pow":
        return f"{_wrapped(args[0], framework, 5)}**{_wrapped(args[1], framework, 4)}", 4
    if kind == "transpose":
        return f"{_wrapped(args[0], framework, 5)}.T", 5
    if kind == "call" and not node.primes and node.value in framework.calls:
        return framework.calls[node.value]([_code(a, framework)[0] for a in args]), 5
    raise Untranslatable(kind if kind != "call" else node.value)


def _wrapped(node: Node, framework: Framework, below: int) -> str:
    text, precedence = _code(node, framework)
    return f"({text})" if precedence < below else text


def code_fixes(label: str, variable: str, closed: str, end: int, newline: str) -> list[Fix]:
    """"Insert ∇_W L as NumPy code": a comment line below the definition, `# NumPy: grad_W = 2 * np.outer(...)`,
    to paste into a training loop; one per framework the closed form translates to."""
    fixes = []
    for framework in FRAMEWORKS:
        code = as_code(closed, framework)
        if code is not None:
            line = f"# {framework.name}: grad_{variable} = {code}"
            fixes.append(Fix(f"Insert {label} as {framework.name} code", (Edit(Span(end, end), newline + line),),
                             "refactor"))
    return fixes
