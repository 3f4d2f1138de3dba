"""Closed forms of gradients of scalar formulas of vectors and matrices, in the notation (`2*outer(W @ x - y, x)`):
a reverse-mode pass of our own rules over the syntax tree, shown only when it equals the element-wise gradient
(neurogebra.analysis.matrix_entries) entry by entry at random points, at two size bindings."""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Callable, Mapping

from neurogebra.analysis.matrix_entries import FAILURES, Definitions, Gradient, NotCovered
from neurogebra.analysis.matrix_stability import with_stable_functions
from neurogebra.analysis.matrix_textbook import textbook
from neurogebra.analysis.shapes import Shape, infer_shapes
from neurogebra.syntax import Node, parse_tree


def derived_gradient(variable: str, shapes: Mapping[str, Shape], definitions: Definitions, tree: Node,
                     params: tuple[str, ...], order: int = 1) -> tuple[Gradient, str | None] | None:
    """The derivative written out (the gradient, a Jacobian, or the Hessian at order 2) and its verified closed
    form, if any; None outside what is written out, or when no random point gives real values."""
    gradient = Gradient(variable, shapes, definitions, tree, params, order)
    try:
        gradient.derive()
        if not gradient.checkable():
            return None
    except FAILURES:
        return None
    if order == 2:  # the Hessian is the Jacobian of the gradient
        first = closed_form(tree, variable, shapes)
        return gradient, verified(gradient, jacobian_form(parse_tree(first), variable, shapes) if first else None)
    if gradient.truths[0][2].shape:
        return gradient, verified(gradient, jacobian_form(tree, variable, shapes))
    return gradient, verified_closed_form(gradient, tree)


def closed_form(tree: Node, variable: str, shapes: Mapping[str, Shape]) -> str | None:
    """The gradient as a formula in the notation by our rules, or None outside them (not yet verified)."""
    try:
        node_shapes = infer_shapes(render(tree).text, tree, shapes)
        return ReverseMode(node_shapes, variable).gradient(tree)
    except FAILURES:
        return None


def verified_closed_form(gradient: Gradient, tree: Node) -> str | None:
    """The closed form, with exp(z)/sum(exp(z)) and the like written as the stable functions they are
    (softmax(z)) and as textbooks write it ((A + A.T) @ x), when it equals the gradient."""
    return verified(gradient, closed_form(tree, gradient.variable, gradient.shapes))


def verified(gradient: Gradient, text: str | None) -> str | None:
    """A closed form as textbooks write it if that equals the derivative entry by entry, else as written if that
    does, else None."""
    if text is None:
        return None
    text = with_stable_functions(text)
    try:
        written = textbook(text, gradient.shapes, render)
    except FAILURES:
        written = text
    for candidate in dict.fromkeys((written, text)):  # as textbooks write it, else as the rules wrote it
        try:
            if gradient.difference(parse_tree(candidate)) is None:
                return candidate
        except FAILURES:
            continue
    return None


ADJOINT = "adjoint_"  # the vector a Jacobian is read from: J.T @ adjoint_ is the gradient of adjoint_ @ f


def jacobian_form(tree: Node, variable: str, shapes: Mapping[str, Shape]) -> str | None:
    """J_x f of a vector function, read off the gradient of u @ f(x) (which is J.T @ u) where that gradient is a
    linear map of u the rules can read (M @ u, u*s, sums of them); None otherwise. Not yet verified."""
    try:
        text = render(tree).text
        output = infer_shapes(text, tree, shapes)[tree]
        if len(output) != 1 or any(name.startswith(ADJOINT) for name in shapes):
            return None
        own = {**shapes, ADJOINT: output}
        product = parse_tree(f"{ADJOINT} @ ({text})")
        adjoint = closed_form(product, variable, own)
        if adjoint is None:
            return None
        found = parse_tree(adjoint)
        transposed = linear_map(found, infer_shapes(adjoint, found, own))
        return None if transposed is None else f"({transposed}).T"
    except FAILURES:
        return None


def linear_map(node: Node, shapes: Mapping[Node, Shape]) -> str | None:
    """The matrix M with node = M @ adjoint_, for node linear in adjoint_; None for the identity or a form the
    rules do not read."""
    if node.kind == "sum":
        parts = [linear_map(arg, shapes) for arg in node.args]
        if any(part is None for part in parts):
            return None
        return " ".join([f"({parts[0]})"] + [f"{op} ({part})" for op, part in zip(node.value, parts[1:])])
    if node.kind == "neg":
        inner = linear_map(node.args[0], shapes)
        return None if inner is None else f"-({inner})"
    if node.kind == "matmul":
        left, right = node.args
        if right.kind == "name" and right.value == ADJOINT:
            return render(left).text
        inner = linear_map(right, shapes)
        return None if inner is None else f"{render(left).wrapped(2)} @ ({inner})"
    if node.kind == "product" and set(node.value) == {"*"}:
        holding = [arg for arg in node.args if any(n.kind == "name" and n.value == ADJOINT for n in arg.walk())]
        if len(holding) != 1:
            return None
        others = [arg for arg in node.args if arg is not holding[0]]
        numbers = [render(arg).wrapped(3) for arg in others if not shapes.get(arg)]
        vectors = [render(arg).wrapped(3) for arg in others if shapes.get(arg)]
        inner = "" if holding[0].kind == "name" else linear_map(holding[0], shapes)
        if inner is None:
            return None
        scale = "*".join(numbers + ([f"diag({'*'.join(vectors)})"] if vectors else []))
        return f"{scale} @ ({inner})" if inner and vectors else f"{scale}*({inner})" if inner else scale or None
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
    """coefficient * scalars * factors / (divisors * scalar divisors); no factors or divisors means ones (of the
    node's shape). Scalars and scalar divisors are numbers, pulled out of linear maps: 2*lam*outer(u, x)/m."""

    coefficient: Fraction = Fraction(1)
    scalars: tuple[Text, ...] = ()
    factors: tuple[Text, ...] = ()
    divisors: tuple[Text, ...] = ()
    scalar_divisors: tuple[Text, ...] = ()

    def times(self, text: Text, scalar: bool) -> "Term":
        if scalar:
            return replace(self, scalars=self.scalars + (text,))
        return replace(self, factors=self.factors + (text,))

    def scaled(self, by: Fraction) -> "Term":
        return replace(self, coefficient=self.coefficient * by)

    def over(self, text: Text, scalar: bool) -> "Term":
        if scalar:
            return replace(self, scalar_divisors=self.scalar_divisors + (text,))
        return replace(self, divisors=self.divisors + (text,))

    @property
    def ones(self) -> bool:
        return not (self.factors or self.divisors)

    def body(self) -> Text:
        """The term without its sign; factors first in a product would change @'s grouping, so all are wrapped."""
        magnitude = abs(self.coefficient)
        below = self.divisors + self.scalar_divisors
        if magnitude == 1 and len(self.factors) == 1 and not (below or self.scalars):
            return self.factors[0]
        parts = [str(magnitude.numerator)] if magnitude.numerator != 1 else []
        parts += [t.wrapped(3) for t in self.scalars + self.factors]
        text = "*".join(parts or ["1"])
        divisors = [t.wrapped(3) for t in below] + ([str(magnitude.denominator)] if magnitude.denominator != 1
                                                    else [])
        if divisors:
            text += "/" + (divisors[0] if len(divisors) == 1 else f"({'*'.join(divisors)})")
        return Text(text, 2)


def merged(terms: list[Term]) -> list[Term]:
    """Like terms added up: x + x is 2*x."""
    coefficients: dict[Term, Fraction] = {}
    for term in terms:
        key = replace(term, coefficient=Fraction(1))
        coefficients[key] = coefficients.get(key, Fraction(0)) + term.coefficient
    return [key.scaled(c) for key, c in coefficients.items() if c != 0]


def combined(terms: list[Term]) -> Text:
    terms = merged(terms)
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
    if len(terms) == 1 and not terms[0].ones:
        term = terms[0]
        common = Term(term.coefficient, term.scalars, scalar_divisors=term.scalar_divisors)
        return common, Term(factors=term.factors, divisors=term.divisors).body()
    if any(t.ones for t in terms):
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
            if self.depends(node) and node.kind != "pos":  # +u is written u: the same subtree
                self.nodes.setdefault(render(node).text, node)
        if self.variable not in self.nodes:
            raise NotCovered("a formula without its variable")
        self.adjoints[render(tree).text] = [Term()]
        for key in sorted(self.nodes, key=len, reverse=True):
            if key != self.variable and key in self.adjoints:
                self.back(self.nodes[key], self.adjoints[key])
        terms = self.adjoints.get(self.variable, [])
        if self.shapes[self.nodes[self.variable]] and any(t.ones for t in merged(terms)):
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
        return [t.over(text, self.scalar(node)) if divide else t.times(text, self.scalar(node)) for t in terms]

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
                terms = [t.scaled(Fraction(-1)).over(square, self.scalar(arg)) for t in terms]
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
        elif name == "mean" and len(args) == 1:  # a size letter in a formula is the size it stands for
            sizes = [str(size) for size in self.shapes[inner]]
            count = Text("*".join(sizes), 2 if len(sizes) > 1 else 4)
            self.adjoints.setdefault(u, []).extend(t.over(count, True) for t in adjoint)
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
            terms, scalar = adjoint, self.scalar(inner)
            for op, text in ELEMENTWISE[name](u):
                terms = [t.over(text, scalar) if op == "/" else t.times(text, scalar) for t in terms]
            self.add(inner, terms)
        else:
            raise NotCovered(name)
