"""Gradients of scalar formulas of vectors and matrices.

The truth is element-wise: the formula written out at small sizes (each size letter bound to 2 or 3), one real
symbol per entry (W_0_1, x_1), differentiated as a formula of numbers. A closed form in the notation
(`2*outer(W @ x - y, x)`) comes from a reverse-mode pass of our own rules and is shown only when it equals that
truth entry by entry at random points, at two size bindings. Claims are checked against the truth the same way.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Mapping

import numpy as np
import sympy

from neurogebra.analysis.shapes import Shape, infer_shapes
from neurogebra.builder import MATH_FUNCTIONS
from neurogebra.catalog.formulas import catalog_functions
from neurogebra.syntax import Node, ParseError, parse_tree

Entries = np.ndarray  # an object array of SymPy expressions; shape () for a number
Definitions = Callable[[str], tuple[tuple[str, ...], str, Node] | None]  # a document definition: params, text, tree
DIGITS = 40
TOLERANCE = sympy.Float("1e-25", DIGITS)
MAX_SIZE = 4  # an integer size written in a @shape larger than this is not written out


class NotCovered(Exception):
    """A formula outside what is written out or derived."""


def entries(value: object) -> Entries:
    return np.asarray(value, dtype=object) if not isinstance(value, np.ndarray) else value


def bindings(shapes: Mapping[str, Shape]) -> list[dict[str, int]]:
    """Two bindings of the size letters, each letter 2 or 3, different from each other when there is a letter."""
    letters = sorted({size for shape in shapes.values() for size in shape if isinstance(size, str)})
    return [{letter: 2 + (index + turn) % 2 for index, letter in enumerate(letters)} for turn in (0, 1)]


def symbols(name: str, shape: tuple[int, ...]) -> Entries:
    if not shape:
        return entries(sympy.Symbol(name, real=True))
    grid = np.empty(shape, dtype=object)
    for index in np.ndindex(*shape):
        grid[index] = sympy.Symbol(f"{name}_{'_'.join(map(str, index))}", real=True)
    return grid


class Expansion:
    """A formula written out entry by entry, the document's declared names as grids of symbols."""

    def __init__(self, sizes: Mapping[str, int], shapes: Mapping[str, Shape], definitions: Definitions) -> None:
        self.sizes = sizes
        self.shapes = shapes
        self.definitions = definitions
        self.grids: dict[str, Entries] = {}
        self.depth = 0

    def grid(self, name: str) -> Entries:
        if name not in self.grids:
            shape = tuple(self.sizes[s] if isinstance(s, str) else s for s in self.shapes.get(name, ()))
            if any(size > MAX_SIZE for size in shape):
                raise NotCovered(f"{name} is too large to write out")
            self.grids[name] = symbols(name, shape)
        return self.grids[name]

    def expand(self, node: Node, scope: Mapping[str, Entries] | None = None) -> Entries:
        scope = scope or {}
        method = getattr(self, f"_{node.kind}", None)
        if method is None:
            raise NotCovered(f"'{node.kind}' is not written out")
        return entries(method(node, scope))

    def _num(self, node: Node, scope: Mapping[str, Entries]) -> object:
        return sympy.Rational(node.value)

    def _name(self, node: Node, scope: Mapping[str, Entries]) -> object:
        if node.value in scope:
            return scope[node.value]
        if node.value not in self.shapes and (found := self.definitions(node.value)) is not None and not found[0]:
            return self.inline(found, ())
        return self.grid(node.value)

    def _neg(self, node: Node, scope: Mapping[str, Entries]) -> object:
        return -self.expand(node.args[0], scope)

    def _pos(self, node: Node, scope: Mapping[str, Entries]) -> object:
        return self.expand(node.args[0], scope)

    def _sum(self, node: Node, scope: Mapping[str, Entries]) -> object:
        result = self.expand(node.args[0], scope)
        for op, arg in zip(node.value, node.args[1:]):
            value = self.expand(arg, scope)
            result = result + value if op == "+" else result - value
        return result

    def _product(self, node: Node, scope: Mapping[str, Entries]) -> object:
        result = self.expand(node.args[0], scope)
        for op, arg in zip(node.value, node.args[1:]):
            value = self.expand(arg, scope)
            result = result * value if op == "*" else result / value
        return result

    def _pow(self, node: Node, scope: Mapping[str, Entries]) -> object:
        base, exponent = (self.expand(arg, scope) for arg in node.args)
        return np.frompyfunc(sympy.Pow, 2, 1)(base, exponent)

    def _matmul(self, node: Node, scope: Mapping[str, Entries]) -> object:
        left, right = (self.expand(arg, scope) for arg in node.args)
        return np.matmul(left, right)

    def _transpose(self, node: Node, scope: Mapping[str, Entries]) -> object:
        return self.expand(node.args[0], scope).T

    def _call(self, node: Node, scope: Mapping[str, Entries]) -> object:
        if node.primes:
            raise NotCovered("prime notation is not written out")
        args = [self.expand(arg, scope) for arg in node.args]
        if args and args[0].shape and node.value in MATRIX_FUNCTIONS:
            if node.value == "outer":
                return MATRIX_FUNCTIONS["outer"](*args)
            axis = node.args[1].value if len(node.args) > 1 else None
            if axis not in (None, "0", "1"):
                raise NotCovered("an axis that is not 0 or 1")
            return MATRIX_FUNCTIONS[node.value](args[0], None if axis is None else int(axis))
        if (found := self.definitions(node.value)) is not None:
            return self.inline(found, tuple(args))
        function = MATH_FUNCTIONS.get(node.value) or catalog_functions().get(node.value)
        if function is None:
            raise NotCovered(f"{node.value} is not written out")
        return np.frompyfunc(function.apply, len(args), 1)(*args)

    def inline(self, found: tuple[tuple[str, ...], str, Node], args: tuple[Entries, ...]) -> Entries:
        params, _, tree = found
        if self.depth > 20 or len(args) != len(params):
            raise NotCovered("definitions nested too deep")
        self.depth += 1
        try:
            return self.expand(tree, dict(zip(params, args)))
        finally:
            self.depth -= 1


def _sum(value: Entries, axis: int | None) -> Entries:
    return entries(np.sum(value, axis=axis))


def _logsumexp(value: Entries, axis: int | None) -> Entries:
    return np.frompyfunc(sympy.log, 1, 1)(_sum(np.frompyfunc(sympy.exp, 1, 1)(value), axis))


def _softmax(value: Entries, axis: int | None) -> Entries:
    exps = np.frompyfunc(sympy.exp, 1, 1)(value)
    return exps / np.sum(exps, axis=axis, keepdims=True)


def _log_softmax(value: Entries, axis: int | None) -> Entries:
    exps = np.frompyfunc(sympy.exp, 1, 1)(value)
    return value - np.frompyfunc(sympy.log, 1, 1)(np.sum(exps, axis=axis, keepdims=True))


def _matrix(value: Entries) -> sympy.Matrix:
    return sympy.Matrix(value.tolist())


MATRIX_FUNCTIONS: Mapping[str, Callable[..., Entries]] = {
    "sum": _sum,
    "mean": lambda v, axis: _sum(v, axis) / (v.size if axis is None else v.shape[axis]),
    "logsumexp": _logsumexp,
    "softmax": _softmax,
    "log_softmax": _log_softmax,
    "norm": lambda v, axis: entries(sympy.sqrt(np.sum(v * v))),
    "trace": lambda v, axis: entries(np.trace(v)),
    "det": lambda v, axis: entries(_matrix(v).det(method="berkowitz")),
    "logdet": lambda v, axis: entries(sympy.log(_matrix(v).det(method="berkowitz"))),
    "inv": lambda v, axis: np.array(_matrix(v).inv().tolist(), dtype=object),
    "outer": lambda a, b: np.multiply.outer(a, b),
    "diag": lambda v, axis: np.diag(v).astype(object),
}


@dataclass
class Point:
    """Random values of the entries: short decimals; square matrices made well conditioned (positive
    determinant) by adding their size to the diagonal."""

    values: dict[sympy.Symbol, sympy.Rational] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)

    @classmethod
    def drawn(cls, grids: Mapping[str, Entries], seed: str, positive: bool) -> "Point":
        rng = random.Random(seed)
        point = cls()
        for name in sorted(grids):
            grid = grids[name]
            numbers = np.empty(grid.shape, dtype=object)
            for index in np.ndindex(*grid.shape):
                tenths = rng.randint(1, 20) * (1 if positive or rng.random() < 0.5 else -1)
                if len(grid.shape) == 2 and grid.shape[0] == grid.shape[1] and index[0] == index[1]:
                    tenths += 10 * grid.shape[0]
                numbers[index] = sympy.Rational(tenths, 10)
                point.values[grid[index]] = numbers[index]
            point.shown[name] = str(np.vectorize(float, otypes=[float])(numbers).tolist()) if grid.shape \
                else str(float(numbers[()]))
        return point


def value_at(expr: sympy.Expr, point: Point) -> sympy.Float | None:
    """A real, finite value at high precision, or None (also at a kink: a step, sign or |.| of 0, a max of ties,
    where the frameworks' convention and SymPy's differ)."""
    expr = sympy.sympify(expr)
    for kink in expr.atoms(sympy.Heaviside, sympy.sign, sympy.Abs, sympy.Max, sympy.Min, sympy.DiracDelta):
        values = [sympy.N(arg.xreplace(point.values), DIGITS) for arg in kink.args[:1 if kink.func not in
                                                                                    (sympy.Max, sympy.Min) else None]]
        if any(v == 0 for v in values) or len(set(values)) < len(values):
            return None
    value = sympy.N(expr.xreplace(point.values), DIGITS)
    if not value.is_real or not value.is_finite:
        return None
    return sympy.Float(value, DIGITS)


def same(a: sympy.Float, b: sympy.Float) -> bool:
    return bool(abs(a - b) <= TOLERANCE * max(1, abs(a), abs(b)))


@dataclass(frozen=True)
class Difference:
    entry: tuple[int, ...]
    claimed: sympy.Float
    truth: sympy.Float
    where: str


@dataclass
class Gradient:
    """The gradient of one scalar formula in one variable, at each size binding: written out, and its point."""

    variable: str
    shapes: Mapping[str, Shape]
    definitions: Definitions
    formula: Node
    scope_names: tuple[str, ...]  # the definition's parameters, bound to the declared names of the same name
    truths: list[tuple[Expansion, Entries]] = field(default_factory=list)

    def derive(self) -> None:
        for sizes in bindings(self.shapes):
            expansion = Expansion(sizes, self.shapes, self.definitions)
            scope = {name: expansion.grid(name) for name in self.scope_names}
            value = expansion.expand(self.formula, scope)
            if value.shape:
                raise NotCovered("not a number")
            grid = expansion.grid(self.variable)
            slopes = np.empty(grid.shape, dtype=object)
            for index in np.ndindex(*grid.shape):
                slopes[index] = sympy.diff(value[()], grid[index])
            self.truths.append((expansion, slopes))

    def difference(self, claim: Node) -> Difference | None | bool:
        """The first entry where a formula differs from the gradient; None when it equals it everywhere checked;
        False when no point gives real values."""
        for expansion, truth in self.truths:
            claimed = expansion.expand(claim, {name: expansion.grid(name) for name in self.scope_names})
            if claimed.shape != truth.shape:
                raise NotCovered("shapes differ")
            point = self.point(expansion, truth, claimed)
            if point is None:
                return False
            for index in np.ndindex(*truth.shape):
                left, right = value_at(claimed[index], point), value_at(truth[index], point)
                if left is None or right is None:
                    return False
                if not same(left, right):
                    sizes = [f"{letter} = {size}" for letter, size in expansion.sizes.items()]
                    where = ", ".join(sizes + [f"{name} = {text}" for name, text in point.shown.items()])
                    return Difference(index, left, right, where)
        return None

    def point(self, expansion: Expansion, *values: Entries) -> Point | None:
        grids = expansion.grids
        for attempt, positive in enumerate((False, False, True)):
            point = Point.drawn(grids, f"{attempt} {' '.join(sorted(grids))}", positive)
            if all(value_at(e, point) is not None for grid in values for e in grid.flat):
                return point
        return None


def numbers_text(a: sympy.Float, b: sympy.Float) -> tuple[str, str]:
    """Two different numbers, with the fewest digits (from 4) that show them different."""
    for digits in range(4, 18):
        texts = format(float(a), f".{digits}g"), format(float(b), f".{digits}g")
        if texts[0] != texts[1]:
            break
    return texts


def entry_text(entry: tuple[int, ...]) -> str:
    return f"entry {entry[0]}" if len(entry) == 1 else f"entry ({', '.join(map(str, entry))})"


FAILURES = (NotCovered, ParseError, ArithmeticError, ValueError, TypeError)


def derived_gradient(variable: str, shapes: Mapping[str, Shape], definitions: Definitions, tree: Node,
                     params: tuple[str, ...]) -> tuple[Gradient, str | None] | None:
    """The gradient written out (None outside what is written out) and its verified closed form, if any."""
    gradient = Gradient(variable, shapes, definitions, tree, params)
    try:
        gradient.derive()
    except FAILURES:
        return None
    return gradient, verified_closed_form(gradient, tree)


def closed_form(tree: Node, variable: str, shapes: Mapping[str, Shape]) -> str | None:
    """The gradient as a formula in the notation by our rules, or None outside them (not yet verified)."""
    try:
        node_shapes = infer_shapes(render(tree).text, tree, shapes)
        return ReverseMode(node_shapes, variable).gradient(tree)
    except FAILURES:
        return None


def verified_closed_form(gradient: Gradient, tree: Node) -> str | None:
    text = closed_form(tree, gradient.variable, gradient.shapes)
    if text is None:
        return None
    try:
        return text if gradient.difference(parse_tree(text)) is None else None
    except FAILURES:
        return None


# Closed forms: texts with their precedence (1 sum, 2 product, 3 power, 4 atom).
@dataclass(frozen=True)
class Text:
    text: str
    precedence: int

    def wrapped(self, below: int) -> str:
        return f"({self.text})" if self.precedence < below else self.text


def render(node: Node) -> Text:
    """A subtree as canonical text in the notation."""
    kind, args = node.kind, node.args
    if kind in ("num", "name"):
        return Text(node.value, 4)
    if kind == "neg":
        return Text(f"-{render(args[0]).wrapped(3)}", 1)
    if kind == "pos":
        return render(args[0])
    if kind == "sum":
        parts = [render(args[0]).text] + [f"{op} {render(a).wrapped(2)}" for op, a in zip(node.value, args[1:])]
        return Text(" ".join(parts), 1)
    if kind == "product":
        parts = [render(args[0]).wrapped(2)] + [f"{op}{render(a).wrapped(3)}" for op, a in zip(node.value, args[1:])]
        return Text("".join(parts), 2)
    if kind == "matmul":
        return Text(f"{render(args[0]).wrapped(2)} @ {render(args[1]).wrapped(3)}", 2)
    if kind == "pow":
        return Text(f"{render(args[0]).wrapped(4)}**{render(args[1]).wrapped(4)}", 3)
    if kind == "transpose":
        return Text(f"{render(args[0]).wrapped(4)}.T", 4)
    if kind == "call" and not node.primes:
        return Text(f"{node.value}({', '.join(render(a).text for a in args)})", 4)
    raise NotCovered(kind)


@dataclass(frozen=True)
class Term:
    """coefficient * scalars * factors / divisors; no factors means ones (of the node's shape)."""

    coefficient: Fraction = Fraction(1)
    scalars: tuple[Text, ...] = ()
    factors: tuple[Text, ...] = ()
    divisors: tuple[Text, ...] = ()

    def times(self, text: Text, scalar: bool) -> "Term":
        if scalar:
            return Term(self.coefficient, self.scalars + (text,), self.factors, self.divisors)
        return Term(self.coefficient, self.scalars, self.factors + (text,), self.divisors)

    def scaled(self, by: Fraction) -> "Term":
        return Term(self.coefficient * by, self.scalars, self.factors, self.divisors)

    def over(self, text: Text) -> "Term":
        return Term(self.coefficient, self.scalars, self.factors, self.divisors + (text,))

    def body(self) -> Text:
        """The term without its sign; factors first in a product would change @'s grouping, so all are wrapped."""
        magnitude = abs(self.coefficient)
        if magnitude == 1 and len(self.factors) == 1 and not (self.divisors or self.scalars):
            return self.factors[0]
        parts = [str(magnitude.numerator)] if magnitude.numerator != 1 else []
        parts += [t.wrapped(3) for t in self.scalars + self.factors]
        if not parts:
            parts = ["1"]
        text = "*".join(parts)
        divisors = [t.wrapped(3) for t in self.divisors] + ([str(magnitude.denominator)] if magnitude.denominator
                                                           != 1 else [])
        if divisors:
            text += "/" + (divisors[0] if len(divisors) == 1 else f"({'*'.join(divisors)})")
        return Text(text, 2)


def combined(terms: list[Term]) -> Text:
    if not terms:
        return Text("0", 4)
    pieces = []
    for index, term in enumerate(terms):
        body = term.body().wrapped(2) if len(terms) > 1 else term.body().text
        sign = "-" if term.coefficient < 0 else "+"
        pieces.append((f"-{term.body().wrapped(2)}" if sign == "-" else body) if index == 0 else f"{sign} {body}")
    single = terms[0].body()
    precedence = 1 if len(terms) > 1 or terms[0].coefficient < 0 else single.precedence
    return Text(" ".join(pieces), precedence)


def split(terms: list[Term]) -> tuple[Term, Text]:
    """An adjoint as a common factor (coefficient and scalars) and the expression a linear map acts on."""
    if len(terms) == 1 and (terms[0].factors or terms[0].divisors):
        term = terms[0]
        return Term(term.coefficient, term.scalars), Term(Fraction(1), (), term.factors, term.divisors).body()
    if any(not (t.factors or t.divisors) for t in terms):
        raise NotCovered("an adjoint of ones")
    return Term(), combined(terms)


ELEMENTWISE: Mapping[str, Callable[[str], list[tuple[str, Text]]]] = {
    "exp": lambda u: [("*", Text(f"exp({u})", 4))],
    "log": lambda u: [("/", Text(u, 4) if u.isidentifier() else Text(f"({u})", 4))],
    "tanh": lambda u: [("*", Text(f"1 - tanh({u})**2", 1))],
    "sigmoid": lambda u: [("*", Text(f"sigmoid({u})", 4)), ("*", Text(f"1 - sigmoid({u})", 1))],
    "softplus": lambda u: [("*", Text(f"sigmoid({u})", 4))],
    "sin": lambda u: [("*", Text(f"cos({u})", 4))],
}


def sigmoid_of(node: Node) -> tuple[bool, Node] | None:
    """sigmoid(z) as (False, z), 1 - sigmoid(z) as (True, z)."""
    if node.kind == "call" and node.value == "sigmoid" and len(node.args) == 1 and not node.primes:
        return False, node.args[0]
    if node.kind == "sum" and node.value == "-" and render(node.args[0]).text == "1":
        found = sigmoid_of(node.args[1])
        return (True, found[1]) if found is not None and not found[0] else None
    return None


class ReverseMode:
    """Adjoints by subtree text (equal subtrees share one), parents before children."""

    def __init__(self, shapes: Mapping[Node, Shape], variable: str) -> None:
        self.shapes = shapes
        self.variable = variable
        self.adjoints: dict[str, list[Term]] = {}
        self.nodes: dict[str, Node] = {}

    def depends(self, node: Node) -> bool:
        return any(n.kind == "name" and n.value == self.variable for n in node.walk())

    def gradient(self, tree: Node) -> str:
        if self.shapes[tree]:
            raise NotCovered("not a number")
        for node in tree.walk():
            if self.depends(node):
                self.nodes.setdefault(render(node).text, node)
        self.adjoints[render(tree).text] = [Term()]
        for key in sorted(self.nodes, key=len, reverse=True):
            if key != self.variable and key in self.adjoints:
                self.back(self.nodes[key], self.adjoints[key])
        terms = self.adjoints.get(self.variable, [])
        if self.shapes[self.nodes[self.variable]] and any(not (t.factors or t.divisors) for t in terms):
            raise NotCovered("a gradient of ones")
        return combined(terms).text

    def add(self, node: Node, terms: list[Term], elementwise: Node | None = None) -> None:
        """Adds to a subtree's adjoint; an operand of an elementwise operator broadcast to it sums it up."""
        if not self.depends(node):
            return
        if elementwise is not None and self.shapes[node] != self.shapes[elementwise]:
            if self.shapes[node]:
                raise NotCovered("broadcast")
            common, inner = split(terms)
            terms = [common.times(Text(f"sum({inner.text})", 4), True)]
        self.adjoints.setdefault(render(node).text, []).extend(terms)

    def scalar(self, node: Node) -> bool:
        return not self.shapes[node]

    def back(self, node: Node, adjoint: list[Term]) -> None:
        getattr(self, f"_{node.kind}", self.uncovered)(node, adjoint)

    def uncovered(self, node: Node, adjoint: list[Term]) -> None:
        raise NotCovered(node.kind)

    def _pos(self, node: Node, adjoint: list[Term]) -> None:
        self.add(node.args[0], adjoint)

    def _neg(self, node: Node, adjoint: list[Term]) -> None:
        self.add(node.args[0], [t.scaled(Fraction(-1)) for t in adjoint])

    def _sum(self, node: Node, adjoint: list[Term]) -> None:
        for op, arg in zip("+" + node.value, node.args):
            self.add(arg, adjoint if op == "+" else [t.scaled(Fraction(-1)) for t in adjoint], node)

    def multiplied(self, terms: list[Term], node: Node, divide: bool) -> list[Term]:
        if node.kind == "num":
            number = Fraction(node.value)
            return [t.scaled(1 / number if divide else number) for t in terms]
        if node.kind == "neg":
            return self.multiplied([t.scaled(Fraction(-1)) for t in terms], node.args[0], divide)
        text = Text(render(node).text, render(node).precedence)
        return [t.over(text) if divide else t.times(text, self.scalar(node)) for t in terms]

    def _product(self, node: Node, adjoint: list[Term]) -> None:
        ops = "*" + node.value
        for index, arg in enumerate(node.args):
            if not self.depends(arg):
                continue
            terms = adjoint
            for other_index, (op, other) in enumerate(zip(ops, node.args)):
                if other_index != index:
                    terms = self.multiplied(terms, other, op == "/")
            if ops[index] == "/":
                square = Text(f"{render(arg).wrapped(4)}**2", 3)
                terms = [t.scaled(Fraction(-1)).over(square) for t in terms]
            self.add(arg, terms, node)

    def _pow(self, node: Node, adjoint: list[Term]) -> None:
        base, exponent = node.args
        if exponent.kind != "num" or self.depends(exponent):
            raise NotCovered("a power that is not a number")
        power = Fraction(exponent.value)
        if base.kind == "call" and base.value == "norm" and power == 2 and len(base.args) == 1:
            inner = base.args[0]  # norm(v)**2 is sum(v**2): 2*v
            self.add(inner, [t.scaled(Fraction(2)).times(render(inner), self.scalar(inner)) for t in adjoint])
            return
        terms = [t.scaled(power) for t in adjoint]
        if power - 1 != 0:
            exponent_text = str(power - 1) if (power - 1).denominator == 1 else f"({power - 1})"
            raised = render(base) if power - 1 == 1 else Text(f"{render(base).wrapped(4)}**{exponent_text}", 3)
            terms = [t.times(raised, self.scalar(base)) for t in terms]
        self.add(base, terms)

    def _transpose(self, node: Node, adjoint: list[Term]) -> None:
        common, inner = split(adjoint)
        self.add(node.args[0], [common.times(Text(f"{inner.wrapped(4)}.T", 4), False)])

    def _matmul(self, node: Node, adjoint: list[Term]) -> None:
        left, right = node.args
        a, b = render(left), render(right)
        shape_a, shape_b = self.shapes[left], self.shapes[right]
        if len(shape_a) == 1 and len(shape_b) == 1:  # a number: a @ b
            self.add(left, [t.times(b, False) for t in adjoint])
            self.add(right, [t.times(a, False) for t in adjoint])
            return
        common, g = split(adjoint)
        if len(shape_a) == 2 and len(shape_b) == 1:
            grad_a, grad_b = Text(f"outer({g.text}, {b.text})", 4), Text(f"{a.wrapped(4)}.T @ {g.wrapped(3)}", 2)
        elif len(shape_a) == 1 and len(shape_b) == 2:
            grad_a, grad_b = Text(f"{b.wrapped(2)} @ {g.wrapped(3)}", 2), Text(f"outer({a.text}, {g.text})", 4)
        else:
            grad_a = Text(f"{g.wrapped(2)} @ {b.wrapped(4)}.T", 2)
            grad_b = Text(f"{a.wrapped(4)}.T @ {g.wrapped(3)}", 2)
        self.add(left, [common.times(grad_a, False)])
        self.add(right, [common.times(grad_b, False)])

    def _call(self, node: Node, adjoint: list[Term]) -> None:
        name, args = node.value, node.args
        if node.primes or not args or not self.depends(args[0]) or any(self.depends(a) for a in args[1:]):
            raise NotCovered("a call")
        inner = args[0]
        u = render(inner).text
        if name == "sum" and len(args) == 1:
            self.adjoints.setdefault(u, []).extend(adjoint)
        elif name == "trace" and len(args) == 1 and inner.kind == "matmul":
            left, right = inner.args
            self.add(left, [t.times(Text(f"{render(right).wrapped(4)}.T", 4), False) for t in adjoint])
            self.add(right, [t.times(Text(f"{render(left).wrapped(4)}.T", 4), False) for t in adjoint])
        elif name == "logdet" and len(args) == 1:
            self.adjoints.setdefault(u, []).extend(t.times(Text(f"inv({u}).T", 4), False) for t in adjoint)
        elif name == "logsumexp" and len(args) == 1 and len(self.shapes[inner]) == 1:
            self.adjoints.setdefault(u, []).extend(t.times(Text(f"softmax({u})", 4), False) for t in adjoint)
        elif name == "log_softmax" and len(args) == 1 and len(self.shapes[inner]) == 1:
            common, g = split(adjoint)
            total = common.times(Text(f"sum({g.text})", 4), True).times(Text(f"softmax({u})", 4), False)
            self.adjoints.setdefault(u, []).extend(adjoint + [total.scaled(Fraction(-1))])
        elif name == "log" and len(args) == 1 and (sigmoid := sigmoid_of(inner)) is not None:
            negated, z = sigmoid  # log(sigmoid(z))' = 1 - sigmoid(z); log(1 - sigmoid(z))' = -sigmoid(z)
            factor = Text(f"sigmoid({render(z).text})", 4) if negated else Text(f"1 - sigmoid({render(z).text})", 1)
            self.add(z, [(t.scaled(Fraction(-1)) if negated else t).times(factor, self.scalar(z)) for t in adjoint])
        elif name in ELEMENTWISE and len(args) == 1:
            terms = adjoint
            for op, text in ELEMENTWISE[name](u):
                terms = [t.over(text) if op == "/" else t.times(text, self.scalar(inner)) for t in terms]
            self.add(inner, terms)
        else:
            raise NotCovered(name)
