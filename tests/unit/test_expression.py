"""Expression: evaluation, derivatives, calculus and arithmetic, as users of neurogebra know them."""
from __future__ import annotations

import numpy as np
import pytest
import sympy

from neurogebra import Expression, MathForge, ParseError
from neurogebra.parsing import symbol

x, y = symbol("x"), symbol("y")


def test_attributes():
    f = Expression("quadratic", "x**2 + 3*x + 2", metadata={"category": "demo"})
    assert f.name == "quadratic"
    assert f.symbolic_expr == x**2 + 3 * x + 2
    assert f.variables == [x]
    assert f.params == {} and f.trainable_params == []
    assert f.metadata == {"category": "demo"}
    assert f.formula == "x^{2} + 3 x + 2"
    assert repr(f) == "Expression('quadratic', x**2 + 3*x + 2)"
    assert str(f) == "quadratic(x) = x**2 + 3*x + 2"


def test_eval_keyword_positional_and_call():
    g = Expression("g", "x**2*y + 1")
    assert g.eval(x=2, y=3) == 13
    assert g.eval(2, 3) == 13
    assert g(2, y=3) == 13
    assert isinstance(g.eval(2, 3), int)
    assert g.eval(x=0.5, y=2) == pytest.approx(1.5)


def test_eval_broadcasts_arrays():
    g = Expression("g", "x*y")
    result = g.eval(x=np.arange(3.0), y=np.array([[1.0], [2.0]]))
    assert result.shape == (2, 3)
    np.testing.assert_allclose(result, [[0, 1, 2], [0, 2, 4]])
    constant = Expression("c", "x**2").gradient("x").gradient("x")
    np.testing.assert_allclose(constant.eval(x=np.zeros(4)), [2, 2, 2, 2])


def test_params_fill_in_and_keywords_override():
    leaky = Expression("leaky", "Max(alpha*x, x)", params={"alpha": 0.1}, trainable_params=["alpha"])
    assert leaky.inputs == [x]
    assert leaky.eval(x=-2) == pytest.approx(-0.2)
    assert leaky.eval(x=-2, alpha=0.5) == pytest.approx(-1.0)
    assert leaky.eval(-2) == pytest.approx(-0.2)
    with pytest.raises(ValueError, match="trainable parameters without a value"):
        Expression("bad", "a*x", trainable_params=["a"])


def test_missing_and_unknown_variables_are_errors_that_name_them():
    g = Expression("g", "x + y")
    with pytest.raises(TypeError, match="missing value for variable y"):
        g.eval(x=1)
    with pytest.raises(TypeError, match="missing value for variables x, y"):
        g.eval()
    with pytest.raises(TypeError, match=r"no variable 'z' \(its variables: x, y\)"):
        g.eval(x=1, y=2, z=3)
    with pytest.raises(TypeError, match="no variable 'y'.*did you mean yy"):
        Expression("h", "x + yy").eval(x=1, yy=2, y=3)
    with pytest.raises(TypeError, match="takes 2 positional"):
        g.eval(1, 2, 3)


def test_overflow_gives_inf_not_an_exception():
    assert Expression("e", "exp(x)").eval(x=1000) == float("inf")
    assert np.isnan(Expression("s", "exp(-x)/(1 + exp(-x))**2").eval(x=-800))
    assert Expression("p", "x**2").eval(x=1e200) == float("inf")


def test_gradient_names_chains_and_partials():
    f = Expression("quadratic", "x**2 + 3*x + 2")
    d = f.gradient("x")
    assert d.name == "d(quadratic)/dx" and d.symbolic_expr == 2 * x + 3
    third = Expression("cubic", "x**3").gradient("x").gradient("x").gradient("x")
    assert third.symbolic_expr == 6 and third.eval(x=5) == 6
    fourth = third.gradient("x")
    assert fourth.symbolic_expr == 0
    multi = Expression("multi", "x**2*y + x*y**2")
    assert multi.gradient("x").symbolic_expr == 2 * x * y + y**2
    assert multi.gradient(y).symbolic_expr == x**2 + 2 * x * y
    with pytest.raises(ValueError, match="no variable 'z'"):
        multi.gradient("z")


def test_gradient_with_respect_to_a_parameter():
    scaled = Expression("scaled", "w*x", params={"w": 2.0}, trainable_params=["w"])
    assert scaled.gradient("w").eval(x=3) == pytest.approx(3.0)


def test_kink_convention_relu_prime_of_zero_is_zero():
    relu_grad = Expression("relu", "Max(0, x)").gradient("x")
    assert relu_grad.symbolic_expr == sympy.Heaviside(x, 0)
    assert [relu_grad.eval(x=v) for v in (-1, 0, 2)] == [0, 0, 1]
    assert Expression("a", "Abs(x)").gradient("x").eval(x=0) == 0
    assert Expression("s", "sign(x)").gradient("x").symbolic_expr == 0
    assert Expression("p", "relu'(x)").eval(x=0) == 0  # prime notation in a formula takes it too


def test_integrate_simplify_expand_compose_clone():
    f = Expression("f", "2*x")
    assert f.integrate("x").symbolic_expr == x**2
    assert f.integrate("x", 0, 3).symbolic_expr == 9
    assert Expression("t", "sin(x)**2 + cos(x)**2").simplify().symbolic_expr == 1
    assert Expression("p", "(x + 1)**2").expand().symbolic_expr == x**2 + 2 * x + 1
    outer = Expression("outer", "x**2")
    composed = outer.compose(Expression("inner", "sin(y)"))
    assert composed.symbolic_expr == sympy.sin(y) ** 2 and composed.name == "outer∘inner"
    copy = f.clone("g")
    assert copy.name == "g" and copy.symbolic_expr == f.symbolic_expr and copy is not f
    with pytest.raises(ValueError, match="say which one"):
        Expression("two", "x*y").compose(f)


def test_arithmetic_with_expressions_and_numbers():
    f, g = Expression("f", "x**2"), Expression("g", "3*x")
    assert (f + g).symbolic_expr == x**2 + 3 * x
    assert (f - g).symbolic_expr == x**2 - 3 * x
    assert (f * 2).symbolic_expr == 2 * x**2
    assert (2 * f).name == "(2 * f)"
    assert (1 - f).symbolic_expr == 1 - x**2
    assert (f / g).symbolic_expr == x / 3
    assert (f**2).symbolic_expr == x**4
    assert (2**g).symbolic_expr == 2 ** (3 * x)
    assert (-f).symbolic_expr == -(x**2)
    assert (f + 0.5).eval(x=1) == pytest.approx(1.5)
    with pytest.raises(TypeError):
        f + "x"  # text is never parsed implicitly


def test_explain_levels():
    f = Expression("f", "x**3", metadata={"description": "a cube", "pros": ["smooth"]})
    assert "a cube" in f.explain()
    assert "∂/∂x = 3*x**2" in f.explain("intermediate") and "pros: smooth" in f.explain("intermediate")
    assert "LaTeX: x^{3}" in f.explain("advanced")
    with pytest.raises(ValueError):
        f.explain("expert")


def test_bad_formulas_raise_parse_error_and_text_is_never_run(tmp_path):
    sentinel = tmp_path / "pwned"
    with pytest.raises(ParseError):
        Expression("evil", f"__import__('os').system('touch {sentinel}')")
    assert not sentinel.exists()


def test_the_slope_of_a_power_of_an_abs_is_finite_where_the_abs_is_zero():
    distance = MathForge().get("minkowski_dist_elem").gradient("x")
    assert distance.eval(x=0.7, y=0.7) == 0.0  # p = 2: 2*|x - y|*sign(x - y), not 0/0
    assert distance.eval(x=0.7, y=0.3) == pytest.approx(0.8)


def test_the_imaginary_unit_of_a_2_5_11_formula_is_refused_where_it_stands_not_read_as_a_variable():
    text = "exp(I*mu*t - sigma**2*t**2/2)"  # 2.5.11's characteristic_normal, as SymPy printed it
    with pytest.raises(ParseError, match="imaginary unit") as raised:
        Expression("characteristic_normal", text)
    assert text[raised.value.offset:raised.value.offset + raised.value.length] == "I"
    assert Expression("f", "x*Ix + i").variables == [symbol("Ix"), symbol("i"), x]  # other names stay variables
