"""The held-out set of matrix derivatives (tests/corpus/matrix_set.py): every right claim is confirmed by mpmath
central differences of the formula, independently of the engine; then the engine must stay silent on every right
claim, call every wrong one an error, and show no closed form that the same confirmation rejects.

The confirmation evaluates the notation through its NumPy translation (neurogebra.analysis.matrix_code, itself
checked against float64 central differences in tests/unit/test_matrix_code.py) with NumPy's and SciPy's functions
replaced by mpmath's, entry by entry, at 40 digits."""
from __future__ import annotations

import random
import re
from types import SimpleNamespace

import mpmath
import numpy as np
import pytest

from neurogebra.analysis import Code, Engine, Settings, Severity
from neurogebra.analysis.matrix_code import NUMPY, as_code
from neurogebra.analysis.ngb import parse_statement
from neurogebra.syntax import parse_tree

from .matrix_set import CASES, MatrixCase

DIGITS = 40
STEP = mpmath.mpf("1e-12")
TOLERANCE = mpmath.mpf("1e-9")
SETTINGS = Settings(time_budget_ms=120_000)


def elementwise(function):
    return np.frompyfunc(function, 1, 1)


def _reduce(reduction):
    def reduced(value, axis=None, **_):
        return reduction(np.asarray(value, dtype=object), axis)
    return reduced


def _softmax(value, axis=None):
    value = np.asarray(value, dtype=object)
    shift = _logsumexp(value, axis, keep=True)
    return elementwise(mpmath.exp)(value - shift)


def _logsumexp(value, axis=None, keep=False):
    exps = elementwise(mpmath.exp)(np.asarray(value, dtype=object))
    total = np.sum(exps, axis=axis, keepdims=keep)
    return elementwise(mpmath.log)(total) if np.ndim(total) else mpmath.log(total)


def _matrix(value) -> mpmath.matrix:
    return mpmath.matrix(np.asarray(value, dtype=object).tolist())


def _array(matrix: mpmath.matrix) -> np.ndarray:
    return np.array(matrix.tolist(), dtype=object)


MP = SimpleNamespace(
    exp=elementwise(mpmath.exp), log=elementwise(mpmath.log), sqrt=elementwise(mpmath.sqrt),
    tanh=elementwise(mpmath.tanh), sin=elementwise(mpmath.sin), cos=elementwise(mpmath.cos),
    abs=elementwise(abs), log1p=elementwise(mpmath.log1p), expm1=elementwise(mpmath.expm1),
    outer=lambda a, b: np.multiply.outer(np.asarray(a, dtype=object), np.asarray(b, dtype=object)),
    trace=np.trace, diag=lambda v: np.diag(np.asarray(v, dtype=object)).astype(object),
    sum=_reduce(lambda v, axis: np.sum(v, axis=axis)),
    mean=_reduce(lambda v, axis: np.sum(v, axis=axis) / (v.size if axis is None else v.shape[axis])),
    maximum=np.frompyfunc(max, 2, 1),
    logaddexp=np.frompyfunc(lambda a, b: mpmath.log(mpmath.exp(a) + mpmath.exp(b)), 2, 1),
    linalg=SimpleNamespace(inv=lambda m: _array(mpmath.inverse(_matrix(m))), det=lambda m: mpmath.det(_matrix(m)),
                           norm=lambda v: mpmath.sqrt(np.sum(np.asarray(v, dtype=object) ** 2)),
                           slogdet=lambda m: (1, mpmath.log(abs(mpmath.det(_matrix(m)))))),
)
SCIPY = SimpleNamespace(special=SimpleNamespace(
    softmax=_softmax, log_softmax=lambda v, axis=None: np.asarray(v, dtype=object) - _logsumexp(v, axis, keep=True),
    logsumexp=_logsumexp, expit=elementwise(lambda u: 1 / (1 + mpmath.exp(-u)))))


def shapes_of(case: MatrixCase, sizes: dict[str, int]) -> dict[str, tuple[int, ...]]:
    found = {}
    for line in case.shapes:
        name, dims = re.fullmatch(r"@shape (\w+): \((.*)\)", line).groups()
        found[name] = tuple(sizes.get(d.strip(), 0) or int(d) for d in dims.split(",") if d.strip())
    return found


def draw(case: MatrixCase, seed: int) -> tuple[dict[str, int], dict[str, object]]:
    """Sizes (each letter 2 or 3) and values: entries in (-1, 1); the listed square matrices with their size plus
    one added to the diagonal (a positive determinant, and not symmetric, so that X and X.T differ)."""
    rng = random.Random(seed)
    letters = sorted({d.strip() for line in case.shapes for d in line.split("(")[1].rstrip(")").split(",")
                      if d.strip().isalpha()})
    sizes = {letter: rng.choice((2, 3)) for letter in letters}
    values: dict[str, object] = {}
    for name, shape in shapes_of(case, sizes).items():
        grid = np.empty(shape, dtype=object)
        for index in np.ndindex(*shape):
            grid[index] = mpmath.mpf(rng.uniform(-1, 1))
        if name in case.positive_definite:
            grid = grid + np.diag([mpmath.mpf(shape[0] + 1)] * shape[0]).astype(object)
        values[name] = grid
    return sizes, values


def evaluate(formula: str, sizes: dict[str, int], values: dict[str, object]):
    code = as_code(formula, NUMPY)
    assert code is not None, formula
    scope = {"np": MP, "scipy": SCIPY, **{k: mpmath.mpf(v) for k, v in sizes.items()}, **values}
    return eval(code, scope)  # noqa: S307 - code we generated from the set's own formulas, never a user's text


def numeric(body: str, variable: str, order: int, sizes, values):
    """The derivative by central differences: indices of the value, then of the variable (twice at order 2)."""
    def derivative(function, at):
        base = np.asarray(at[variable], dtype=object)
        first = np.asarray(function(at), dtype=object)
        result = np.empty(first.shape + base.shape, dtype=object)
        for index in np.ndindex(*base.shape):
            ahead, behind = base.copy(), base.copy()
            ahead[index] += STEP
            behind[index] -= STEP
            ahead_value = np.asarray(function({**at, variable: ahead if base.shape else ahead[()]}), dtype=object)
            behind_value = np.asarray(function({**at, variable: behind if base.shape else behind[()]}), dtype=object)
            for out in np.ndindex(*first.shape):
                result[out + index] = (ahead_value[out] - behind_value[out]) / (2 * STEP)
        return result

    def value(at):
        return evaluate(body, sizes, at)

    if order == 1:
        return derivative(value, values)
    return derivative(lambda at: derivative(value, at), values)


def confirmed(case: MatrixCase, claim: str, seed: int = 1) -> bool:
    """Whether the claim's right-hand side equals the derivative, entry by entry, at a random point."""
    syntax = parse_statement(claim)
    variable = syntax.wrt.name if syntax.wrt is not None else syntax.params[0].name
    body = case.definition.split(" = ", 1)[1]
    with mpmath.workdps(DIGITS):
        sizes, values = draw(case, seed)
        numbers = sorted({node.value for text in (body, syntax.formula) for node in parse_tree(text).walk()
                          if node.kind == "name" and node.value not in values and node.value not in sizes})
        rng = random.Random(seed)
        values.update({name: mpmath.mpf(rng.uniform(0.5, 1.5)) for name in numbers})  # keeps a**b real
        truth = numeric(body, variable, syntax.order, sizes, values)
        claimed = np.asarray(evaluate(syntax.formula, sizes, values), dtype=object)
        if claimed.shape != truth.shape:
            return False
        return all(abs(claimed[i] - truth[i]) <= TOLERANCE * max(1, abs(truth[i])) for i in np.ndindex(*truth.shape))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine()


def statements(engine: Engine, case: MatrixCase, claims: tuple[str, ...]):
    text = "\n".join((*case.shapes, case.definition, *claims)) + "\n"
    analysis = engine.analyze(text, "ngb", SETTINGS)
    return {s.text: s for s in analysis.statements}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_right_claim_is_the_derivative_and_each_wrong_one_is_not(case):
    assert confirmed(case, case.claim), case.claim
    for wrong in case.wrong:
        assert not confirmed(case, wrong), wrong


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_engine_is_silent_on_the_right_claim_and_calls_every_wrong_one_an_error(engine, case):
    found = statements(engine, case, (case.claim, *case.wrong))
    assert found[case.claim].diagnostics == ()
    for wrong in case.wrong:
        [error] = found[wrong].diagnostics
        assert error.severity == Severity.ERROR and error.code in (Code.GRADIENT_MISMATCH, Code.SHAPE_MISMATCH), (
            wrong, error.message)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_closed_form_shown_is_confirmed_independently(engine, case):
    definition = statements(engine, case, ())[case.definition]
    for derivative in definition.derivatives:
        name = case.definition.split("(")[0]
        assert confirmed(case, f"∇_{derivative.variable} {name} = {derivative.formula.plain}"), derivative.formula.plain
