"""Formulas of vectors and matrices written out entry by entry: at small sizes (each size letter bound to 2 or 3),
one real symbol per entry (W_0_1, x_1), built from the syntax tree; a scalar one's gradient is its derivative in
each entry of the variable, and any formula of the gradient's shape is compared with it entry by entry at random
points in 50-digit arithmetic."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable, Mapping

import mpmath
import numpy as np
import sympy

from neurogebra.analysis.shapes import Shape
from neurogebra.builder import MATH_FUNCTIONS
from neurogebra.catalog.formulas import catalog_functions
from neurogebra.syntax import Node, ParseError

Entries = np.ndarray  # an object array of SymPy expressions; shape () for a number
Definitions = Callable[[str], tuple[tuple[str, ...], str, Node] | None]  # a document definition: params, text, tree
DIGITS = 50
TOLERANCE = sympy.Float("1e-40", DIGITS)
MAX_SIZE = 4  # an integer size written in a @shape larger than this is not written out
MAX_MADE = 16  # nor an identity or ones of a larger size (its products would take seconds)
MAX_EXPONENT = 64


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
    """A formula written out entry by entry, the document's declared names as grids of symbols; the functions of
    vectors and matrices as `matrix_functions` write them (by default, as their definitions say)."""

    def __init__(self, sizes: Mapping[str, int], shapes: Mapping[str, Shape], definitions: Definitions,
                 matrix_functions: Mapping[str, Callable[..., Entries]] | None = None) -> None:
        self.matrix_functions = MATRIX_FUNCTIONS if matrix_functions is None else matrix_functions
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
        if node.value in self.shapes:
            return self.grid(node.value)
        if (found := self.definitions(node.value)) is not None and not found[0]:
            return self.inline(found, ())
        if node.value in self.sizes:  # a size letter: the size it stands for
            return sympy.Integer(self.sizes[node.value])
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
        if any(e.is_Number and abs(e) > MAX_EXPONENT for e in exponent.flat):  # 9**9**9 has 370 million digits
            raise NotCovered("an exponent this large is not written out")
        return np.frompyfunc(sympy.Pow, 2, 1)(base, exponent)

    def _matmul(self, node: Node, scope: Mapping[str, Entries]) -> object:
        left, right = (self.expand(arg, scope) for arg in node.args)
        return np.matmul(left, right)

    def _list(self, node: Node, scope: Mapping[str, Entries]) -> object:
        items = [self.expand(item, scope) for item in node.args]
        grid = np.empty((len(items), *items[0].shape), dtype=object)
        for i, item in enumerate(items):
            grid[i] = item if item.shape else item[()]
        return grid

    def _transpose(self, node: Node, scope: Mapping[str, Entries]) -> object:
        return self.expand(node.args[0], scope).T

    def _call(self, node: Node, scope: Mapping[str, Entries]) -> object:
        if node.primes:
            raise NotCovered("prime notation is not written out")
        if node.value in ("eye", "ones"):
            sizes = [int(self.expand(arg, scope)[()]) for arg in node.args]
            if max(sizes) > MAX_MADE:  # eye(10**9) is a formula, not a value anyone can write out
                raise NotCovered(f"{node.value} of more than {MAX_MADE} entries a side is not written out")
            made = np.eye(sizes[0], dtype=int) if node.value == "eye" else np.ones(sizes, dtype=int)
            return np.vectorize(sympy.Integer, otypes=[object])(made)
        args = [self.expand(arg, scope) for arg in node.args]
        if args and args[0].shape and node.value in self.matrix_functions:
            if node.value == "outer":
                return self.matrix_functions["outer"](*args)
            axis = node.args[1].value if len(node.args) > 1 else None
            if axis not in (None, "0", "1"):
                raise NotCovered("an axis that is not 0 or 1")
            return self.matrix_functions[node.value](args[0], None if axis is None else int(axis))
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


def value_at(expr: sympy.Expr, point: Point, walks: tuple[Walk, Walk] | None = None) -> sympy.Float | None:
    """A real, finite value at high precision, or None (also at a kink: a step, sign or |.| of 0, a max of ties,
    where the frameworks' convention and SymPy's differ). `walks` (two of one point, at two precisions) evaluate
    first; SymPy's evalf, which tracks its own error, decides where they disagree."""
    expr = sympy.sympify(expr, strict=True)  # numbers and SymPy objects only: never text
    for kink in expr.atoms(sympy.Heaviside, sympy.sign, sympy.Abs, sympy.DiracDelta):
        if sympy.N(kink.args[0].xreplace(point.values), DIGITS) == 0:
            return None
    for kink in expr.atoms(sympy.Max, sympy.Min):
        values = [sympy.N(arg.xreplace(point.values), DIGITS) for arg in kink.args]
        if len(set(values)) < len(values):
            return None
    if walks is not None and (agreed := agreeing(expr, *walks)) is not None:
        return agreed
    value = sympy.N(expr.xreplace(point.values), DIGITS)
    if not value.is_real or not value.is_finite:
        return None
    return sympy.Float(value, DIGITS)


class Unwalkable(Exception):
    """A node the walk does not evaluate (evalf does)."""


WALKED_FUNCTIONS: Mapping[type, Callable] = {sympy.exp: mpmath.exp, sympy.log: mpmath.log, sympy.tanh: mpmath.tanh,
                                             sympy.sin: mpmath.sin, sympy.cos: mpmath.cos, sympy.Abs: abs}


class Walk:
    """Values of SymPy trees at one point, by mpmath at a fixed precision, each shared subtree once: the entries
    of a written-out gradient share most of their subtrees (a softmax's sums), which evalf computes again in
    each."""

    def __init__(self, point: Point, digits: int) -> None:
        self.values = point.values
        self.digits = digits
        self.known: dict[sympy.Basic, mpmath.mpf] = {}

    def value(self, node: sympy.Basic) -> mpmath.mpf:
        found = self.known.get(node)
        if found is None:
            with mpmath.workdps(self.digits):
                found = self.known[node] = self._value(node)
        return found

    def _value(self, node: sympy.Basic) -> mpmath.mpf:
        if node.is_Symbol:
            node = self.values[node]
        if node.is_Rational:
            return mpmath.mpf(node.p) / node.q
        if node.is_Float:
            return mpmath.mpf(node._mpf_)
        if node is sympy.pi:
            return +mpmath.pi
        if node.is_Add:
            return mpmath.fsum(self.value(arg) for arg in node.args)
        if node.is_Mul:
            return mpmath.fprod(self.value(arg) for arg in node.args)
        if node.is_Pow:
            base, exponent = self.value(node.base), self.value(node.exp)
            if base < 0 and not node.exp.is_integer:
                raise Unwalkable("a power of a negative number")
            return base ** (int(node.exp) if node.exp.is_Integer else exponent)
        function = WALKED_FUNCTIONS.get(type(node))
        if function is not None:
            argument = self.value(node.args[0])
            if function is mpmath.log and argument <= 0:
                raise Unwalkable("a log of a number not positive")
            return function(argument)
        raise Unwalkable(type(node).__name__)


def agreeing(expr: sympy.Expr, coarse: Walk, fine: Walk) -> sympy.Float | None:
    """The value when two walks of different precisions agree far beyond DIGITS; None otherwise."""
    try:
        low, high = coarse.value(expr), fine.value(expr)
    except (Unwalkable, ArithmeticError, ValueError, KeyError, RecursionError):  # a deep tree: evalf decides
        return None
    with mpmath.workdps(fine.digits):
        close = abs(low - high) <= abs(high) * mpmath.mpf(10) ** -(DIGITS + 10)
        if not (mpmath.isfinite(high) and high != 0 and close):
            return None
    return sympy.Float(high, DIGITS)


def same(a: sympy.Float, b: sympy.Float) -> bool:
    return bool(abs(a - b) <= TOLERANCE * max(1, abs(a), abs(b)))


@dataclass(frozen=True)
class Difference:
    entry: tuple[int, ...]
    claimed: sympy.Float
    truth: sympy.Float
    where: str


def derivative(value: Entries, grid: Entries) -> Entries:
    """d value/d grid, indexed by value's indices then grid's: a gradient for a number, a Jacobian (outputs,
    inputs) for a vector."""
    result = np.empty(value.shape + grid.shape, dtype=object)
    for out in np.ndindex(*value.shape):
        for index in np.ndindex(*grid.shape):
            result[out + index] = sympy.diff(value[out], grid[index])
    return result


@dataclass
class Gradient:
    """The derivative of one formula in one variable, at each size binding: written out, and its point. Order 1
    is the gradient of a number or the Jacobian of a vector; order 2 the Hessian of a number. A derivative of
    more than two dimensions (a vector's in a matrix) is not written out."""

    variable: str
    shapes: Mapping[str, Shape]
    definitions: Definitions
    formula: Node
    scope_names: tuple[str, ...]  # the definition's parameters, bound to the declared names of the same name
    order: int = 1
    truths: list[tuple[Expansion, Entries, Entries]] = field(default_factory=list)  # with the formula's value
    values: dict[tuple[sympy.Expr, frozenset], sympy.Float | None] = field(default_factory=dict)  # by formula, point
    walks: dict[frozenset, tuple[Walk, Walk]] = field(default_factory=dict)  # by point

    def derive(self) -> None:
        for sizes in bindings(self.shapes):
            expansion = Expansion(sizes, self.shapes, self.definitions)
            scope = {name: expansion.grid(name) for name in self.scope_names}
            value = expansion.expand(self.formula, scope)
            grid = expansion.grid(self.variable)
            if self.order not in (1, 2) or (self.order == 2 and value.shape) or \
                    value.ndim + self.order * grid.ndim > 2:
                raise NotCovered("a derivative of more than two dimensions")
            slopes = derivative(value, grid)
            if self.order == 2:
                slopes = derivative(slopes, grid)
            self.truths.append((expansion, slopes, value))

    def difference(self, claim: Node) -> Difference | None | bool:
        """The first entry where a formula differs from the gradient; None when it equals it at every point
        checked; False when at some size binding no point gives real values (nothing is said then)."""
        for expansion, truth, value in self.truths:
            claimed = expansion.expand(claim, {name: expansion.grid(name) for name in self.scope_names})
            if claimed.shape != truth.shape:
                raise NotCovered("shapes differ")
            points = self.points(expansion, claimed, truth, value)  # the function real there too
            if not points:
                return False
            for point, (claimed_values, truth_values, _) in points:
                for index in np.ndindex(*truth.shape):
                    left, right = claimed_values[index], truth_values[index]
                    if not same(left, right):
                        return Difference(index, left, right, self.where(expansion, point))
        return None

    def checkable(self) -> bool:
        """Whether every size binding has a point where the function and its gradient are real."""
        return all(self.points(expansion, value, truth) for expansion, truth, value in self.truths)

    def where(self, expansion: Expansion, point: Point) -> str:
        used = {size for name in point.shown for size in self.shapes.get(name, ())}
        sizes = [f"{letter} = {size}" for letter, size in expansion.sizes.items() if letter in used]
        return ", ".join(sizes + [f"{name} = {text}" for name, text in point.shown.items()])

    def value_at(self, expr: sympy.Expr, point: Point, where: frozenset) -> sympy.Float | None:
        """value_at, once per formula and point: every claim is compared with the same truth at the same points."""
        key = (expr, where)
        if key not in self.values:
            if where not in self.walks:
                self.walks[where] = (Walk(point, DIGITS + 30), Walk(point, DIGITS + 70))
            self.values[key] = value_at(expr, point, self.walks[where])
        return self.values[key]

    def points(self, expansion: Expansion, *values: Entries) -> list[tuple[Point, list[dict]]]:
        """Random points where every value is real and away from kinks (two of mixed signs and a positive one,
        where a relu is active), each with the values there, by entry, in the order given."""
        grids = expansion.grids
        drawn = [Point.drawn(grids, f"{attempt} {' '.join(sorted(grids))}", positive)
                 for attempt, positive in enumerate((False, False, True))]
        kept = []
        for point in drawn:
            where = frozenset(point.values.items())
            evaluated = [{index: self.value_at(grid[index], point, where) for index in np.ndindex(*grid.shape)}
                         for grid in values]
            if all(v is not None for entries in evaluated for v in entries.values()):
                kept.append((point, evaluated))
        return kept


def numbers_text(a: sympy.Float, b: sympy.Float) -> tuple[str, str]:
    """Two different numbers, with the fewest digits (from 4) that show them different."""
    with mpmath.workdps(DIGITS):
        for digits in range(4, DIGITS):
            texts = mpmath.nstr(mpmath.mpf(a), digits), mpmath.nstr(mpmath.mpf(b), digits)
            if texts[0] != texts[1]:
                break
    return texts


def entry_text(entry: tuple[int, ...]) -> str:
    return f"entry {entry[0]}" if len(entry) == 1 else f"entry ({', '.join(map(str, entry))})"


FAILURES = (NotCovered, ParseError, ArithmeticError, ValueError, TypeError, LookupError, RuntimeError)
