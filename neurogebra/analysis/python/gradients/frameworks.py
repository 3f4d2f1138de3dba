"""The elementwise functions of torch, torch.nn.functional, numpy, jax.numpy, jax.nn, math and scipy.special, as
SymPy: the math functions formulas may call (builder.MATH_FUNCTIONS) and the catalog's activations, with each
framework's defaults (jax.nn.gelu is the tanh form unless told otherwise, torch's is exact)."""
from __future__ import annotations

from typing import Callable, Mapping

import sympy

from neurogebra.builder import MATH_FUNCTIONS, symbol
from neurogebra.catalog import ENTRIES
from neurogebra.catalog.formulas import entry_expr

# Where elementwise functions live, by the module path the code imports.
MODULES = {"torch": "torch", "torch.nn.functional": "torch", "torch.special": "torch", "numpy": "numpy",
           "jax.numpy": "jax", "jax.nn": "jax", "jax.scipy.special": "jax", "jax.lax": "jax", "math": "math",
           "scipy.special": "numpy"}
CONSTANTS: Mapping[str, sympy.Expr] = {"pi": sympy.pi, "e": sympy.E}

Arguments = list  # positional SymPy values
Keywords = dict   # keyword -> SymPy value (or a str, for approximate="tanh")
Reading = Callable[[Arguments, Keywords], sympy.Expr]


class ArgumentError(ValueError):
    """The call's arguments are not what the function takes."""


def math_function(name: str) -> Reading:
    apply = MATH_FUNCTIONS[name].apply
    return lambda args, keywords: apply(*args)


def catalog(name: str, *keyword_names: str) -> Reading:
    """A catalog activation applied to the first argument; its parameter (alpha) from the second argument or the
    keywords named (negative_slope), else the entry's default."""
    entry = ENTRIES[name]

    def apply(args: Arguments, keywords: Keywords) -> sympy.Expr:
        values: dict[sympy.Symbol, sympy.Expr] = {symbol(entry.inputs[0]): args[0]}
        for index, (param, default) in enumerate(entry.params.items()):
            given = args[index + 1] if len(args) > index + 1 else next(
                (keywords[k] for k in (param, *keyword_names) if k in keywords), None)
            values[symbol(param)] = given if given is not None else sympy.Float(default)
        return entry_expr(name).xreplace(values)

    return apply


def argument(args: Arguments, keywords: Keywords, index: int, *names: str):
    if len(args) > index:
        return args[index]
    return next((keywords[n] for n in names if n in keywords), None)


def clamp(args: Arguments, keywords: Keywords) -> sympy.Expr:
    value = args[0]
    low = argument(args, keywords, 1, "min", "a_min", "lower")
    high = argument(args, keywords, 2, "max", "a_max", "upper")
    if low is not None:
        value = sympy.Max(value, low)
    if high is not None:
        value = sympy.Min(value, high)
    return value


def gelu(tanh_by_default: bool) -> Reading:
    def apply(args: Arguments, keywords: Keywords) -> sympy.Expr:
        approximate = keywords.get("approximate", tanh_by_default)
        tanh = approximate in ("tanh", True, sympy.true)
        return catalog("gelu_tanh" if tanh else "gelu")(args[:1], {})
    return apply


def softplus(args: Arguments, keywords: Keywords) -> sympy.Expr:
    beta = argument(args, keywords, 1, "beta")
    if beta is None or beta == 1:
        return catalog("softplus")(args[:1], {})
    return catalog("softplus")([beta * args[0]], {}) / beta


def heaviside(args: Arguments, keywords: Keywords) -> sympy.Expr:
    at_zero = argument(args, keywords, 1, "values")
    return sympy.Heaviside(args[0], at_zero if at_zero is not None else sympy.S.Half)


def one(function: Callable[[sympy.Expr], sympy.Expr]) -> Reading:
    return lambda args, keywords: function(args[0])


def where(args: Arguments, keywords: Keywords) -> sympy.Expr:
    if len(args) != 3:
        raise ArgumentError("where() with one argument gives indices, not values")
    return sympy.Piecewise((args[1], args[0]), (args[2], True))


FUNCTIONS: Mapping[str, Reading] = {
    **{name: math_function(name) for name in (
        "exp", "log", "log1p", "expm1", "log2", "log10", "exp2", "sqrt", "cbrt", "sign", "erf", "erfc", "sin",
        "cos", "tan", "sinh", "cosh", "tanh", "arcsin", "arccos", "arctan", "asin", "acos", "atan", "asinh",
        "acosh", "atanh", "arcsinh", "arccosh", "arctanh", "hypot", "erfinv")
       if name in MATH_FUNCTIONS},
    "abs": one(sympy.Abs), "absolute": one(sympy.Abs), "fabs": one(sympy.Abs),
    "pow": lambda args, keywords: sympy.Pow(args[0], argument(args, keywords, 1, "exponent")),
    "power": lambda args, keywords: sympy.Pow(args[0], args[1]),
    "square": one(lambda x: x**2), "reciprocal": one(lambda x: 1 / x), "rsqrt": one(lambda x: 1 / sympy.sqrt(x)),
    "negative": one(lambda x: -x), "neg": one(lambda x: -x), "positive": one(lambda x: x),
    "multiply": lambda args, keywords: args[0] * args[1], "mul": lambda args, keywords: args[0] * args[1],
    "add": lambda args, keywords: args[0] + args[1], "subtract": lambda args, keywords: args[0] - args[1],
    "sub": lambda args, keywords: args[0] - args[1], "divide": lambda args, keywords: args[0] / args[1],
    "div": lambda args, keywords: args[0] / args[1], "true_divide": lambda args, keywords: args[0] / args[1],
    "maximum": lambda args, keywords: sympy.Max(args[0], args[1]),
    "minimum": lambda args, keywords: sympy.Min(args[0], args[1]),
    "fmax": lambda args, keywords: sympy.Max(args[0], args[1]),
    "fmin": lambda args, keywords: sympy.Min(args[0], args[1]),
    "clamp": clamp, "clip": clamp,
    "where": where, "heaviside": heaviside,
    "sigmoid": catalog("sigmoid"), "expit": catalog("sigmoid"),
    "log_sigmoid": catalog("log_sigmoid"), "logsigmoid": catalog("log_sigmoid"),
    "relu": catalog("relu"), "relu6": catalog("relu6"),
    "leaky_relu": catalog("leaky_relu", "negative_slope"),
    "elu": catalog("elu"), "celu": catalog("celu"), "selu": catalog("selu"),
    "silu": catalog("swish"), "swish": catalog("swish"), "mish": catalog("mish"),
    "softsign": catalog("softsign"), "hardtanh": catalog("hard_tanh"),
    "softplus": softplus,
    "logaddexp": math_function("logsumexp"),  # computed as stably as logsumexp
    "sinc": math_function("sinc"),
}
FRAMEWORK_FUNCTIONS: Mapping[str, Mapping[str, Reading]] = {
    "torch": {"gelu": gelu(False)},
    "jax": {"gelu": gelu(True)},
    "numpy": {},
    "math": {},
}


def framework_function(module: str, name: str) -> Reading | None:
    """The function `name` of the module imported as `module` (torch.nn.functional, jax.numpy, ...), or None."""
    framework = MODULES.get(module)
    if framework is None:
        return None
    if name == "zeros_like":
        return lambda args, keywords: sympy.S.Zero
    if name == "ones_like":
        return lambda args, keywords: sympy.S.One
    if name == "log" and framework == "math":
        return lambda args, keywords: sympy.log(args[0]) if len(args) == 1 else sympy.log(args[0], args[1])
    return FRAMEWORK_FUNCTIONS[framework].get(name) or FUNCTIONS.get(name)
