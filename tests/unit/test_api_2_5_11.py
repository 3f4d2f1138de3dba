"""The API of neurogebra 2.5.11 (the package on PyPI), called as its users call it: every argument list of its
MathForge and Expression is accepted with the same meaning, and where 2.5.11 is wrong we are right.

The signatures below were read from 2.5.11 with `inspect.signature`; nothing here imports it."""
from __future__ import annotations

import inspect
import math
import os
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as pyplot  # the `plot` extra, which the `test` extra includes
import numpy as np
import pytest
import sympy
from matplotlib.figure import Figure

from neurogebra import Domain, Expression, MathForge, ParseError
from neurogebra.parsing import symbol

x = symbol("x")

# 2.5.11's defaults, by (class, method, parameter)
DEFAULTS_2_5_11 = {
    (MathForge, "get", "params"): None,
    (MathForge, "get", "trainable"): False,
    (MathForge, "list_all", "category"): None,
    (MathForge, "explain", "level"): "intermediate",
    (Expression, "__init__", "params"): None,
    (Expression, "__init__", "trainable_params"): None,
    (Expression, "__init__", "metadata"): None,
    (Expression, "explain", "level"): "intermediate",
    (Expression, "visualize", "n_points"): 500,
    (Expression, "visualize", "interactive"): False,
}


@pytest.fixture
def forge() -> MathForge:
    return MathForge()


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


# ---------------------------------------------------------------------------------------------- argument lists
@pytest.mark.parametrize(("owner", "method", "parameter"), list(DEFAULTS_2_5_11))
def test_defaults_are_2_5_11s(owner: type, method: str, parameter: str) -> None:
    assert inspect.signature(getattr(owner, method)).parameters[parameter].default == \
        DEFAULTS_2_5_11[owner, method, parameter]


def test_mathforge_takes_2_5_11s_argument_lists(forge: MathForge) -> None:
    leaky = forge.get(name="leaky_relu", params={"alpha": 0.2}, trainable=True)
    assert leaky.params == {"alpha": 0.2} and leaky.trainable_params == ["alpha"]
    assert "relu" in forge.list_all(category="activation")
    assert forge.search(query="relu")[0] == "relu"
    assert forge.compare(names=["relu", "sigmoid"]).count("|") > 0
    forge.register(name="my_cube", expression=Expression("my_cube", "x**3"))
    assert forge.get("my_cube").eval(2) == 8
    assert forge.compose("leaky_relu", alpha=0.3).eval(-2.0) == pytest.approx(-0.6)
    assert forge.explain(name="sigmoid", level="advanced").count("LaTeX") == 1


def test_expression_takes_2_5_11s_argument_lists() -> None:
    quadratic = Expression(name="q", symbolic_expr="a*x**2 + b", params={"a": 2.0, "b": 1.0},
                           trainable_params=["a"], metadata={"description": "a parabola"})
    assert quadratic.variables == [symbol("a"), symbol("b"), x]
    assert quadratic.trainable_params == ["a"] and quadratic.metadata == {"description": "a parabola"}
    assert quadratic.eval(3) == quadratic.eval(x=3) == 19
    assert quadratic.gradient(var="x").symbolic_expr == 2 * symbol("a") * x
    assert quadratic.integrate(var="x").gradient("x").simplify().symbolic_expr == quadratic.symbolic_expr
    assert quadratic.compose(other=Expression("inner", "sin(t)")).symbolic_expr == \
        symbol("a") * sympy.sin(symbol("t")) ** 2 + symbol("b")
    assert quadratic.clone().symbolic_expr == quadratic.symbolic_expr
    assert Expression("e", "(x + 1)**2").expand().symbolic_expr == x**2 + 2 * x + 1
    assert quadratic.formula == "a x^{2} + b"
    assert "a parabola" in quadratic.explain(level="beginner")
    assert isinstance(quadratic.visualize(x_range=(-1, 1), n_points=5, interactive=False), Figure)


def test_keywords_override_parameters_where_2_5_11_ignored_them() -> None:
    quadratic = Expression("q", "a*x**2", params={"a": 2.0})
    assert quadratic.eval(x=3, a=1) == 9  # 2.5.11: 18


# ---------------------------------------------------------------------------------------------- compose(**params)
def test_compose_params_set_the_entries_parameters(forge: MathForge) -> None:
    composed = forge.compose("huber + mse", delta=2.0)
    assert composed.params == {"delta": 2.0}
    expected = forge.get("huber", params={"delta": 2.0}).eval(3.0, 0.0) + forge.get("mse").eval(3.0, 0.0)
    assert composed.eval(y_pred=3.0, y_true=0.0) == pytest.approx(expected)
    assert forge.compose("mse + 0.1*l2", lam=0.5).eval(y_pred=1.0, y_true=0.0, w=2.0) == pytest.approx(1 + 0.1 * 2)


def test_compose_param_settles_two_defaults_of_one_name(forge: MathForge) -> None:
    with pytest.raises(ParseError, match=r"compose\(\.\.\., alpha="):
        forge.compose("leaky_relu + elu")
    composed = forge.compose("leaky_relu + elu", alpha=0.2)
    assert composed.params == {"alpha": 0.2}
    assert composed.eval(x=-1.0) == pytest.approx(-0.2 + 0.2 * np.expm1(-1.0))


def test_compose_unknown_param_is_an_error_that_says_what_exists(forge: MathForge) -> None:
    with pytest.raises(ValueError, match=r"leaky_relu has no parameter 'alpah' \(its parameters: alpha\); did you "
                                         r"mean alpha\?"):
        forge.compose("leaky_relu", alpah=0.2)
    with pytest.raises(ValueError, match="y_true is a variable: give its value when you evaluate"):
        forge.compose("mse", y_true=1.0)
    with pytest.raises(ValueError, match=r"no parameter 'delta' \(its parameters: none\)"):
        forge.compose("huber(y_pred, y_true, 2)", delta=3.0)  # a call fills the parameter in
    with pytest.raises(ValueError, match="no parameter 'formula'"):
        forge.compose("mse", formula=1.0)  # the formula is positional only: any name can be a parameter


# ---------------------------------------------------------------------------------------------- explain(level)
@pytest.mark.parametrize("name", ["sigmoid", "huber"])
def test_explain_levels_deepen(forge: MathForge, name: str) -> None:
    beginner, intermediate, advanced = (forge.explain(name, level) for level in
                                        ("beginner", "intermediate", "advanced"))
    assert forge.explain(name) == intermediate and forge.explain(name, "basic") == beginner
    assert "∂/∂" not in beginner and "pros:" not in beginner and "usage:" in beginner
    assert "∂/∂" in intermediate and "pros:" in intermediate and "LaTeX" not in intermediate
    assert "LaTeX" in advanced and "∂²/∂" in advanced
    for shallower, deeper in ((beginner, intermediate), (intermediate, advanced)):
        assert set(shallower.splitlines()) < set(deeper.splitlines())
    assert f"call: {forge.get(name).name}(" in beginner  # every level opens with the catalog facts


def test_explain_refuses_an_unknown_level(forge: MathForge) -> None:
    with pytest.raises(ValueError, match="did you mean beginner"):
        forge.explain("relu", level="begginer")
    with pytest.raises(ValueError, match="level is one of beginner, intermediate, advanced"):
        Expression("f", "x").explain("expert")  # 2.5.11 answers any word as if it were "beginner"


# ---------------------------------------------------------------------------------------------- operators
def test_arithmetic_refuses_one_parameter_with_two_values(forge: MathForge) -> None:
    with pytest.raises(ValueError, match="parameter 'alpha' is 1.0 in elu but 0.01 in leaky_relu"):
        forge.get("elu") + forge.get("leaky_relu")  # 2.5.11 keeps the right one's, silently
    with pytest.raises(ValueError, match="parameter 'alpha'"):
        forge.get("sigmoid").compose(forge.get("leaky_relu")).compose(forge.get("elu"))
    same = Expression("f", "alpha*x", params={"alpha": 2.0}) + Expression("g", "alpha*y", params={"alpha": 2.0})
    assert same.params == {"alpha": 2.0}


def test_operators_of_2_5_11_and_the_reflected_ones() -> None:
    f = Expression("f", "a*x", params={"a": 3.0})
    for result, expected in ((f + 1, 3 * 2 + 1), (1 + f, 1 + 3 * 2), (f - 1, 3 * 2 - 1), (1 - f, 1 - 3 * 2),
                             (f * 2, 3 * 2 * 2), (2 * f, 2 * 3 * 2), (f / 4, 3 * 2 / 4), (12 / f, 12 / (3 * 2)),
                             (f**2, (3 * 2) ** 2), (2**f, 2 ** (3 * 2)), (-f, -(3 * 2))):
        assert result.eval(x=2.0) == pytest.approx(expected) and result.params == {"a": 3.0}
    assert f(2.0) == f.eval(2.0)


# ---------------------------------------------------------------------------------------------- visualize
def lines_of(figure: Figure) -> list:
    (axes,) = figure.axes
    return axes.lines


def test_visualize_plots_the_function_over_its_domain(forge: MathForge) -> None:
    figure = forge.get("sigmoid").visualize()
    assert isinstance(figure, Figure)
    (curve,) = lines_of(figure)
    xs, ys = curve.get_xdata(), curve.get_ydata()
    assert len(xs) == 500 and (xs[0], xs[-1]) == (-5.0, 5.0)  # the real line, cut to 2.5.11's (-5, 5)
    np.testing.assert_allclose(ys, sigmoid(xs), rtol=1e-12)
    assert figure.axes[0].get_title() == "sigmoid" and figure.axes[0].get_xlabel() == "x"


def test_visualize_stays_inside_the_domain(forge: MathForge) -> None:
    root = Expression("root", "sqrt(x)", metadata={"domain": {"x": Domain(0.0, math.inf)}})
    (curve,) = lines_of(root.visualize(n_points=50))
    xs = curve.get_xdata()
    assert 0 < xs[0] < 0.01 and xs[-1] == 5.0  # x in (0, inf): 2.5.11 plots (-5, 5) and gets NaN for half of it
    np.testing.assert_allclose(curve.get_ydata(), np.sqrt(xs), rtol=1e-12)
    (loss,) = lines_of(forge.get("bce").visualize(var="y_pred", y_true=1.0, n_points=50))
    assert 0 < loss.get_xdata()[0] < 0.01 and 0.99 < loss.get_xdata()[-1] < 1  # y_pred in (0, 1)
    np.testing.assert_allclose(loss.get_ydata(), -np.log(loss.get_xdata()), rtol=1e-12)
    (logarithm,) = lines_of(Expression("l", "log(x)").visualize(n_points=20))  # no domain: where it is finite
    assert logarithm.get_xdata()[0] > 0 and np.isfinite(logarithm.get_ydata()).all()


def test_visualize_with_its_derivative(forge: MathForge) -> None:
    function, derivative = lines_of(forge.get("sigmoid").visualize(x_range=(-2, 3), n_points=11,
                                                                  show_derivative=True))
    xs = function.get_xdata()
    np.testing.assert_allclose(xs, np.linspace(-2, 3, 11))
    np.testing.assert_allclose(derivative.get_xdata(), xs)
    np.testing.assert_allclose(derivative.get_ydata(), sigmoid(xs) * (1 - sigmoid(xs)), rtol=1e-12)
    assert derivative.get_linestyle() == "--" and derivative.get_label().startswith("sigmoid′(x)")


def test_visualize_one_input_of_several_with_the_others_given(forge: MathForge) -> None:
    function, derivative = lines_of(forge.get("mse").visualize(var="y_pred", y_true=1.0, n_points=9,
                                                               show_derivative=True))
    xs = function.get_xdata()
    np.testing.assert_allclose(function.get_ydata(), (xs - 1) ** 2, rtol=1e-12)
    np.testing.assert_allclose(derivative.get_ydata(), 2 * (xs - 1), rtol=1e-12)
    with pytest.raises(ValueError, match=r"mse has inputs y_pred, y_true: .*visualize\(var='y_pred', y_true=0.0\)"):
        forge.get("mse").visualize()  # 2.5.11 draws a line of zeros against an x mse does not have


def test_visualize_keywords_override_parameters(forge: MathForge) -> None:
    (curve,) = lines_of(forge.get("leaky_relu").visualize(x_range=(-2, 2), n_points=5, alpha=0.5))
    np.testing.assert_allclose(curve.get_ydata(), [-1.0, -0.5, 0.0, 1.0, 2.0])  # 2.5.11 ignores alpha=0.5


def test_visualize_a_constant_is_flat_and_its_derivative_zero() -> None:
    function, derivative = lines_of(Expression("c", "3").visualize(n_points=4, show_derivative=True))
    assert list(function.get_ydata()) == [3.0] * 4 and list(derivative.get_ydata()) == [0.0] * 4
    (slope,) = lines_of(Expression("line", "2*x").gradient("x").visualize(n_points=3))
    assert list(slope.get_ydata()) == [2.0] * 3


def test_visualize_labels_and_layout(forge: MathForge) -> None:
    figure = forge.get("sigmoid").visualize(title="T", xlabel="X", ylabel="Y", figsize=(4, 3), show_grid=False)
    (axes,) = figure.axes
    assert (axes.get_title(), axes.get_xlabel(), axes.get_ylabel()) == ("T", "X", "Y")
    assert tuple(figure.get_size_inches()) == (4.0, 3.0)
    assert not any(line.get_visible() for line in axes.get_xgridlines())
    assert axes.lines[0].get_label() == r"sigmoid(x) = $\frac{1}{1 + e^{- x}}$"
    (piecewise,) = lines_of(Expression("step", "Piecewise((x, x > 0), (0, True))").visualize())
    assert piecewise.get_label() == "step(x)"  # mathtext has no `cases`: no formula rather than a crash
    (bare,) = lines_of(forge.get("sigmoid").visualize(show_formula=False))
    assert bare.get_label() == "sigmoid(x)"
    figure.savefig(Path(os.devnull), format="png")  # every label renders


def test_visualize_draws_on_a_given_axes_and_leaves_no_figure_in_pyplot(forge: MathForge) -> None:
    open_before = pyplot.get_fignums()
    forge.get("tanh").visualize()
    assert pyplot.get_fignums() == open_before
    figure, (left, right) = pyplot.subplots(1, 2)
    try:
        assert forge.get("tanh").visualize(ax=right) is figure
        assert len(right.lines) == 1 and len(left.lines) == 0
        assert figure.number in pyplot.get_fignums()  # the caller's figure stays theirs
    finally:
        pyplot.close(figure)


def test_visualize_show_hands_the_figure_to_pyplot(forge: MathForge, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[list[int]] = []
    monkeypatch.setattr(pyplot, "show", lambda: shown.append(pyplot.get_fignums()))
    figure = forge.get("relu").visualize(show=True)
    try:
        assert len(shown) == 1 and figure.number in shown[0]
    finally:
        pyplot.close(figure)


def test_visualize_refuses_what_it_cannot_do(forge: MathForge) -> None:
    sig = forge.get("sigmoid")
    with pytest.raises(ValueError, match="plotly"):
        sig.visualize(interactive=True)
    with pytest.raises(TypeError, match="did you mean show_derivative"):
        sig.visualize(show_derivatve=True)
    with pytest.raises(ValueError, match="no variable 'z'"):
        sig.visualize(var="z")
    with pytest.raises(ValueError, match="x is on the x axis"):
        sig.visualize(x=1.0)
    for n_points in (1, 2.5, True):
        with pytest.raises(ValueError, match="n_points"):
            sig.visualize(n_points=n_points)
    for x_range in ((1, -1), (0, float("inf")), (2, 2)):
        with pytest.raises(ValueError, match="x_range"):
            sig.visualize(x_range=x_range)
    with pytest.raises(ValueError, match="no finite value for x in"):
        Expression("n", "log(-1 - x**2)").visualize()


def test_visualize_without_matplotlib_says_how_to_install_it(forge: MathForge,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("matplotlib", "matplotlib.pyplot"):
        monkeypatch.setitem(sys.modules, module, None)  # `import matplotlib.pyplot` now raises ImportError
    with pytest.raises(ImportError, match=r"needs matplotlib, an optional extra: pip install 'neurogebra\[plot\]'"):
        forge.get("sigmoid").visualize()


def test_visualize_without_a_display_uses_agg(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")}
    image = tmp_path / "sigmoid.png"
    script = ("import matplotlib, neurogebra\n"
              "figure = neurogebra.MathForge().get('sigmoid').visualize(show_derivative=True)\n"
              f"figure.savefig({str(image)!r})\n"
              "print(matplotlib.get_backend())\n")
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip().lower() == "agg"
    assert image.read_bytes().startswith(b"\x89PNG")
