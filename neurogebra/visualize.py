"""Expression.visualize: a matplotlib figure of a function of one variable (and its derivative), over its domain.

matplotlib is an optional extra (`pip install 'neurogebra[plot]'`), imported only here and only when a plot is asked
for. Figures are made through pyplot, so a notebook shows them and a machine without a display gets matplotlib's
non-interactive Agg backend, then closed in pyplot (unless shown): the figure returned is the caller's alone."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
import sympy

from neurogebra.plot_range import finite_region, plot_window
from neurogebra.suggest import did_you_mean

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from neurogebra.expression import Expression

INSTALL_HINT = "Expression.visualize needs matplotlib, an optional extra: pip install 'neurogebra[plot]'"
OPTIONS = ("var", "show_derivative", "title", "xlabel", "ylabel", "figsize", "show_grid", "show_formula", "ax",
           "show")
CONSTANT_AXIS = "x"  # what a function of no variable is drawn against


def plot_expression(expression: Expression, x_range: tuple[float, float] | None = None, n_points: int = 500,
                    interactive: bool = False, *, var: str | None = None, show_derivative: bool = False,
                    title: str | None = None, xlabel: str | None = None, ylabel: str | None = None,
                    figsize: tuple[float, float] = (8.0, 5.0), show_grid: bool = True, show_formula: bool = True,
                    ax: Axes | None = None, show: bool = False, **values: float) -> Figure:
    """`expression` against `var` (its only input unless named) at `n_points` points of `x_range`, by default its
    domain cut to (-5, 5) and narrowed to where it is finite; `values` give the other inputs (and may override
    parameters). The derivative is drawn dashed when `show_derivative`. Drawn on `ax` when given, else on a new
    figure of `figsize`; `show=True` also opens it with pyplot.show(). Returns the Figure."""
    if interactive:
        raise ValueError("interactive=True asks for a plotly figure, which neurogebra does not make: visualize returns "
                         "a matplotlib Figure (in Jupyter, %matplotlib widget makes it zoomable)")
    if isinstance(n_points, bool) or not isinstance(n_points, int) or n_points < 2:
        raise ValueError(f"n_points is a whole number of at least 2, not {n_points!r}")
    variable = _variable(expression, var, values)
    function = _curve(expression, variable, values)
    lo, hi = _x_range(expression, variable, function, x_range)
    xs = np.linspace(lo, hi, n_points)
    pyplot = _pyplot()
    axes = pyplot.figure(figsize=figsize).add_subplot() if ax is None else ax
    figure = axes.get_figure(root=True)
    if figure is None:
        raise ValueError("ax is in no figure")
    axes.plot(xs, function(xs), label=_label(expression.name, variable, expression.symbolic_expr, show_formula))
    if show_derivative:
        derivative, slope = _derivative(expression, variable, values)
        axes.plot(xs, slope(xs), linestyle="--",
                  label=_label(f"{expression.name}′", variable, derivative, show_formula))
    axes.set_title(expression.name if title is None else title)
    axes.set_xlabel(variable if xlabel is None else xlabel)
    if ylabel is not None or not show_derivative:
        axes.set_ylabel(f"{expression.name}({variable})" if ylabel is None else ylabel)
    axes.grid(show_grid)
    if show_formula or show_derivative:
        axes.legend()
    if show:
        pyplot.show()
    elif ax is None:
        pyplot.close(figure)  # the caller's figure, not pyplot's: a notebook shows it once, as the cell's value
    return figure


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as pyplot
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error
    return pyplot


def _names(expression: Expression) -> list[str]:
    """What `eval` takes: the variables (a derivative keeps those of its function) and parameters."""
    return sorted({*(s.name for s in expression.variables), *(s.name for s in expression.inputs), *expression.params})


def _variable(expression: Expression, var: str | None, values: dict[str, float]) -> str:
    """The variable on the x axis, checked; the keywords in `values` must be other variables."""
    names = _names(expression)
    inputs = [s.name for s in expression.inputs]
    for key in values:
        if key not in names:
            close = did_you_mean(key, [*names, *OPTIONS])
            hint = f"; did you mean {close[0]}?" if close else ""
            raise TypeError(f"{expression.name} has no variable {key!r} and visualize no option {key!r} (its "
                            f"variables: {', '.join(names) or 'none'}){hint}")
    if var is None:
        if len(inputs) > 1:
            raise ValueError(f"{expression.name} has inputs {', '.join(inputs)}: say which one goes on the x axis "
                             f"and give the others values, e.g. visualize(var={inputs[0]!r}, {inputs[1]}=0.0)")
        var = inputs[0] if inputs else CONSTANT_AXIS
    elif var not in names and names:  # a function of no variable may be drawn against any name
        close = did_you_mean(var, names)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ValueError(f"{expression.name} has no variable {var!r} (its variables: {', '.join(names)}){hint}")
    if var in values:
        raise ValueError(f"{var} is on the x axis: it takes no value")
    return var


def _curve(expression: Expression, variable: str, values: dict[str, float]) -> Callable[[np.ndarray], np.ndarray]:
    """The expression's values at an array of points of `variable`, the other variables at `values`."""
    if variable not in _names(expression):
        constant = float(expression.eval(**values))  # a function of no variable: flat across the axis
        return lambda xs: np.full(xs.shape, constant)
    return lambda xs: np.asarray(expression.eval(**{**values, variable: xs}), dtype=np.float64)


def _derivative(expression: Expression, variable: str,
                values: dict[str, float]) -> tuple[sympy.Expr, Callable[[np.ndarray], np.ndarray]]:
    """The derivative in `variable` and its values at an array of points."""
    if variable not in _names(expression):
        return sympy.Integer(0), lambda xs: np.zeros(xs.shape)
    derivative = expression.gradient(variable)
    return derivative.symbolic_expr, _curve(derivative, variable, values)


def _x_range(expression: Expression, variable: str, function: Callable[[np.ndarray], np.ndarray],
             x_range: tuple[float, float] | None) -> tuple[float, float]:
    if x_range is not None:
        lo, hi = (float(end) for end in x_range)
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise ValueError(f"x_range is (low, high) with finite low < high, not {tuple(x_range)!r}")
        return lo, hi
    window = plot_window(expression.metadata.get("domain", {}).get(variable))
    region = finite_region(function, *window)
    if region is None:
        raise ValueError(f"{expression.name} has no finite value for {variable} in [{window[0]:g}, {window[1]:g}]: "
                         f"give x_range")
    return region


def _label(name: str, variable: str, expr: sympy.Expr, show_formula: bool) -> str:
    """`name(variable) = formula`, the formula typeset where matplotlib's mathtext can (it has no `cases`)."""
    label = f"{name}({variable})"
    if not show_formula:
        return label
    from matplotlib.mathtext import MathTextParser

    formula = f"${sympy.latex(expr)}$"
    try:
        MathTextParser("path").parse(formula)
    except ValueError:
        return label
    return f"{label} = {formula}"
