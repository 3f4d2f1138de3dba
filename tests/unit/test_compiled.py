"""Compiling skips common-subexpression elimination where it could find nothing: that must never change what
is compiled."""
import numpy as np
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy.simplify.cse_main import cse

from neurogebra.compiled import compile_numpy, may_share_work
from neurogebra.forge import MathForge

x, y, z = sympy.symbols("x y z", real=True)
LEAVES = st.sampled_from([x, y, z, sympy.Integer(2), sympy.Integer(-3), sympy.Rational(1, 2), sympy.sqrt(2)])
FUNCTIONS = (sympy.exp, sympy.log, sympy.tanh, sympy.sin, sympy.sqrt, sympy.Abs)


def combined(children):
    pairs = st.tuples(children, children)
    return st.one_of(
        pairs.map(lambda p: p[0] + p[1]), pairs.map(lambda p: p[0] - p[1]), pairs.map(lambda p: p[0] * p[1]),
        st.tuples(children, st.sampled_from([2, -1, -2, sympy.Rational(1, 2)])).map(lambda p: p[0] ** p[1]),
        st.tuples(st.sampled_from(FUNCTIONS), children).map(lambda p: p[0](p[1])),
        st.tuples(children, children).map(lambda p: sympy.Piecewise((p[0], x > 0), (p[1], True))))


FORMULAS = st.recursive(LEAVES, combined, max_leaves=14)


def nothing_to_eliminate(expr: sympy.Expr) -> bool:
    replacements, reduced = cse(expr, list=False)
    return not replacements and reduced == expr


@settings(max_examples=400, deadline=None)
@given(FORMULAS)
def test_a_formula_said_to_share_nothing_is_left_as_it_is_by_cse(expr):
    assert may_share_work(expr) or nothing_to_eliminate(expr)


def test_catalog_formulas_and_their_derivatives_said_to_share_nothing_are_left_as_they_are():
    forge = MathForge()
    skipped = 0
    for name in forge.list_all():
        expr = forge.get(name).symbolic_expr
        variables = sorted(expr.free_symbols, key=lambda s: s.name)[:2]
        for formula in (expr, *(sympy.diff(expr, v) for v in variables)):
            if not may_share_work(formula):
                skipped += 1
                assert nothing_to_eliminate(formula), (name, formula)
    assert skipped > 100  # the saving is real: many formulas skip it


def test_shared_pieces_up_to_sign_are_found():
    assert may_share_work(sympy.tanh(x + y) * sympy.exp(-x - y))           # x + y, once negated
    assert may_share_work(x**2 * y + 1 / x**2)                              # x**2 and its reciprocal
    assert may_share_work((x + y + 1) * (x + y + z))                        # two sums with x and y
    assert not may_share_work(2 * x**2 + 3 * x + 2)


def test_a_formula_with_shared_pieces_still_compiles_to_the_same_values():
    expr = sympy.tanh(x + y) * sympy.exp(-x - y) + 1 / (x + y) ** 2
    function = compile_numpy(expr, (x, y))
    points = np.array([[0.5, 0.25], [2.0, -1.0], [-3.0, 1.5]])
    expected = [float(expr.subs({x: a, y: b})) for a, b in points]
    assert np.allclose(function(points[:, 0], points[:, 1]), expected, rtol=1e-14)
