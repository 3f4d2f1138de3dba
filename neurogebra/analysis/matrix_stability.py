"""Whether a scalar formula of vectors and matrices evaluates accurately in floating point, judged as a scalar one
is (neurogebra.stable: bits of error against mpmath over sampled points): written out entry by entry at the
smallest sizes, with logsumexp, softmax and log_softmax as the stable functions NumPy and the frameworks compute
(the largest input taken out), not as their definitions. det, logdet and inv are not judged: LAPACK computes them
by a factorisation that no entry-by-entry formula follows.

The stable form offered rewrites what people write by hand into those functions, at the place it is written:
log(sum(exp(z))) -> logsumexp(z), exp(z)/sum(exp(z)) -> softmax(z), log(softmax(z)) -> log_softmax(z),
log(1 + exp(z)) -> softplus(z); it is offered only when the rewritten formula measures stable. log(det(X)) ->
logdet(X) is offered from what float64 is (det of a larger matrix leaves its range), not from a measure."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Mapping

import numpy as np
import sympy

from neurogebra.analysis.matrix_entries import (
    FAILURES,
    MATRIX_FUNCTIONS,
    Definitions,
    Entries,
    Expansion,
    NotCovered,
    bindings,
    entries,
)
from neurogebra.analysis.matrix_notation import bracketed
from neurogebra.analysis.shapes import Shape
from neurogebra.functions import logsumexp
from neurogebra.gradient_checks import show
from neurogebra.stable import Stability, judge_stability
from neurogebra.syntax import Node, parse_tree


def _logsumexp(value: Entries, axis: int | None, keep: bool = False) -> Entries:
    """logsumexp of all entries, or along an axis (kept as a size 1 with `keep`, to broadcast against value)."""
    if axis is None:
        return entries(logsumexp(*value.flat))
    moved = np.moveaxis(value, axis, -1)
    reduced = np.empty(moved.shape[:-1], dtype=object)
    for index in np.ndindex(*reduced.shape):
        reduced[index] = logsumexp(*moved[index])
    return np.expand_dims(reduced, axis) if keep else reduced


def _log_softmax(value: Entries, axis: int | None) -> Entries:
    return value - _logsumexp(value, axis, keep=True)


def _not_judged(value: Entries, axis: int | None) -> Entries:
    raise NotCovered("computed by a factorisation")


FLOAT_FUNCTIONS = {
    **MATRIX_FUNCTIONS,
    "logsumexp": _logsumexp,
    "log_softmax": _log_softmax,
    "softmax": lambda value, axis: np.frompyfunc(sympy.exp, 1, 1)(_log_softmax(value, axis)),
    "det": _not_judged, "logdet": _not_judged, "inv": _not_judged,
}


LOG_DET = ("log(det(...)) leaves float64's range as matrices grow: det(0.01*eye(200)) is 1e-400, which is 0 in "
           "float64, and its log -inf, where logdet gives -921.034 from a factorisation")


@dataclass(frozen=True)
class Unstable:
    message: str                  # "unstable in float64: at z = [...] it gives inf but its exact value is ..."
    edits: tuple[tuple[int, int, str], ...]  # the stable form, as replacements in the formula (start, end, text)


def stability(formula: str, tree: Node, shapes: Mapping[str, Shape], definitions: Definitions,
              dtype: str = "float64") -> Unstable | None:
    """What to say when the formula is unstable in `dtype`; None when it is stable or cannot be judged."""
    edits = tuple(_rewrites(formula, tree))
    judged, expansion = _judged(tree, shapes, definitions, dtype)
    if judged is None or expansion is None or not judged.unstable:
        determinants = tuple(edit for edit in edits if edit[2].startswith("logdet("))
        if not determinants:
            return None
        fixed = _applied(formula, determinants)
        return Unstable(f"{LOG_DET}; a stable form is {fixed}", determinants)
    stable: str | None = _applied(formula, edits) if edits else None
    if stable is not None:
        better, _ = _judged(parse_tree(stable), shapes, definitions, dtype)
        if better is None or better.unstable:
            edits, stable = (), None
    accuracy = judged.accuracy
    detail = f"{accuracy.bits:.0f} bits of error on average over the domain"
    if accuracy.worst is not None:
        detail = (f"at {_point(expansion, accuracy.worst)} it gives {show(accuracy.value)} but its exact value is "
                  f"{show(accuracy.exact)} ({detail})")
    advice = f"; a stable form is {stable}" if stable is not None else ""
    return Unstable(f"unstable in {judged.dtype}: {detail}{advice}", edits)


def _judged(tree: Node, shapes: Mapping[str, Shape], definitions: Definitions,
            dtype: str) -> tuple[Stability | None, Expansion | None]:
    sizes = {letter: 2 for letter in bindings(shapes)[0]}
    expansion = Expansion(sizes, shapes, definitions, FLOAT_FUNCTIONS)
    try:
        value = expansion.expand(tree)
        if value.shape:
            return None, None
        return judge_stability(value[()], None, dtype), expansion
    except FAILURES:
        return None, None


def _point(expansion: Expansion, worst: Mapping[str, float]) -> str:
    """The point by the document's names: z = [710, 0.5], not z_0 = 710, z_1 = 0.5."""
    parts = []
    for name, grid in sorted(expansion.grids.items()):
        values = np.vectorize(lambda s: show(worst.get(s.name, 0.0)), otypes=[object])(grid)
        parts.append(f"{name} = {bracketed(values.tolist()) if grid.shape else values[()]}")
    return ", ".join(parts)


def _rewrites(formula: str, node: Node) -> Iterator[tuple[int, int, str]]:
    """The outermost hand-written patterns, each as (start, end, stable text), in the user's own text."""
    found = _stable_text(formula, node)
    if found is not None:
        yield node.start, node.end, found
        return
    args: list[Node | None] = list(node.args)
    if node.kind == "product":  # a*exp(z)/sum(exp(z))*t: the pair in the middle of a longer product
        for i, op in enumerate(node.value):
            top, bottom = args[i], args[i + 1]
            if op == "/" and (i == 0 or node.value[i - 1] == "*") and top is not None and bottom is not None:
                pair = Node("product", top.start, bottom.end, "/", (top, bottom))
                if (logits := _softmax_of(formula, pair)) is not None:
                    yield pair.start, pair.end, f"softmax({formula[logits.start:logits.end]})"
                    args[i] = args[i + 1] = None
        yield from _sigmoids(formula, node, args)
    for arg in args:
        if arg is not None:
            yield from _rewrites(formula, arg)


def _sigmoids(formula: str, node: Node, args: list[Node | None]) -> Iterator[tuple[int, int, str]]:
    """In a product, exp(u) over (exp(u) + 1) as sigmoid(u): a*exp(u)*b/(exp(u) + 1) is a*sigmoid(u)*b (inf/inf
    beyond u = 710 otherwise). The factors used are marked None in `args`."""
    for i, top in enumerate(args):
        if top is None or (i > 0 and node.value[i - 1] != "*") or (exponent := _call(top, "exp")) is None:
            continue
        for j in range(1, len(args)):
            bottom = args[j]
            if bottom is not None and node.value[j - 1] == "/" and _one_plus_exp(formula, bottom) == _words(
                    formula, exponent):
                yield top.start, top.end, f"sigmoid({formula[exponent.start:exponent.end]})"
                yield node.args[j - 1].end, bottom.end, ""
                args[i] = args[j] = None
                break


def _one_plus_exp(formula: str, node: Node) -> list[str] | None:
    """u's words when the node is 1 + exp(u) or exp(u) + 1."""
    if node.kind != "sum" or node.value != "+" or len(node.args) != 2:
        return None
    one, other = node.args if node.args[0].kind == "num" else node.args[::-1]
    exponent = _call(other, "exp")
    return _words(formula, exponent) if one.kind == "num" and one.value == "1" and exponent is not None else None


def _words(formula: str, node: Node) -> list[str]:
    return formula[node.start:node.end].split()


def _stable_text(formula: str, node: Node) -> str | None:
    def text(n: Node) -> str:
        return formula[n.start:n.end]

    if (inner := _call(node, "log")) is not None:
        if (matrix := _call(inner, "det")) is not None:
            return f"logdet({text(matrix)})"
        if (summed := _call(inner, "sum")) is not None and (exponent := _call(summed, "exp")) is not None:
            return f"logsumexp({text(exponent)})"
        if (logits := _softmax_of(formula, inner)) is not None:
            return f"log_softmax({text(logits)})"
        if inner.kind == "sum" and inner.value == "+":
            one, other = inner.args if inner.args[0].kind == "num" else inner.args[::-1]
            if one.kind == "num" and one.value == "1" and (exponent := _call(other, "exp")) is not None:
                return f"softplus({text(exponent)})"
    if (logits := _softmax_of(formula, node)) is not None and node.kind == "product":
        return f"softmax({text(logits)})"
    return None


def _call(node: Node, name: str) -> Node | None:
    """The argument of a call of `name` with one argument."""
    return node.args[0] if node.kind == "call" and node.value == name and not node.primes and len(node.args) == 1 \
        else None


def _softmax_of(formula: str, node: Node) -> Node | None:
    """z when the node is softmax(z) or exp(z)/sum(exp(z))."""
    if (logits := _call(node, "softmax")) is not None:
        return logits
    if node.kind != "product" or node.value != "/":
        return None
    exponent, summed = _call(node.args[0], "exp"), _call(node.args[1], "sum")
    below = _call(summed, "exp") if summed is not None else None
    if exponent is None or below is None:
        return None
    same = formula[exponent.start:exponent.end].split() == formula[below.start:below.end].split()
    return exponent if same else None


def with_stable_functions(formula: str) -> str:
    """The formula with its hand-written patterns replaced by the stable functions they compute (equal)."""
    return _applied(formula, tuple(_rewrites(formula, parse_tree(formula))))


def _applied(formula: str, edits: tuple[tuple[int, int, str], ...]) -> str:
    for start, end, replacement in sorted(edits, reverse=True):
        formula = formula[:start] + replacement + formula[end:]
    return formula
