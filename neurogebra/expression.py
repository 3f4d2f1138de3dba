"""Expression: a named formula with parameters, exact derivatives and fast compiled evaluation."""
from __future__ import annotations

import numbers
import operator
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping

import numpy as np
import sympy

from neurogebra.calculus import differentiate
from neurogebra.compiled import compile_numpy, evaluate_numpy
from neurogebra.numerics import to_sympy
from neurogebra.parsing import parse_formula, symbol
from neurogebra.suggest import did_you_mean

if TYPE_CHECKING:
    from matplotlib.figure import Figure

EXACT_INTEGER_LIMIT = 2**53
EXPLAIN_LEVELS = ("beginner", "basic", "intermediate", "advanced")  # basic: our name for beginner before 2.5.11's
ARITHMETIC = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": operator.pow}


class Expression:
    """A named formula. `params` fill in their variables at evaluation; keywords override them."""

    def __init__(self, name: str, symbolic_expr: str | sympy.Expr | float, params: Mapping[str, float] | None = None,
                 trainable_params: Iterable[str] | None = None, metadata: Mapping[str, Any] | None = None,
                 *, signature: Iterable[str] = (), synonyms: Mapping[str, str] | None = None) -> None:
        """`symbolic_expr` is formula text (parsed by our parser) or a SymPy expression. `signature` orders the
        variables that positional `eval` arguments bind to (the rest follow, sorted). `synonyms` are other names
        keywords and the calculus methods accept for variables (neurogebra 2.5.11's: lambda_reg for lam)."""
        if not isinstance(name, str):
            raise TypeError("an Expression's name is text")
        self.name = name
        self._expr = parse_formula(symbolic_expr) if isinstance(symbolic_expr, str) else to_sympy(symbolic_expr)
        self.params: dict[str, float] = {str(k): v for k, v in (params or {}).items()}
        self.trainable_params: list[str] = list(trainable_params or [])
        unknown = [p for p in self.trainable_params if p not in self.params]
        if unknown:
            raise ValueError(f"trainable parameters without a value: {', '.join(unknown)}")
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.variables: list[sympy.Symbol] = sorted(self._expr.free_symbols, key=lambda s: s.name)
        names = {s.name for s in self.variables}
        given = tuple(dict.fromkeys(signature))  # a given call order is kept (mse(y_pred, y_true))
        self._signature: tuple[str, ...] = given + tuple(sorted(names - set(given)))
        self._all_names = tuple(sorted(set(self._signature) | set(self.params)))
        self._all_symbols = tuple(symbol(n) for n in self._all_names)
        self._known = frozenset(self._all_names)
        self._input_names = tuple(n for n in self._signature if n not in self.params)
        self.synonyms: dict[str, str] = {old: new for old, new in (synonyms or {}).items() if new in self._known}
        self._compiled: Callable | None = None

    # ------------------------------------------------------------------------------------------ views
    @property
    def symbolic_expr(self) -> sympy.Expr:
        return self._expr

    @property
    def inputs(self) -> list[sympy.Symbol]:
        """The variables that are not parameters, in order: what positional `eval` arguments bind to."""
        return [symbol(n) for n in self._input_names]

    @property
    def formula(self) -> str:
        return sympy.latex(self._expr)

    def __repr__(self) -> str:
        return f"Expression({self.name!r}, {self._expr})"

    def __str__(self) -> str:
        args = ", ".join(s.name for s in self.inputs)
        return f"{self.name}({args}) = {self._expr}"

    # ------------------------------------------------------------------------------------------ evaluation
    def eval(self, *args: Any, **kwargs: Any) -> Any:
        """Evaluate at numbers or NumPy arrays (which broadcast). Integer inputs with an integer result give an
        int; otherwise floats or arrays. Overflow yields inf/NaN, never an exception."""
        values = self._bind(args, kwargs)
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = compile_numpy(self._expr, self._all_symbols)
        if any(isinstance(v, (np.ndarray, list, tuple)) for v in values):
            arrays = [np.asarray(v, dtype=np.float64) for v in values]
            result = np.asarray(evaluate_numpy(compiled, *arrays), dtype=np.float64)
            shape = np.broadcast_shapes(*(a.shape for a in arrays))
            if result.shape == shape and not any(np.may_share_memory(result, a) for a in arrays):
                return result  # already a fresh array of the right shape
            return np.broadcast_to(result, shape).copy()
        result = evaluate_numpy(compiled, *map(np.float64, values))
        return self._scalar(result, values)

    __call__ = eval

    def _bind(self, args: tuple, kwargs: dict) -> list[Any]:
        """The values of every symbol, in `_all_symbols` order."""
        inputs = self._input_names
        if len(args) > len(inputs):
            raise TypeError(f"{self.name} takes {len(inputs)} positional value(s) ({', '.join(inputs) or 'none'}), "
                            f"got {len(args)}")
        values = {**self.params, **dict(zip(inputs, args))} if args else dict(self.params)
        if self.synonyms:
            kwargs = self.own_names(kwargs, TypeError)
        for key in kwargs:
            if key not in self._known:
                close = did_you_mean(key, sorted(self._known))
                hint = f"; did you mean {close[0]}?" if close else ""
                raise TypeError(f"{self.name} has no variable {key!r} (its variables: "
                                f"{', '.join(sorted(self._known)) or 'none'}){hint}")
        values.update(kwargs)
        try:
            return [values[name] for name in self._all_names]
        except KeyError:
            missing = [n for n in self._signature if n not in values]
            raise TypeError(f"missing value for variable{'s' if len(missing) > 1 else ''} "
                            f"{', '.join(missing)} in {self.name}") from None

    def own_names(self, values: Mapping[str, Any], error: type[Exception] = ValueError) -> dict[str, Any]:
        """`values` with synonyms replaced by the names they stand for; a variable given under both is an error."""
        own: dict[str, Any] = {}
        for key, value in values.items():
            name = self.synonyms.get(key, key)
            if name in own:
                raise error(f"{self.name}: {name} is given twice ({key} is another name for it)")
            own[name] = value
        return own

    @staticmethod
    def _scalar(result: Any, inputs: Iterable[Any]) -> int | float:
        value = float(result)
        exact_inputs = all(isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in inputs)
        if exact_inputs and value.is_integer() and abs(value) < EXACT_INTEGER_LIMIT:
            return int(value)
        return value

    # ------------------------------------------------------------------------------------------ calculus
    def _derived(self, name: str, expr: sympy.Expr, **metadata: Any) -> "Expression":
        return Expression(name, expr, self.params, self.trainable_params, {**self.metadata, **metadata},
                          signature=self._signature, synonyms=self.synonyms)

    def _symbol(self, var: str | sympy.Symbol) -> sympy.Symbol:
        name = var.name if isinstance(var, sympy.Symbol) else var
        if not isinstance(name, str):
            raise TypeError("a variable is named by text or a Symbol")
        name = self.synonyms.get(name, name)
        if name not in self._known:
            close = did_you_mean(name, sorted(self._known))
            hint = f"; did you mean {close[0]}?" if close else ""
            raise ValueError(f"{self.name} has no variable {name!r} (its variables: "
                             f"{', '.join(sorted(self._known)) or 'none'}){hint}")
        return symbol(name)

    def gradient(self, var: str | sympy.Symbol) -> "Expression":
        """The partial derivative with respect to `var`, as a new Expression named d(name)/dvar."""
        variable = self._symbol(var)
        return self._derived(f"d({self.name})/d{variable.name}", differentiate(self._expr, variable))

    def integrate(self, var: str | sympy.Symbol, lower: Any = None, upper: Any = None) -> "Expression":
        variable = self._symbol(var)
        if (lower is None) != (upper is None):
            raise ValueError("give both bounds or neither")
        if lower is None:
            return self._derived(f"∫{self.name} d{variable.name}", sympy.integrate(self._expr, variable))
        bounds = (variable, to_sympy(lower), to_sympy(upper))
        return self._derived(f"∫{self.name} d{variable.name}", sympy.integrate(self._expr, bounds))

    def simplify(self) -> "Expression":
        return self._derived(self.name, sympy.simplify(self._expr))

    def expand(self) -> "Expression":
        return self._derived(self.name, sympy.expand(self._expr))

    def compose(self, other: "Expression | sympy.Expr | float", var: str | None = None) -> "Expression":
        """self(other): `other` replaces the input variable `var` (needed when self has several inputs)."""
        inputs = [s.name for s in self.inputs]
        if var is None:
            if len(inputs) != 1:
                raise ValueError(f"{self.name} has inputs {', '.join(inputs) or 'none'}: say which one with var=")
            var = inputs[0]
        inner = to_sympy(other)
        params = self._params_with(other)
        trainable = list(self.trainable_params)
        if isinstance(other, Expression):
            trainable += [p for p in other.trainable_params if p not in trainable]
        other_name = other.name if isinstance(other, Expression) else str(inner)
        return Expression(f"{self.name}∘{other_name}", self._expr.xreplace({self._symbol(var): inner}),
                          params, trainable, self.metadata)

    def clone(self, name: str | None = None) -> "Expression":
        return Expression(name or self.name, self._expr, self.params, self.trainable_params, self.metadata,
                          signature=self._signature)

    def explain(self, level: str = "intermediate") -> str:
        """Text for people: "beginner" (or "basic") gives the formula, description, parameters and usage;
        "intermediate" adds first derivatives, pros and cons; "advanced" adds LaTeX and second derivatives."""
        if level not in EXPLAIN_LEVELS:
            close = did_you_mean(level, list(EXPLAIN_LEVELS)) if isinstance(level, str) else []
            hint = f"; did you mean {close[0]}?" if close else ""
            raise ValueError(f"level is one of beginner, intermediate, advanced, not {level!r}{hint}")
        lines = [f"{self.name}({', '.join(s.name for s in self.inputs)}) = {self._expr}"]
        if self.metadata.get("description"):
            lines.append(str(self.metadata["description"]))
        if self.params:
            lines.append("parameters: " + ", ".join(f"{k} = {v}" for k, v in self.params.items()))
        shown_keys = ["usage"]
        if level in ("intermediate", "advanced"):
            for variable in self.inputs:
                lines.append(f"∂/∂{variable.name} = {differentiate(self._expr, variable)}")
            shown_keys += ["pros", "cons"]
        for key in shown_keys:
            if self.metadata.get(key):
                value = self.metadata[key]
                shown = "; ".join(value) if isinstance(value, (list, tuple)) else str(value)
                lines.append(f"{key}: {shown}")
        if level == "advanced":
            lines.append(f"LaTeX: {self.formula}")
            for variable in self.inputs:
                lines.append(f"∂²/∂{variable.name}² = {differentiate(self._expr, variable, 2)}")
        return "\n".join(lines)

    def visualize(self, x_range: tuple[float, float] | None = None, n_points: int = 500, interactive: bool = False,
                  **options: Any) -> Figure:
        """A matplotlib Figure of this function against its input at `n_points` points of `x_range` (by default its
        domain, cut to (-5, 5) where infinite and narrowed to where it is finite). Options: var (the input on the
        x axis, needed with several; give the others values as keywords, e.g. `y_true=0.0`), show_derivative,
        title, xlabel, ylabel, figsize, show_grid, show_formula, ax (an Axes to draw on), show (pyplot.show() it).
        `interactive=True` (a plotly figure in neurogebra 2.5.11) is refused. Needs `pip install 'neurogebra[plot]'`."""
        from neurogebra.visualize import plot_expression

        return plot_expression(self, x_range, n_points, interactive, **options)

    # ------------------------------------------------------------------------------------------ arithmetic
    def _params_with(self, other: Any) -> dict[str, float]:
        """The parameters of self and other together: one symbol holds one value, so a name with two values is
        an error, not a silent pick of one of them."""
        params = dict(self.params)
        for key, value in (other.params if isinstance(other, Expression) else {}).items():
            if key in params and params[key] != value:
                raise ValueError(f"parameter {key!r} is {params[key]} in {self.name} but {value} in {other.name}, "
                                 f"and one symbol holds one value: give both the same value, or combine them with "
                                 f"MathForge.compose, where a call such as {other.name}(x) fills in its own value")
            params[key] = value
        return params

    def _combine(self, other: Any, op: str, reflected: bool = False) -> "Expression":
        left, right = (to_sympy(other), self._expr) if reflected else (self._expr, to_sympy(other))
        expr = ARITHMETIC[op](left, right)
        other_name = other.name if isinstance(other, Expression) else str(to_sympy(other))
        name = f"({other_name} {op} {self.name})" if reflected else f"({self.name} {op} {other_name})"
        params = self._params_with(other)
        trainable = list(dict.fromkeys(self.trainable_params +
                                       (other.trainable_params if isinstance(other, Expression) else [])))
        signature = self._signature + (other._signature if isinstance(other, Expression) else ())
        return Expression(name, expr, params, trainable, signature=signature)

    def __add__(self, other): return self._combine(other, "+")
    def __radd__(self, other): return self._combine(other, "+", reflected=True)
    def __sub__(self, other): return self._combine(other, "-")
    def __rsub__(self, other): return self._combine(other, "-", reflected=True)
    def __mul__(self, other): return self._combine(other, "*")
    def __rmul__(self, other): return self._combine(other, "*", reflected=True)
    def __truediv__(self, other): return self._combine(other, "/")
    def __rtruediv__(self, other): return self._combine(other, "/", reflected=True)
    def __pow__(self, other): return self._combine(other, "**")
    def __rpow__(self, other): return self._combine(other, "**", reflected=True)

    def __neg__(self) -> "Expression":
        return self._derived(f"-{self.name}", -self._expr)
