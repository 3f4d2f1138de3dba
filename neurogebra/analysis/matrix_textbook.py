"""Closed forms as textbooks write them: transposes pushed onto names ((A @ X).T is X.T @ A.T, X.T.T is X, and a
vector's transpose is the vector), a vector times a matrix written matrix first (x @ A is A.T @ x), and products
with the same right factor gathered (A @ x + A.T @ x is (A + A.T) @ x). Each step is algebra; the caller verifies
the result again before it is shown."""
from __future__ import annotations

from typing import Any, Callable, Mapping

from neurogebra.analysis.shapes import Shape, infer_shapes
from neurogebra.syntax import Node, parse_tree

MAX_PASSES = 8


def textbook(text: str, shapes: Mapping[str, Shape], render: Callable[[Node], Any]) -> str:
    """The formula rewritten until nothing changes (or MAX_PASSES); `render` writes a tree back as text (its
    `.text`: matrix_calculus.render, which imports this module)."""
    for _ in range(MAX_PASSES):
        tree = parse_tree(text)
        new = render(Rewriter(infer_shapes(text, tree, shapes)).rewrite(tree)[0]).text
        if new == render(tree).text:  # no rule applied: the text as it was written
            break
        text = new
    return text


def _node(kind: str, args: tuple[Node, ...], value: str = "") -> Node:
    return Node(kind, 0, 0, value, args)


class Rewriter:
    """Bottom-up; every rule keeps the value and the shape of the node it rewrites."""

    def __init__(self, shapes: Mapping[Node, Shape]) -> None:
        self.shapes = shapes

    def rewrite(self, node: Node, operand: bool = False) -> tuple[Node, Shape]:
        """`operand`: the node is a factor of a matrix product (x @ A in x @ A @ x stays as it is)."""
        shape = self.shapes.get(node, ())
        if not node.args:
            return node, shape
        rewritten = [self.rewrite(arg, node.kind == "matmul") for arg in node.args]
        args = tuple(n for n, _ in rewritten)
        arg_shapes = [s for _, s in rewritten]
        node = Node(node.kind, node.start, node.end, node.value, args, node.primes, node.name_end)
        if node.kind == "transpose":
            found = self.transposed(args[0], arg_shapes[0])
            return (node if found.kind == "transpose" and found.args == node.args else found), shape
        if node.kind == "matmul":
            return self.product(node, arg_shapes, operand), shape
        if node.kind == "sum":
            node = gathered(node)
            if node.kind == "sum" and node.value == "+" and node.args[0].kind == "transpose" and same(
                    node.args[0].args[0], node.args[1]):
                node = _node("sum", node.args[::-1], "+")  # A + A.T
            return node, shape
        return node, shape

    def product(self, node: Node, shapes: list[Shape], operand: bool) -> Node:
        """left @ right: a vector on the left written after the matrix (x @ A is A.T @ x) unless the product is
        itself a factor, a minus sign on the right pulled out, and a chain left to right (A @ (B @ C) is
        A @ B @ C); the node itself when none applies (so that its shape is still known)."""
        left, right = node.args
        if len(shapes[0]) == 1 and len(shapes[1]) == 2 and not operand:
            left, right = self.transposed(right, shapes[1]), left
        if right.kind == "neg":
            return _node("neg", (_node("matmul", (left, right.args[0])),))
        if right.kind == "matmul":
            return _node("matmul", (_node("matmul", (left, right.args[0])), right.args[1]))
        return node if (left, right) == node.args else _node("matmul", (left, right))

    def transposed(self, node: Node, shape: Shape) -> Node:
        """node.T with the transpose pushed as far in as it goes."""
        if len(shape) < 2:
            return node  # a vector's or a number's transpose is itself
        if node.kind == "transpose":
            return node.args[0]
        if node.kind == "matmul":
            left, right = node.args
            return _node("matmul", (self.transposed(right, (shape[0], "·")), self.transposed(left, ("·", shape[1]))))
        if node.kind == "sum" and all(len(self.shapes.get(arg, ())) == 2 for arg in node.args):
            return _node("sum", tuple(self.transposed(arg, shape) for arg in node.args), node.value)
        if node.kind == "call" and (node.value == "eye" or node.value == "diag" and len(
                self.shapes.get(node.args[0], ())) == 1):
            return node  # a diagonal matrix is its own transpose
        if node.kind == "neg":
            return _node("neg", (self.transposed(node.args[0], shape),))
        if node.kind == "product" and sum(len(self.shapes.get(arg, ())) == 2 for arg in node.args) == 1 and all(
                len(self.shapes.get(arg, ())) in (0, 2) for arg in node.args):
            return _node("product", tuple(self.transposed(arg, shape) if self.shapes.get(arg) else arg
                                          for arg in node.args), node.value)  # 2*W: only W is transposed
        return _node("transpose", (node,))


def gathered(node: Node) -> Node:
    """a @ v + b @ v (and a @ v - b @ v) as (a + b) @ v: terms with the same right factor, the first keeping its
    place; a term without a minus sign leads."""
    terms = [(flipped(sign), term.args[0]) if term.kind == "neg" and term.args[0].kind == "matmul" else (sign, term)
             for sign, term in zip("+" + node.value, node.args)]
    merged: list[tuple[str, Node]] = []
    for sign, term in terms:
        partner = next((i for i, (_, other) in enumerate(merged) if other.kind == "matmul" and term.kind == "matmul"
                        and same(other.args[1], term.args[1])), None)
        if partner is None:
            merged.append((sign, term))
            continue
        first_sign, first = merged[partner]
        ops = "+" if sign == first_sign else "-"
        pair = (first.args[0], term.args[0])
        if ops == "+" and pair[0].kind == "transpose" and pair[1].kind != "transpose":
            pair = pair[::-1]  # A + A.T, as textbooks write it
        merged[partner] = (first_sign, _node("matmul", (_node("sum", pair, ops), first.args[1])))
    leading = next((i for i, (sign, _) in enumerate(merged) if sign == "+"), 0)
    if len(merged) == len(terms) and leading == 0:
        return node
    merged.insert(0, merged.pop(leading))  # a term without a minus sign first: 2*W - A, not -A + 2*W
    if len(merged) == 1:
        sign, only = merged[0]
        return only if sign == "+" else _node("neg", (only,))
    head_sign, head = merged[0]
    first = head if head_sign == "+" else _node("neg", (head,))
    return _node("sum", (first, *(term for _, term in merged[1:])), "".join(sign for sign, _ in merged[1:]))


def same(a: Node, b: Node) -> bool:
    """The same formula, wherever each stands."""
    return (a.kind, a.value, a.primes, len(a.args)) == (b.kind, b.value, b.primes, len(b.args)) and all(
        same(x, y) for x, y in zip(a.args, b.args))


def flipped(sign: str) -> str:
    return "-" if sign == "+" else "+"
