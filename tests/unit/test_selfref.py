"""derivative_in_terms_of_function: g with f' = g(f), found by inversion, checked numerically."""
import pytest
import sympy

from neurogebra.numerics import exact_value
from neurogebra.parsing import symbol
from neurogebra.selfref import derivative_in_terms_of_function

x, y = symbol("x"), symbol("y")
f = symbol("f")
exp = sympy.exp
sigmoid = 1 / (1 + exp(-x))


def holds(g, expr, points=(-2.0, -0.3, 0.7, 1.9)):
    """g(expr(x)) - expr'(x) vanishes at 30 digits."""
    difference = g.xreplace({f: expr}) - sympy.diff(expr, x)
    return all(abs(exact_value(difference, (x,), (p,), 30)) < 1e-25 for p in points)


@pytest.mark.parametrize("expr, expected", [
    (sigmoid, f * (1 - f)),
    (sympy.tanh(x), 1 - f**2),
    (exp(x), f),
    (exp(x) / (1 + exp(x)), f * (1 - f)),
    (1 / (1 + exp(-2 * x)), 2 * f * (1 - f)),
    (exp(3 * x), 3 * f),
])
def test_known_self_referential_derivatives_are_found(expr, expected):
    g = derivative_in_terms_of_function(expr, "x")
    assert g is not None
    assert sympy.expand(g - expected) == 0
    assert holds(g, expr)


def test_found_beyond_the_usual_table():
    softplus = sympy.log(1 + exp(x))
    g = derivative_in_terms_of_function(softplus, x)
    assert g is not None and not g.has(x) and holds(g, softplus)


@pytest.mark.parametrize("expr", [x**2 + sympy.sin(x), x**3, sympy.sin(x), x * y,
                                  sympy.Abs(x), sympy.Max(x, 0), sympy.log(x)])
def test_none_when_there_is_no_simpler_form(expr):
    assert derivative_in_terms_of_function(expr, "x") is None


def test_the_name_stands_for_the_function():
    g = derivative_in_terms_of_function(sympy.tanh(x), "x", name="t")
    assert g == 1 - symbol("t")**2
    with pytest.raises(ValueError):
        derivative_in_terms_of_function(sympy.tanh(x), "x", name="x")
