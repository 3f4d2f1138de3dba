"""Shapes of formulas over vectors and matrices, by NumPy's rules: each subtree's shape, or a ShapeError at the
operator or call that does not fit, with both shapes in its message.

A shape is a tuple of sizes, each a letter that stands for a size (`m`) or a positive integer: `()` is a number,
`("n",)` a vector, `("m", "n")` a matrix. Two sizes are the same only when they are written the same.
"""
from __future__ import annotations

from typing import Callable, Mapping

from neurogebra.syntax import MATRIX_SIGNATURES, Node, ParseError

Size = str | int
Shape = tuple[Size, ...]
SHAPE_MISMATCH = "shape-mismatch"  # Code.SHAPE_MISMATCH
SCALAR: Shape = ()
REDUCTIONS = ("sum", "mean", "logsumexp")
SQUARE_TO_SCALAR = ("trace", "det", "logdet")
ROWWISE = ("softmax", "log_softmax")
CONSTRUCTORS = ("eye", "ones")

# The shape of a call of a function of the document, given its arguments' shapes; None for one that is not.
FunctionShape = Callable[[str, tuple[Shape, ...]], Shape | None]


class ShapeError(ParseError):
    """Shapes that do not fit, at the operator or call (offsets in the formula text)."""

    def __init__(self, message: str, offset: int, length: int) -> None:
        super().__init__(message, offset, length, code=SHAPE_MISMATCH)


def shape_text(shape: Shape) -> str:
    """As NumPy writes it: (m, n), (n,), ()."""
    if len(shape) == 1:
        return f"({shape[0]},)"
    return f"({', '.join(map(str, shape))})"


def shape_label(shape: Shape) -> str:
    """For a person: "a number", "a vector (n,)", "a matrix (m, n)"."""
    if not shape:
        return "a number"
    return f"{'a vector' if len(shape) == 1 else 'a matrix'} {shape_text(shape)}"


def size_of(node: Node) -> Size | None:
    """A size written in a formula: a letter, or a whole number above 0."""
    if node.kind == "name":
        return node.value
    if node.kind == "num" and node.value.isdigit() and int(node.value) > 0:
        return int(node.value)
    return None


def fits(a: Size, b: Size) -> bool:
    """Two sizes that can be one: equal, or a letter and a number (a matrix written out, [[1, 2], [3, 4]], where
    a letter was declared: the letter takes its size)."""
    return a == b or isinstance(a, str) != isinstance(b, str)


class ShapeInference:
    """Shapes of one formula's subtrees, given the shapes of its names (a name not given is a number)."""

    def __init__(self, text: str, names: Mapping[str, Shape], functions: FunctionShape | None = None) -> None:
        self.text = text
        self.names = names
        self.functions = functions or (lambda name, args: None)
        self.shapes: dict[Node, Shape] = {}

    def infer(self, node: Node) -> Shape:
        shape = getattr(self, f"_{node.kind}")(node)
        self.shapes[node] = shape
        return shape

    def source(self, node: Node) -> str:
        return " ".join(self.text[node.start:node.end].split())

    def _num(self, node: Node) -> Shape:
        return SCALAR

    def _name(self, node: Node) -> Shape:
        return self.names.get(node.value, SCALAR)

    def _neg(self, node: Node) -> Shape:
        return self.infer(node.args[0])

    _pos = _neg

    def _sum(self, node: Node) -> Shape:
        return self.elementwise(node)

    _product = _pow = _cmp = _tuple = _sum

    def _list(self, node: Node) -> Shape:
        """[1, 2] is (2,), [[1, 2], [3, 4]] is (2, 2): numbers in a vector, vectors of one length in a matrix."""
        items = [self.infer(item) for item in node.args]
        if all(item == SCALAR for item in items):
            return (len(items),)
        if all(len(item) == 1 for item in items) and len(set(items)) == 1:
            return (len(items), items[0][0])
        raise ShapeError(f"{self.source(node)}: the rows of a matrix are vectors of one length, and the entries of "
                         "a vector numbers", node.start, node.end - node.start)

    def elementwise(self, node: Node) -> Shape:
        """Operands of elementwise operators, broadcast left to right; an error at the operator."""
        result = self.infer(node.args[0])
        for arg in node.args[1:]:
            result = self.broadcast(result, self.infer(arg), node, arg)
        return result

    def broadcast(self, left: Shape, right: Shape, node: Node, arg: Node) -> Shape:
        """NumPy's broadcasting: sizes aligned from the right, equal or one of them 1."""
        sizes: list[Size] = []
        for index in range(1, max(len(left), len(right)) + 1):
            a = left[-index] if index <= len(left) else 1
            b = right[-index] if index <= len(right) else 1
            if not fits(a, b) and a != 1 and b != 1:
                raise self.broadcast_error(left, right, node, arg, f"the sizes {a} and {b} differ")
            sizes.append(b if a == 1 or (b != 1 and isinstance(a, str) and isinstance(b, int)) else a)
        return tuple(reversed(sizes))

    def broadcast_error(self, left: Shape, right: Shape, node: Node, arg: Node, problem: str) -> ShapeError:
        if node.kind == "call":
            return self.call_error(node, problem, (left, right))
        start, length = self.operator_at(node, arg)
        op = self.text[start:start + length]
        left_text = " ".join(self.text[node.args[0].start:start].split())
        return ShapeError(f"{left_text} {op} {self.source(arg)}: {shape_text(left)} {op} {shape_text(right)}: "
                          f"{problem}", start, length)

    def operator_at(self, node: Node, arg: Node) -> tuple[int, int]:
        """Where the operator before `arg` is: the text between the previous operand and `arg`, blanks left out."""
        previous = max((a.end for a in node.args if a.end <= arg.start), default=node.start)
        gap = self.text[previous:arg.start]
        lead = len(gap) - len(gap.lstrip())
        return previous + lead, max(1, len(gap.strip()))

    def _matmul(self, node: Node) -> Shape:
        left_node, right_node = node.args
        left, right = self.infer(left_node), self.infer(right_node)
        start, length = self.operator_at(node, right_node)
        shapes = f"{self.source(left_node)} @ {self.source(right_node)}: {shape_text(left)} @ {shape_text(right)}"
        if not left or not right:
            raise ShapeError(f"{shapes}: '@' is the product of vectors and matrices; multiply by a number "
                             "with '*'", start, length)
        if len(left) > 2 or len(right) > 2:
            raise ShapeError(f"{shapes}: only vectors and matrices multiply with '@'", start, length)
        if not fits(left[-1], right[0]):
            raise ShapeError(f"{shapes}: the inner sizes {left[-1]} and {right[0]} differ", start, length)
        return left[:-1] + right[1:]

    def _transpose(self, node: Node) -> Shape:
        return tuple(reversed(self.infer(node.args[0])))

    def _call(self, node: Node) -> Shape:
        shapes = tuple(self.infer(arg) for arg in node.args)
        if node.primes == 0 and node.value in CONSTRUCTORS:
            return self.constructed(node)
        if node.primes == 0 and node.value in MATRIX_SIGNATURES and shapes and shapes[0]:
            return self.matrix_call(node, shapes)
        own = self.functions(node.value, shapes) if node.primes == 0 else None
        if own is not None:
            return own
        result = shapes[0] if shapes else SCALAR  # elementwise, as NumPy's ufuncs: exp, tanh, relu, ...
        for arg, shape in zip(node.args[1:], shapes[1:]):
            result = self.broadcast(result, shape, node, arg)
        return result

    def call_error(self, node: Node, problem: str, shapes: tuple[Shape, ...]) -> ShapeError:
        shown = " and ".join(shape_text(s) for s in shapes)
        return ShapeError(f"{self.source(node)}: {shown}: {problem}", node.start, node.name_end - node.start)

    def matrix_call(self, node: Node, shapes: tuple[Shape, ...]) -> Shape:
        name = node.value
        signature = MATRIX_SIGNATURES[name]
        if len(shapes) < signature.min_args or len(shapes) > len(signature.params):
            raise self.call_error(node, f"takes {signature.signature}", shapes)
        first = shapes[0]
        if len(first) > 2:
            raise self.call_error(node, "vectors and matrices only", shapes)
        if name in REDUCTIONS or name in ROWWISE:
            axis = self.axis(node, shapes) if len(shapes) == 2 else None
            if name in ROWWISE:
                if axis is None and len(first) == 2:
                    raise self.call_error(node, f"a matrix's {name} is along an axis: {name}(X, 1) for each row, "
                                                f"{name}(X, 0) for each column", shapes)
                return first
            return SCALAR if axis is None else first[:axis] + first[axis + 1:]
        if name == "norm":
            return SCALAR
        if name in SQUARE_TO_SCALAR or name in ("inv", "diag"):
            if name == "diag" and len(first) == 1:
                return (first[0], first[0])
            if len(first) != 2 or first[0] != first[1]:
                raise self.call_error(node, f"needs a square matrix, not {shape_label(first)}", shapes)
            return first[:1] if name == "diag" else first if name == "inv" else SCALAR
        # outer
        if len(first) != 1 or len(shapes[1]) != 1:
            raise self.call_error(node, "needs two vectors", shapes)
        return (first[0], shapes[1][0])

    def constructed(self, node: Node) -> Shape:
        """eye(n) is (n, n); ones(n) is (n,) and ones(m, n) is (m, n): sizes are size letters or whole numbers."""
        found = [size_of(arg) for arg in node.args]
        sizes = tuple(size for size in found if size is not None)
        most = 1 if node.value == "eye" else 2
        if not 1 <= len(found) <= most or len(sizes) < len(found):
            wanted = "one size" if most == 1 else "one or two sizes"
            raise ShapeError(f"{self.source(node)}: {node.value} takes {wanted}, each a size letter or a whole "
                             "number above 0", node.start, node.end - node.start)
        return (sizes[0], sizes[0]) if node.value == "eye" else sizes

    def axis(self, node: Node, shapes: tuple[Shape, ...]) -> int:
        argument = node.args[1]
        if argument.kind != "num" or argument.value not in ("0", "1") or int(argument.value) >= len(shapes[0]):
            axes = "0" if len(shapes[0]) == 1 else "0 or 1"
            raise ShapeError(f"{node.value}'s axis is {axes} for {shape_label(shapes[0])}", argument.start,
                             argument.end - argument.start)
        return int(argument.value)


def infer_shapes(text: str, tree: Node, names: Mapping[str, Shape],
                 functions: FunctionShape | None = None) -> dict[Node, Shape]:
    """Every subtree's shape (the whole formula's is `[tree]`); raises ShapeError."""
    inference = ShapeInference(text, names, functions)
    inference.infer(tree)
    return inference.shapes


def uses_matrices(tree: Node, names: Mapping[str, Shape]) -> bool:
    """Whether a formula is about vectors or matrices: a name declared with a shape, '@', a transpose or a
    matrix written out ([[1, 2], [3, 4]]) or made (eye(n), ones(n))."""
    return any(node.kind in ("matmul", "transpose", "list") or (node.kind == "name" and names.get(node.value))
               or (node.kind == "call" and node.value in CONSTRUCTORS)
               for node in tree.walk())
