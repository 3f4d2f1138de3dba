"""The labeller's own version of the catalog functions the corpus calls, written from neurogebra/catalog/*.py.

`body` is the entry's formula with the catalog's defaults, in a form that mpmath evaluates without cancellation
where the catalog's text would cancel (GELU with erfc: x/2*(1 + erf(x/sqrt(2))) = x/2*erfc(-x/sqrt(2)); the
GELU tanh approximation with sigmoid: (1 + tanh(u))/2 = sigmoid(2*u)). `float64_body` is how a framework computes the
function in float64 when that differs from the textbook formula (sigmoid without overflow, GELU with erfc).
`derivative` is the closed form used for prime notation (`sigmoid'(z)`), in the stable form the catalog
promises; `check_derivatives` confirms each against mpmath.diff of the body.
"""
from __future__ import annotations

import mpmath

from .exact import EXACT, Num, tracking
from .formula import Compiler, FunctionDef
from .ngb import Interval

OPEN_UNIT = Interval(0.0, 1.0)
CLOSED_UNIT = Interval(0.0, 1.0, True, True)
POSITIVE = Interval(0.0)
NON_NEGATIVE = Interval(0.0, lo_closed=True)
GELU_TANH_ARGUMENT = "sqrt(2/pi)*(x + 0.044715*x**3)"


def _entry(params: str, body: str, derivative: str | None = None, float64: str | None = None,
           float64_derivative: str | None = None, primitive: bool = False, **defaults: str) -> FunctionDef:
    names = tuple(p.strip() for p in params.split(","))
    return FunctionDef(names + tuple(defaults), body, defaults, float64, derivative, float64_derivative, primitive)


ACTIVATIONS = {
    "relu": _entry("x", "Max(0, x)", "Heaviside(x, 0)"),
    "relu6": _entry("x", "Min(Max(0, x), 6)", "Heaviside(x, 0)*Heaviside(6 - x, 0)"),
    "leaky_relu": _entry("x", "Piecewise((x, x > 0), (alpha*x, True))", "Piecewise((1, x > 0), (alpha, True))",
                         alpha="0.01"),
    "prelu": _entry("x", "Piecewise((x, x > 0), (alpha*x, True))", "Piecewise((1, x > 0), (alpha, True))",
                    alpha="0.25"),
    "elu": _entry("x", "Piecewise((x, x > 0), (alpha*expm1(x), True))",
                  "Piecewise((1, x > 0), (alpha*exp(x), True))", alpha="1"),
    "celu": _entry("x", "Piecewise((x, x > 0), (alpha*expm1(x/alpha), True))",
                   "Piecewise((1, x > 0), (exp(x/alpha), True))", alpha="1"),
    "selu": _entry("x", "1.0507009873554805*Piecewise((x, x > 0), (1.6732632423543772*expm1(x), True))",
                   "1.0507009873554805*Piecewise((1, x > 0), (1.6732632423543772*exp(x), True))"),
    "sigmoid": _entry("x", "1/(1 + exp(-x))", "sigmoid(x)*sigmoid(-x)",
                      float64="where(x >= 0, 1/(1 + exp(-x)), exp(x)/(1 + exp(x)))"),
    "softplus": _entry("x", "softplus(x)", "sigmoid(x)", primitive=True),
    "tanh": _entry("x", "tanh(x)", "1/cosh(x)**2", primitive=True),
    "swish": _entry("x", "x*sigmoid(x)", "sigmoid(x)*(1 + x*sigmoid(-x))"),
    "mish": _entry("x", "x*tanh(softplus(x))", "tanh(softplus(x)) + x*sigmoid(x)/cosh(softplus(x))**2"),
    "gelu": _entry("x", "x/2*erfc(-x/sqrt(2))", "erfc(-x/sqrt(2))/2 + x*exp(-x**2/2)/sqrt(2*pi)"),
    "gelu_tanh": _entry(
        "x", f"x*sigmoid(2*{GELU_TANH_ARGUMENT})",
        f"sigmoid(2*{GELU_TANH_ARGUMENT}) + 2*x*sigmoid(2*{GELU_TANH_ARGUMENT})*sigmoid(-2*{GELU_TANH_ARGUMENT})"
        "*sqrt(2/pi)*(1 + 3*0.044715*x**2)",
        # beyond |x| = 1e100 the second term is 0, but x**3 and x**2 overflow and would make it 0*inf
        float64_derivative=f"sigmoid(2*{GELU_TANH_ARGUMENT}) + where(Abs(x) < 1e100, "
        f"2*x*sigmoid(2*{GELU_TANH_ARGUMENT})*sigmoid(-2*{GELU_TANH_ARGUMENT})*sqrt(2/pi)*(1 + 3*0.044715*x**2), 0)"),
    "softsign": _entry("x", "x/(1 + Abs(x))", "1/(1 + Abs(x))**2"),
    "hard_tanh": _entry("x", "clip(x, -1, 1)", "Heaviside(1 - Abs(x), 0)"),
    "hard_sigmoid": _entry("x", "clip(x/6 + 1/2, 0, 1)", "Heaviside(3 - Abs(x), 0)/6"),
    "log_sigmoid": _entry("x", "-softplus(-x)", "sigmoid(-x)"),
    "tanhshrink": _entry("x", "x - tanh(x)", "tanh(x)**2"),
    "softshrink": _entry("x", "Piecewise((x - lambd, x > lambd), (x + lambd, x < -lambd), (0, True))",
                         "Heaviside(Abs(x) - lambd, 0)", lambd="0.5"),
}
ACTIVATIONS["silu"] = ACTIVATIONS["swish"]
ACTIVATIONS["hardtanh"] = ACTIVATIONS["hard_tanh"]
ACTIVATIONS["logsigmoid"] = ACTIVATIONS["log_sigmoid"]
ACTIVATIONS["gelu_approx"] = ACTIVATIONS["gelu_tanh"]

PAIR = "y_pred, y_true"
LOSSES = {
    "mse": _entry(PAIR, "(y_pred - y_true)**2"),
    "mae": _entry(PAIR, "Abs(y_pred - y_true)"),
    "huber": _entry(PAIR, "Piecewise(((y_pred - y_true)**2/2, Abs(y_pred - y_true) <= delta), "
                          "(delta*(Abs(y_pred - y_true) - delta/2), True))", delta="1"),
    "smooth_l1": _entry(PAIR, "Piecewise(((y_pred - y_true)**2/(2*beta), Abs(y_pred - y_true) < beta), "
                              "(Abs(y_pred - y_true) - beta/2, True))", beta="1"),
    "pseudo_huber": _entry(PAIR, "delta**2*(sqrt(1 + ((y_pred - y_true)/delta)**2) - 1)", delta="1"),
    "binary_crossentropy": _entry(PAIR, "-(y_true*log(y_pred) + (1 - y_true)*log(1 - y_pred))"),
    "bce_with_logits": _entry(PAIR, "softplus(y_pred) - y_true*y_pred"),
    "cross_entropy": _entry(PAIR, "-y_true*log(y_pred)"),
    "focal": _entry(PAIR, "-alpha*y_true*(1 - y_pred)**gamma*log(y_pred) "
                          "- (1 - alpha)*(1 - y_true)*y_pred**gamma*log(1 - y_pred)", alpha="0.25", gamma="2"),
    "hinge": _entry(PAIR, "Max(0, 1 - y_true*y_pred)"),
    "squared_hinge": _entry(PAIR, "Max(0, 1 - y_true*y_pred)**2"),
    "quantile": _entry(PAIR, "Max(q*(y_true - y_pred), (q - 1)*(y_true - y_pred))", q="0.5"),
    "epsilon_insensitive": _entry(PAIR, "Max(0, Abs(y_pred - y_true) - epsilon)", epsilon="0.1"),
    "poisson": _entry(PAIR, "y_pred - y_true*log(y_pred)"),
    "log_cosh": _entry(PAIR, "Abs(y_pred - y_true) + log1p(exp(-2*Abs(y_pred - y_true))) - log(2)"),
}
LOSSES["bce"] = LOSSES["binary_crossentropy"]

OTHERS = {
    "l1": _entry("w", "lam*Abs(w)", lam="0.01"),
    "l2": _entry("w", "lam*w**2", lam="0.01"),
    "elastic_net": _entry("w", "alpha*(l1_ratio*Abs(w) + (1 - l1_ratio)*w**2/2)", alpha="0.01", l1_ratio="0.5"),
    "gaussian_pdf": _entry("x", "exp(-(x - mu)**2/(2*sigma**2))/(sigma*sqrt(2*pi))", mu="0", sigma="1"),
    "normal_cdf": _entry("x", "erfc(-(x - mu)/(sigma*sqrt(2)))/2", mu="0", sigma="1"),
    "standard_normal_cdf": _entry("x", "erfc(-x/sqrt(2))/2"),
    "standardize": _entry("x", "(x - mu)/sigma", mu="0", sigma="1"),
    "box_cox": _entry("x", "(x**lam - 1)/lam", lam="0.5"),
    "logit": _entry("p", "log(p/(1 - p))"),
    "binary_entropy": _entry("p", "-p*log(p) - (1 - p)*log(1 - p)"),
}

CATALOG: dict[str, FunctionDef] = {**ACTIVATIONS, **LOSSES, **OTHERS}

PROBABILITY = {"y_pred": OPEN_UNIT, "y_true": CLOSED_UNIT}
DOMAINS: dict[str, dict[str, Interval]] = {  # where a claim about the entry itself is sampled
    "binary_crossentropy": PROBABILITY, "bce": PROBABILITY, "cross_entropy": PROBABILITY, "focal": PROBABILITY,
    "bce_with_logits": {"y_true": CLOSED_UNIT}, "hinge": {"y_true": Interval(-1.0, 1.0, True, True)},
    "squared_hinge": {"y_true": Interval(-1.0, 1.0, True, True)},
    "poisson": {"y_pred": POSITIVE, "y_true": NON_NEGATIVE},
    "box_cox": {"x": POSITIVE}, "logit": {"p": OPEN_UNIT}, "binary_entropy": {"p": OPEN_UNIT},
}


def check_derivatives(points=(-30.5, -3.25, -0.7, 0.4, 1.3, 2.75, 8.5, 31.0)) -> list[str]:
    """Names whose `derivative` differs from mpmath.diff of the body (kinks avoided by the points)."""
    compiler = Compiler(EXACT, CATALOG, {})
    wrong = []
    for name, entry in CATALOG.items():
        if not entry.derivative:
            continue
        first = entry.params[0]
        point = {"p": 0.3, "w": 0.8}.get(first)
        body = compiler.function(name)
        derivative = compiler.function(name, "derivative")
        for x in [point] if point else points:
            with mpmath.workdps(40):
                tracking()
                defaults = {p: compiler.compile(entry.defaults[p], ())({}) for p in entry.params[1:]}
                slope = mpmath.diff(lambda t: body({first: Num(t), **defaults}).v, mpmath.mpf(x))
                claimed = derivative({first: Num(mpmath.mpf(x)), **defaults}).v
                if abs(slope - claimed) > mpmath.mpf(10) ** -25 * (1 + abs(slope)):
                    wrong.append(f"{name} at {x}: {claimed} vs {slope}")
    return wrong

