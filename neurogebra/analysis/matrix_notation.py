"""A formula of vectors and matrices for reading: one line of unicode in NumPy's notation (2·outer(W @ x − y, x),
Aᵀ), and LaTeX for clients that typeset it, in a textbook's (2 (W x − y) xᵀ, A⁻¹, ⊙ for an elementwise product).
Shapes decide what a product is: a number times anything is a plain product, two arrays an elementwise one. Also
the labels of derivatives (∇_W L, J_x f, ∇²_x L) and values of vectors and matrices ([[1, 2], [3, 4]])."""
from __future__ import annotations

from typing import Mapping

import numpy as np

from neurogebra.analysis.matrix_entries import FAILURES, Entries
from neurogebra.analysis.model import Rendered
from neurogebra.analysis.notation import latex_name, unicode_name
from neurogebra.analysis.render import latex_number, render_number
from neurogebra.analysis.shapes import Shape, infer_shapes
from neurogebra.syntax import Node, parse_tree

LATEX_FUNCTIONS = {"exp": r"\exp", "log": r"\log", "tanh": r"\tanh", "sin": r"\sin", "cos": r"\cos",
                   "sigmoid": r"\sigma", "det": r"\det", "trace": r"\operatorname{tr}"}
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
TOP, ODOT, CIRC = r"^{\top}", r"\odot ", r"\circ "


def rendered(text: str, shapes: Mapping[str, Shape], shape_label: str) -> Rendered:
    """The closed form as it is written (plain), read (unicode, with its shape) and typeset (LaTeX)."""
    tree = parse_tree(text)
    node_shapes = infer_shapes(text, tree, shapes)
    unicode = Writer(node_shapes, latex=False).text(tree)[0]
    latex = Writer(node_shapes, latex=True).text(tree)[0]
    return Rendered(text, f"{unicode}, {shape_label}", rf"{latex} \quad \text{{{shape_label}}}")


class Writer:
    """Text with its precedence: 1 sum, 2 product, 3 unary minus, 4 power, 5 atom."""

    def __init__(self, shapes: Mapping[Node, Shape], latex: bool) -> None:
        self.shapes = shapes
        self.latex = latex

    def wrapped(self, node: Node, below: int) -> str:
        text, precedence = self.text(node)
        if precedence >= below:
            return text
        return rf"\left({text}\right)" if self.latex else f"({text})"

    def text(self, node: Node) -> tuple[str, int]:
        kind, args, latex = node.kind, node.args, self.latex
        minus = "-" if latex else "−"
        if kind == "num":
            return node.value, 5
        if kind == "name":
            return (latex_name(node.value) if latex else unicode_name(node.value)), 5
        if kind == "pos":
            return self.text(args[0])
        if kind == "neg":
            return f"{minus}{self.wrapped(args[0], 3)}", 3
        if kind == "sum":
            parts = [self.text(args[0])[0]]
            parts += [f"{'+' if op == '+' else minus} {self.wrapped(arg, 2)}" for op, arg in zip(node.value, args[1:])]
            return " ".join(parts), 1
        if kind == "product":
            return self.product(node), 2
        if kind == "matmul":
            joiner = r" \, " if latex else " @ "
            return f"{self.wrapped(args[0], 2)}{joiner}{self.wrapped(args[1], 3)}", 2
        if kind == "transpose":
            inner = args[0]
            if latex and inner.kind == "call" and inner.value == "inv" and len(inner.args) == 1:
                return f"{self.wrapped(inner.args[0], 5)}^{{-\\top}}", 4  # X^{-T}: no superscript on a superscript
            return self.wrapped(inner, 5) + (TOP if latex else "ᵀ"), 4 if latex else 5
        if kind == "pow":
            return self.power(node), 4
        if kind == "call":
            return self.call(node)
        return node.value, 5

    def product(self, node: Node) -> str:
        text = self.wrapped(node.args[0], 2)
        for op, arg in zip(node.value, node.args[1:]):
            scalar = not self.shapes.get(arg) or not self.shapes.get(node.args[0])
            if op == "/" and self.latex:
                text = rf"\frac{{{text}}}{{{self.text(arg)[0]}}}"
            elif op == "/":
                text = f"{text}/{self.wrapped(arg, 3)}"
            elif self.latex:  # a number times a product needs no parentheses: 2 (W x - y) xᵀ
                text = f"{text} {'' if scalar else ODOT}{self.wrapped(arg, 2 if scalar else 3)}"
            else:
                text = f"{text}{'·' if scalar else '*'}{self.wrapped(arg, 3)}"  # * elementwise, as in NumPy
        return text

    def power(self, node: Node) -> str:
        base, exponent = node.args
        elementwise = bool(self.shapes.get(base))
        if self.latex:
            return f"{self.wrapped(base, 5)}^{{{CIRC if elementwise else ''}{self.text(exponent)[0]}}}"
        if exponent.kind == "num" and exponent.value.isdigit():  # elementwise for an array, as ** is in NumPy
            return f"{self.wrapped(base, 5)}{exponent.value.translate(SUPERSCRIPTS)}"
        return f"{self.wrapped(base, 5)}**{self.wrapped(exponent, 5)}"

    def call(self, node: Node) -> tuple[str, int]:
        """A call; outer(a, b) is a bᵀ and inv(X) is X⁻¹ in LaTeX (a product and a power: wrapped accordingly)."""
        name, args = node.value, node.args
        inner = [self.text(arg)[0] for arg in args]
        if not self.latex:
            return f"{unicode_name(name)}({', '.join(inner)})", 5
        if name == "outer" and len(args) == 2:
            return rf"{self.wrapped(args[0], 5)} \, {self.wrapped(args[1], 5)}^{{\top}}", 2
        if name == "inv" and len(args) == 1:
            return f"{self.wrapped(args[0], 5)}^{{-1}}", 4
        if name == "norm" and len(args) == 1:
            return rf"\lVert {inner[0]} \rVert", 5
        if name == "eye" and len(args) == 1:
            return f"I_{{{inner[0]}}}", 5
        if name == "ones":
            return rf"\mathbf{{1}}_{{{', '.join(inner)}}}", 5
        if name == "sqrt" and len(args) == 1:
            return rf"\sqrt{{{inner[0]}}}", 5
        head = LATEX_FUNCTIONS.get(name) or latex_name(name, upright=True)
        return rf"{head}\left({', '.join(inner)}\right)", 5


def derivative_kind(order: int, vector: bool) -> tuple[str, str]:
    """A derivative's symbol and name: ∇ a gradient, J a Jacobian (a vector's derivative), ∇² a Hessian."""
    return ("∇²", "Hessian") if order == 2 else ("J", "Jacobian") if vector else ("∇", "gradient")


def matrix_derivative_label(name: str, variable: str, order: int, vector: bool) -> str:
    """∇_W L for a gradient, J_x f for a Jacobian, ∇²_x L for a Hessian."""
    return f"{derivative_kind(order, vector)[0]}_{variable} {name}"


def rendered_value(value: Entries) -> Rendered:
    """A number as evaluations show one; a vector or matrix as nested brackets, as NumPy prints it ([[1, 2], [3,
    4]]), and as a bmatrix to typeset."""
    if not value.shape:
        return render_number(value[()])
    numbers = np.vectorize(lambda entry: render_number(entry).plain, otypes=[object])(value)
    rows = numbers.tolist() if value.ndim == 2 else [numbers.tolist()]
    latex = r"\begin{bmatrix} " + r" \\ ".join(" & ".join(latex_number(n) for n in row) for row in rows) + \
        r" \end{bmatrix}"
    plain = bracketed(numbers.tolist())
    return Rendered(plain, plain.replace("-", "−"), latex)


def bracketed(values: list) -> str:
    """Nested lists of texts as NumPy prints an array: [[1, 2], [3, 4]]."""
    return f"[{', '.join(bracketed(v) if isinstance(v, list) else v for v in values)}]"


def readable(text: str, shapes: Mapping[str, Shape], shape: str) -> Rendered:
    """The formula to read and to typeset with its shape; as written where its shapes cannot be followed (a call
    of one of the document's functions)."""
    try:
        return rendered(text, shapes, shape)
    except FAILURES:  # a ShapeError is a ParseError
        return Rendered(text, f"{text}, {shape}")
