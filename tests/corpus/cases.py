"""The corpus: small `.ngb` documents, each with labels for its last line (the judged line).

`verdict` is the truth of a derivative claim: "right" (everywhere but at isolated kinks) or "wrong" (on an
interval); None for a definition. `stability` is how float64 evaluates the judged formula by Herbie's measure:
"unstable" (over 8 bits of average error), "stable" (under 2 bits), or None where not labelled. Every label is
re-derived by `python -m tests.corpus.labels`, which never imports neurogebra.
"""
from __future__ import annotations

from dataclasses import dataclass
from textwrap import dedent


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    document: str
    verdict: str | None
    stability: str | None

    @property
    def line(self) -> int:
        return max(i for i, text in enumerate(self.document.splitlines(), 1) if text.strip())


KINDS = {
    "unstable_right": "right derivatives in forms float64 evaluates badly (the function often just as badly), "
                      "and look-alikes it evaluates well",
    "catalog_prime": "right claims in prime notation of catalog functions",
    "subtle_wrong": "wrong claims that are easy to miss: narrow intervals, far out, tiny scales, overflow, slips",
    "catalog_defaults": "catalog calls that rely on default parameters, right and wrong",
    "cancellation": "definitions that cancel or overflow, and their accurate forms",
    "ml_notebook": "realistic training math: softmax cross-entropy, layer norm, GELU, focal loss, losses",
    "ordinary": "ordinary calculus: polynomials, products, quotients, chains, several variables, higher orders",
}
CASES: list[Case] = []


def case(id: str, kind: str, document: str, verdict: str | None, stability: str | None = None) -> None:
    assert kind in KINDS and all(c.id != id for c in CASES) and id.replace("-", "").replace(".", "").isalnum(), id
    CASES.append(Case(id, kind, dedent(document).strip() + "\n", verdict, stability))


# --------------------------------------------------------------------------------------- a. unstable_right

def unstable_right(id: str, document: str, stability: str | None = "unstable") -> None:
    case(id, "unstable_right", document, "right", stability)


for v, k in [("x", "1"), ("z", "2"), ("t", "0.5"), ("u", "3")]:
    scaled = v if k == "1" else f"{k}*{v}"
    factor = "" if k == "1" else f"{k}*"
    unstable_right(f"softplus-naive-{v}", f"""
        sp({v}) = log(1 + exp({scaled}))
        sp'({v}) = {factor}exp({scaled})/(1 + exp({scaled}))
    """)
    unstable_right(f"softplus-catalog-naive-claim-{v}", f"""
        sp2({v}) = softplus({scaled})
        sp2'({v}) = {factor}exp({scaled})/(1 + exp({scaled}))
    """)
    unstable_right(f"sigmoid-naive-derivative-{v}", f"""
        s({v}) = 1/(1 + exp(-{scaled}))
        s'({v}) = {factor}exp(-{scaled})/(1 + exp(-{scaled}))**2
    """)
unstable_right("softplus-second-derivative", """
    sp(x) = log(1 + exp(x))
    sp''(x) = exp(x)/(1 + exp(x))**2
""")
unstable_right("softplus-shifted", """
    sp(x) = log(1 + exp(x - 3))
    sp'(x) = exp(x - 3)/(1 + exp(x - 3))
""")
unstable_right("softplus-bias", """
    sp(x, b) = log(1 + exp(x + b))
    ∂sp/∂b = exp(x + b)/(1 + exp(x + b))
""")
unstable_right("softplus-temperature", """
    sp(x) = 0.1*log(1 + exp(x/0.1))
    sp'(x) = exp(x/0.1)/(1 + exp(x/0.1))
""")
unstable_right("sigmoid-catalog-exp-claim", """
    s(x) = sigmoid(x)
    s'(x) = exp(-x)/(1 + exp(-x))**2
""")
unstable_right("sigmoid-exp-plus-form", """
    s(x) = sigmoid(x)
    s'(x) = exp(x)/(1 + exp(x))**2
""")
unstable_right("log-sigmoid-naive", """
    ls(x) = -log(1 + exp(-x))
    ls'(x) = exp(-x)/(1 + exp(-x))
""")
unstable_right("log-sigmoid-catalog-naive-claim", """
    ls(x) = log_sigmoid(x)
    ls'(x) = exp(-x)/(1 + exp(-x))
""")
unstable_right("log-sigmoid-one-minus-sigmoid", """
    @domain x in [20, 700]
    ls(x) = log_sigmoid(x)
    ls'(x) = 1 - sigmoid(x)
""")
unstable_right("log-sigmoid-one-minus-reciprocal", """
    @domain x in [20, 700]
    ls(x) = -log(1 + exp(-x))
    ls'(x) = 1 - 1/(1 + exp(-x))
""")
unstable_right("log-sigmoid-one-minus-sigmoid-real-line", """
    ls(x) = log_sigmoid(x)
    ls'(x) = 1 - sigmoid(x)
""", "stable")
for names in [("a", "b", "c"), ("z1", "z2", "z3"), ("u", "v", "w")]:
    a, b, c = names
    args = ", ".join(names)
    total = f"exp({a}) + exp({b}) + exp({c})"
    unstable_right(f"softmax-ce-{a}-first", f"""
        ce({args}) = -log(exp({a})/({total}))
        ∂ce/∂{a} = exp({a})/({total}) - 1
    """)
    unstable_right(f"softmax-ce-{a}-second", f"""
        ce({args}) = -log(exp({a})/({total}))
        ∂ce/∂{b} = exp({b})/({total})
    """)
unstable_right("softmax-ce-third-logit", """
    ce(a, b, c) = -log(exp(a)/(exp(a) + exp(b) + exp(c)))
    ∂ce/∂c = exp(c)/(exp(a) + exp(b) + exp(c))
""")
unstable_right("softmax-ce-target-second", """
    ce(a, b, c) = log(exp(a) + exp(b) + exp(c)) - b
    ∂ce/∂b = exp(b)/(exp(a) + exp(b) + exp(c)) - 1
""")
unstable_right("logsumexp-two", """
    lse(a, b) = log(exp(a) + exp(b))
    ∂lse/∂a = exp(a)/(exp(a) + exp(b))
""")
unstable_right("logsumexp-three", """
    lse(a, b, c) = log(exp(a) + exp(b) + exp(c))
    ∂lse/∂c = exp(c)/(exp(a) + exp(b) + exp(c))
""")
unstable_right("logsumexp-d-form", """
    lse(p, q) = log(exp(p) + exp(q))
    d/dq lse(p, q) = exp(q)/(exp(p) + exp(q))
""")
unstable_right("bce-sigmoid-exp-claim", """
    @domain y in [0, 1]
    bce(z, y) = -(y*log(sigmoid(z)) + (1 - y)*log(1 - sigmoid(z)))
    ∂bce/∂z = exp(z)/(1 + exp(z)) - y
""")
unstable_right("bce-naive-exp-claim", """
    @domain y in [0, 1]
    bce(z, y) = -(y*log(1/(1 + exp(-z))) + (1 - y)*log(1 - 1/(1 + exp(-z))))
    ∂bce/∂z = (1 - y) - exp(-z)/(1 + exp(-z))
""")
unstable_right("tanh-exp-claim", """
    th(x) = tanh(x)
    th'(x) = 1 - ((exp(x) - exp(-x))/(exp(x) + exp(-x)))**2
""")
unstable_right("tanh-naive-both", """
    th(x) = (exp(x) - exp(-x))/(exp(x) + exp(-x))
    th'(x) = 1 - ((exp(x) - exp(-x))/(exp(x) + exp(-x)))**2
""")
unstable_right("swish-naive-derivative", """
    sw(x) = x/(1 + exp(-x))
    sw'(x) = 1/(1 + exp(-x)) + x*exp(-x)/(1 + exp(-x))**2
""")
unstable_right("swish-catalog-naive-claim", """
    sw(x) = swish(x)
    sw'(x) = 1/(1 + exp(-x)) + x*exp(-x)/(1 + exp(-x))**2
""")
unstable_right("softplus-reciprocal-claim", """
    sp(x) = log(1 + exp(x))
    sp'(x) = 1/(1 + exp(-x))
""", "stable")
unstable_right("sigmoid-textbook-self-form", """
    s(x) = 1/(1 + exp(-x))
    s'(x) = s(x)*(1 - s(x))
""", "stable")
unstable_right("tanh-cosh-claim", """
    th(x) = tanh(x)
    th'(x) = 4/(exp(x) + exp(-x))**2
""", "stable")
unstable_right("softmax-two-class-prob", """
    p(a, b) = exp(a)/(exp(a) + exp(b))
    ∂p/∂a = exp(a)*exp(b)/(exp(a) + exp(b))**2
""")
unstable_right("expm1-ratio-derivative", """
    @domain x in (0, 10]
    q(x) = expm1(x)/x
    q'(x) = (x*exp(x) - exp(x) + 1)/x**2
""")
unstable_right("one-minus-cos-derivative-of-cancelling", """
    @domain x in (0, 1]
    c(x) = x - sin(x)
    c'(x) = 1 - cos(x)
""")
unstable_right("log1p-claim-naive", """
    @domain x in (0, 1)
    l(x) = log1p(x)**2
    l'(x) = 2*log(1 + x)/(1 + x)
""")
unstable_right("sqrt-difference-claim", """
    @domain x in (0, inf)
    r(x) = 2*x**1.5/3 - 2*(x + 1)**1.5/3
    r'(x) = sqrt(x) - sqrt(x + 1)
""", None)  # 7-8 bits: between the clear-cut labels

# --------------------------------------------------------------------------------------- b. catalog_prime


def catalog_prime(id: str, document: str, stability: str | None = "stable") -> None:
    case(id, "catalog_prime", document, "right", stability)


for k in ["2", "0.5", "-3", "10"]:
    catalog_prime(f"sigmoid-prime-scaled-{k}", f"""
        g(x) = sigmoid({k}*x)
        g'(x) = {k}*sigmoid'({k}*x)
    """)
    catalog_prime(f"tanh-prime-scaled-{k}", f"""
        t(x) = tanh({k}*x)
        t'(x) = {k}*tanh'({k}*x)
    """)
    catalog_prime(f"swish-prime-scaled-{k}", f"""
        h(x) = swish({k}*x)
        h'(x) = {k}*swish'({k}*x)
    """)
for name in ["sigmoid", "swish", "tanh", "softplus", "gelu", "gelu_tanh", "elu", "mish", "log_sigmoid",
             "softsign", "silu", "leaky_relu", "relu"]:
    domain = "@domain x in [-1e100, 1e100]" if name == "gelu_tanh" else ""  # x**3 would overflow past 1e102
    catalog_prime(f"{name.replace('_', '-')}-prime-plain", f"""
        {domain}
        h(x) = {name}(x)
        h'(x) = {name}'(x)
    """)
catalog_prime("softplus-prime-is-sigmoid", """
    sp(x) = softplus(x)
    sp'(x) = sigmoid(x)
""")
catalog_prime("gelu-prime-scaled", """
    g(z) = gelu(z/2)
    g'(z) = gelu'(z/2)/2
""")
catalog_prime("elu-prime-scaled", """
    e(x) = elu(2*x)
    e'(x) = 2*elu'(2*x)
""")
catalog_prime("sigmoid-prime-shifted", """
    g(x) = sigmoid(x - 3)
    g'(x) = sigmoid'(x - 3)
""")
catalog_prime("product-sigmoid-tanh", """
    f(x) = sigmoid(x)*tanh(x)
    f'(x) = sigmoid'(x)*tanh(x) + sigmoid(x)*tanh'(x)
""")
catalog_prime("composition-sigmoid-tanh", """
    f(x) = sigmoid(tanh(x))
    f'(x) = sigmoid'(tanh(x))*tanh'(x)
""")
catalog_prime("composition-softplus-swish", """
    f(x) = softplus(swish(x))
    f'(x) = softplus'(swish(x))*swish'(x)
""")
catalog_prime("weight-sigmoid", """
    f(x, w) = sigmoid(w*x)
    ∂f/∂w = x*sigmoid'(w*x)
""")
catalog_prime("weight-sigmoid-input", """
    f(x, w) = sigmoid(w*x)
    ∂f/∂x = w*sigmoid'(w*x)
""")
catalog_prime("swish-bias", """
    @domain x, w, b in [-100, 100]
    f(x, w, b) = swish(w*x + b)
    ∂f/∂b = swish'(w*x + b)
""")
catalog_prime("gelu-layer-weight", """
    @domain x, w, b in [-100, 100]
    f(x, w, b) = gelu(w*x + b)
    ∂f/∂w = x*gelu'(w*x + b)
""")
catalog_prime("tanh-named-act", """
    act(z) = tanh(z)
    act'(z) = tanh'(z)
""")
catalog_prime("mish-named", """
    m(u) = mish(u)
    m'(u) = mish'(u)
""")
catalog_prime("sum-of-activations", """
    f(x) = sigmoid(x) + softplus(x)
    f'(x) = sigmoid'(x) + softplus'(x)
""")
catalog_prime("softplus-d-form", """
    d/dx softplus(x) = sigmoid(x)
""")
catalog_prime("sigmoid-d-form", """
    d/dx sigmoid(x) = sigmoid'(x)
""")
catalog_prime("gelu-tanh-scaled", """
    @domain x in [-1e100, 1e100]
    g(x) = gelu_tanh(3*x)
    g'(x) = 3*gelu_tanh'(3*x)
""")
catalog_prime("log-sigmoid-prime-negated", """
    f(x) = log_sigmoid(-x)
    f'(x) = -log_sigmoid'(-x)
""")

# --------------------------------------------------------------------------------------- c. subtle_wrong


def subtle_wrong(id: str, document: str) -> None:
    case(id, "subtle_wrong", document, "wrong")


for shift in ["0.001", "0.000001", "0.01"]:
    subtle_wrong(f"relu-heaviside-shift-{shift}", f"""
        r(x) = relu(x)
        r'(x) = Heaviside(x - {shift})
    """)
subtle_wrong("relu-heaviside-shift-left", """
    r(x) = relu(x)
    r'(x) = Heaviside(x + 0.001)
""")
subtle_wrong("relu-max-heaviside-shift", """
    r(x) = Max(0, x)
    r'(x) = Heaviside(x - 0.001)
""")
subtle_wrong("relu-piecewise-shift", """
    r(x) = Piecewise((x, x > 0), (0, True))
    r'(x) = Piecewise((1, x > 0.0005), (0, True))
""")
subtle_wrong("abs-sign-shift", """
    a(x) = Abs(x)
    a'(x) = sign(x - 0.0001)
""")
subtle_wrong("hard-tanh-wide-window", """
    h(x) = clip(x, -1, 1)
    h'(x) = Heaviside(1.001 - Abs(x))
""")
subtle_wrong("relu6-wide-cap", """
    r(x) = relu6(x)
    r'(x) = Heaviside(x)*Heaviside(6.01 - x)
""")
subtle_wrong("square-narrow-bump", """
    f(x) = x**2
    f'(x) = 2*x + Heaviside(x - 3)*Heaviside(3.001 - x)
""")
subtle_wrong("huber-wide-clip", """
    d/dy_pred huber(y_pred, y_true) = clip(y_pred - y_true, -1.01, 1.01)
""")
subtle_wrong("sqrt-smoothed-near-zero", """
    @domain x in (0, inf)
    f(x) = sqrt(x)
    f'(x) = 1/(2*sqrt(x + 1e-12))
""")
for slug, claim in [("min-1e4", "Min(x, 10000)"), ("max-minus-5e3", "Max(x, -5000)"),
                    ("clip-1e4", "clip(x, -10000, 10000)"), ("min-1e6", "Min(x, 1000000)")]:
    subtle_wrong(f"half-square-capped-{slug}", f"""
        f(x) = x**2/2
        f'(x) = {claim}
    """)
subtle_wrong("square-capped-far", """
    f(x) = x**2
    f'(x) = 2*Min(x, 50000)
""")
subtle_wrong("cube-capped-far", """
    f(x) = x**3/3
    f'(x) = Min(x**2, 100000000)
""")
subtle_wrong("exp-floored-far-left", """
    f(x) = exp(x)
    f'(x) = Max(exp(x), 1e-300)
""")
subtle_wrong("log-capped-far", """
    f(x) = log(1 + x**2)
    f'(x) = 2*x/(1 + Min(x**2, 10000000000))
""")
subtle_wrong("softplus-capped-sigmoid", """
    sp(x) = softplus(x)
    sp'(x) = Min(sigmoid(x), 0.9999)
""")
for scale, claim in [("1e-12", "1e-12*x"), ("1e-15", "1e-15*x"), ("1e-20", "1e-20*x"), ("1e-9", "1e-9*x")]:
    subtle_wrong(f"tiny-square-{scale}", f"""
        t(x) = {scale}*x**2
        t'(x) = {claim}
    """)
subtle_wrong("tiny-gaussian-one-percent", """
    g(x) = 1e-9*exp(-x**2)
    g'(x) = -2.02e-9*x*exp(-x**2)
""")
subtle_wrong("tiny-sine-tenth-percent", """
    g(x) = 1e-10*sin(x)
    g'(x) = 1.001e-10*cos(x)
""")
subtle_wrong("tiny-cube-offset", """
    h(x) = 1e-30*x**3
    h'(x) = 3e-30*x**2 + 1e-36
""")
subtle_wrong("tiny-two-variable", """
    g(x, y) = 1e-14*x*y**2
    ∂g/∂y = 1e-14*x*y
""")
subtle_wrong("huge-square-offset", """
    f(x) = 1e20*x**2
    f'(x) = 2e20*x + 10000000000
""")
subtle_wrong("overflow-factor-beyond-700", """
    @domain x in [0, 1000]
    f(x) = exp(x)*x
    f'(x) = exp(x)*(x + 1)*(1 + Heaviside(x - 700))
""")
subtle_wrong("overflow-dropped-term", """
    @domain x in [710, 1000]
    f(x) = x*exp(x)
    f'(x) = x*exp(x)
""")
subtle_wrong("overflow-missing-chain-factor", """
    @domain x in [400, 800]
    f(x) = exp(2*x)
    f'(x) = exp(2*x)
""")
subtle_wrong("overflow-gaussian-growth", """
    @domain x in [20, 40]
    f(x) = exp(x**2)
    f'(x) = x*exp(x**2)
""")
subtle_wrong("overflow-cosh-square", """
    @domain x in [500, 1000]
    f(x) = cosh(x)**2
    f'(x) = sinh(2*x)/2
""")
subtle_wrong("overflow-real-line-extra-term", """
    f(x) = exp(x)*x
    f'(x) = exp(x)*(x + 1) + Max(0, x - 710)*exp(x)
""")
subtle_wrong("chain-missing-factor-sin", """
    f(x) = sin(3*x)
    f'(x) = cos(3*x)
""")
subtle_wrong("chain-missing-factor-gaussian", """
    f(x) = exp(-x**2)
    f'(x) = -x*exp(-x**2)
""")
subtle_wrong("chain-missing-inner-log", """
    f(x) = log(x**2 + 1)
    f'(x) = 1/(x**2 + 1)
""")
subtle_wrong("chain-missing-factor-cube", """
    f(x) = (2*x + 1)**3
    f'(x) = 3*(2*x + 1)**2
""")
subtle_wrong("sign-cos", """
    f(x) = cos(x)
    f'(x) = sin(x)
""")
subtle_wrong("sign-reciprocal", """
    @domain x in (0, inf)
    f(x) = 1/x
    f'(x) = 1/x**2
""")
subtle_wrong("sign-exp-decay", """
    f(x) = exp(-x)
    f'(x) = exp(-x)
""")
subtle_wrong("constant-slightly-off", """
    f(x) = x**2 + 3*x
    f'(x) = 2*x + 3.001
""")
subtle_wrong("dropped-small-linear-term", """
    f(x) = x**2 + 0.001*x
    f'(x) = 2*x
""")
subtle_wrong("linear-relative-2e-6", """
    f(x) = 5*x
    f'(x) = 5.00001
""")
subtle_wrong("two-variable-dropped-term", """
    g(x, y) = x**2*y + x*y**2
    ∂g/∂x = 2*x*y
""")
subtle_wrong("two-variable-product-rule", """
    g(x, y) = x*exp(x*y)
    ∂g/∂x = exp(x*y)*(1 + y)
""")
subtle_wrong("three-variable-dropped-term", """
    g(x, y, z) = x*y*z + x**2
    ∂g/∂x = y*z
""")
subtle_wrong("two-variable-chain", """
    g(w, b) = (3*w + b - 1)**2
    ∂g/∂w = 2*(3*w + b - 1)
""")
subtle_wrong("second-derivative-slip", """
    f(x) = x**4
    f''(x) = 12*x
""")
subtle_wrong("second-derivative-sign", """
    f(x) = sin(x)
    f''(x) = sin(x)
""")
subtle_wrong("quotient-rule-sign", """
    @domain x in (0, inf)
    f(x) = x/(x + 1)
    f'(x) = -1/(x + 1)**2
""")
subtle_wrong("sigmoid-wrong-scale-prime", """
    g(x) = sigmoid(2*x)
    g'(x) = sigmoid'(2*x)
""")
subtle_wrong("softplus-claimed-sigmoid-of-scaled", """
    sp(x) = softplus(3*x)
    sp'(x) = sigmoid(3*x)
""")
subtle_wrong("abs-kink-plus-offset", """
    f(x) = Abs(x - 2)
    f'(x) = sign(x - 2.001)
""")
subtle_wrong("max-two-variables-narrow", """
    m(x, y) = Max(x, y)
    ∂m/∂x = Heaviside(x - y - 0.001)
""")

# --------------------------------------------------------------------------------------- d. catalog_defaults


def catalog_defaults(id: str, document: str, verdict: str, stability: str | None = None) -> None:
    case(id, "catalog_defaults", document, verdict, stability)


catalog_defaults("elu-default-alpha", """
    e(x) = elu(x)
    e'(x) = Piecewise((1, x > 0), (exp(x), True))
""", "right", "stable")
catalog_defaults("elu-explicit-alpha-1", """
    e(x) = elu(x, 1)
    e'(x) = Piecewise((1, x > 0), (exp(x), True))
""", "right", "stable")
catalog_defaults("elu-alpha-2", """
    e(x) = elu(x, 2)
    e'(x) = Piecewise((1, x > 0), (2*exp(x), True))
""", "right", "stable")
catalog_defaults("elu-d-form", """
    d/dx elu(x) = Piecewise((1, x > 0), (exp(x), True))
""", "right", "stable")
catalog_defaults("elu-self-form", """
    e(x) = elu(x)
    e'(x) = Piecewise((1, x > 0), (elu(x) + 1, True))
""", "right", "stable")
catalog_defaults("elu-wrong-alpha-half", """
    e(x) = elu(x)
    e'(x) = Piecewise((1, x > 0), (0.5*exp(x), True))
""", "wrong")
catalog_defaults("elu-alpha-2-forgotten", """
    e(x) = elu(x, 2)
    e'(x) = Piecewise((1, x > 0), (exp(x), True))
""", "wrong")
catalog_defaults("celu-default-alpha", """
    c(x) = celu(x)
    c'(x) = Piecewise((1, x > 0), (exp(x), True))
""", "right", "stable")
catalog_defaults("celu-alpha-2-wrong", """
    c(x) = celu(x, 2)
    c'(x) = Piecewise((1, x > 0), (exp(x), True))
""", "wrong")
catalog_defaults("selu-constants", """
    s(x) = selu(x)
    s'(x) = 1.0507009873554805*Piecewise((1, x > 0), (1.6732632423543772*exp(x), True))
""", "right", "stable")
catalog_defaults("huber-default-delta", """
    d/dy_pred huber(y_pred, y_true) = clip(y_pred - y_true, -1, 1)
""", "right", "stable")
catalog_defaults("huber-default-delta-target", """
    d/dy_true huber(y_pred, y_true) = -clip(y_pred - y_true, -1, 1)
""", "right", "stable")
catalog_defaults("huber-delta-2", """
    H(y_pred, y_true) = huber(y_pred, y_true, 2)
    d/dy_pred H(y_pred, y_true) = clip(y_pred - y_true, -2, 2)
""", "right", "stable")
catalog_defaults("huber-user-default", """
    L(p, t) = huber(p, t)
    ∂L/∂p = clip(p - t, -1, 1)
""", "right", "stable")
catalog_defaults("huber-user-half", """
    L(p, t) = huber(p, t, 0.5)
    ∂L/∂p = clip(p - t, -0.5, 0.5)
""", "right", "stable")
catalog_defaults("huber-default-claimed-2", """
    d/dy_pred huber(y_pred, y_true) = clip(y_pred - y_true, -2, 2)
""", "wrong")
catalog_defaults("huber-delta-2-claimed-1", """
    L(p, t) = huber(p, t, 2)
    ∂L/∂p = clip(p - t, -1, 1)
""", "wrong")
catalog_defaults("leaky-relu-default-slope", """
    l(x) = leaky_relu(x)
    l'(x) = Piecewise((1, x > 0), (0.01, True))
""", "right", "stable")
catalog_defaults("leaky-relu-slope-0.2", """
    l(x) = leaky_relu(x, 0.2)
    l'(x) = Piecewise((1, x > 0), (0.2, True))
""", "right", "stable")
catalog_defaults("leaky-relu-wrong-slope", """
    l(x) = leaky_relu(x)
    l'(x) = Piecewise((1, x > 0), (0.1, True))
""", "wrong")
catalog_defaults("leaky-relu-slightly-wrong-slope", """
    l(x) = leaky_relu(x)
    l'(x) = Piecewise((1, x > 0), (0.011, True))
""", "wrong")
catalog_defaults("prelu-default-slope", """
    p(x) = prelu(x)
    p'(x) = Piecewise((1, x > 0), (0.25, True))
""", "right", "stable")
catalog_defaults("prelu-claimed-leaky-default", """
    p(x) = prelu(x)
    p'(x) = Piecewise((1, x > 0), (0.01, True))
""", "wrong")
catalog_defaults("smooth-l1-default-beta", """
    d/dy_pred smooth_l1(y_pred, y_true) = clip(y_pred - y_true, -1, 1)
""", "right", "stable")
catalog_defaults("smooth-l1-claimed-half", """
    d/dy_pred smooth_l1(y_pred, y_true) = clip(2*(y_pred - y_true), -1, 1)
""", "wrong")
catalog_defaults("quantile-default-q", """
    d/dy_pred quantile(y_pred, y_true) = 0.5*sign(y_pred - y_true)
""", "right", "stable")
catalog_defaults("quantile-claimed-quarter", """
    d/dy_pred quantile(y_pred, y_true) = 0.25*sign(y_pred - y_true)
""", "wrong")
catalog_defaults("epsilon-insensitive-default", """
    d/dy_pred epsilon_insensitive(y_pred, y_true) = sign(y_pred - y_true)*Heaviside(Abs(y_pred - y_true) - 0.1)
""", "right", "stable")
catalog_defaults("epsilon-insensitive-claimed-0.01", """
    d/dy_pred epsilon_insensitive(y_pred, y_true) = sign(y_pred - y_true)*Heaviside(Abs(y_pred - y_true) - 0.01)
""", "wrong")
catalog_defaults("l2-default-lambda", """
    d/dw l2(w) = 0.02*w
""", "right", "stable")
catalog_defaults("l2-claimed-lambda", """
    d/dw l2(w) = 0.01*w
""", "wrong")
catalog_defaults("l1-default-lambda", """
    d/dw l1(w) = 0.01*sign(w)
""", "right", "stable")
catalog_defaults("l1-claimed-unit", """
    d/dw l1(w) = sign(w)
""", "wrong")
catalog_defaults("elastic-net-defaults", """
    d/dw elastic_net(w) = 0.005*sign(w) + 0.005*w
""", "right", "stable")
catalog_defaults("gaussian-pdf-defaults", """
    d/dx gaussian_pdf(x) = -x*gaussian_pdf(x)
""", "right", "stable")
catalog_defaults("normal-cdf-defaults", """
    d/dx normal_cdf(x) = gaussian_pdf(x)
""", "right", "stable")
catalog_defaults("pseudo-huber-default", """
    d/dy_pred pseudo_huber(y_pred, y_true) = (y_pred - y_true)/sqrt(1 + (y_pred - y_true)**2)
""", "right", "stable")
catalog_defaults("softshrink-default", """
    s(x) = softshrink(x)
    s'(x) = Heaviside(Abs(x) - 0.5)
""", "right", "stable")
catalog_defaults("softshrink-claimed-one", """
    s(x) = softshrink(x)
    s'(x) = Heaviside(Abs(x) - 1)
""", "wrong")
catalog_defaults("box-cox-default", """
    @domain x in (0, 100]
    d/dx box_cox(x) = x**(-0.5)
""", "right", "stable")
catalog_defaults("box-cox-claimed-log", """
    @domain x in (0, 100]
    d/dx box_cox(x) = 1/x
""", "wrong")
catalog_defaults("standardize-defaults", """
    d/dx standardize(x) = 1
""", "right", "stable")

# --------------------------------------------------------------------------------------- e. cancellation


def definition(id: str, document: str, stability: str | None) -> None:
    case(id, "cancellation", document, None, stability)


for slug, domain in [("0-10", "(0, 10]"), ("0-1", "(0, 1]"), ("negative", "(-5, 0)")]:
    definition(f"expm1-naive-ratio-{slug}", f"""
        @domain x in {domain}
        q(x) = (exp(x) - 1)/x
    """, "unstable")
    definition(f"expm1-ratio-{slug}", f"""
        @domain x in {domain}
        q(x) = expm1(x)/x
    """, "stable")
definition("expm1-naive-ratio-real-line", "q(x) = (exp(x) - 1)/x", "unstable")
definition("expm1-ratio-real-line", "q(x) = expm1(x)/x", "unstable")  # inf for 709.8 < x < 716.4
definition("expm1-naive-ratio-scaled", """
    @domain t in (0, 5]
    q(t) = (exp(2*t) - 1)/t
""", "unstable")
definition("expm1-ratio-scaled", """
    @domain t in (0, 5]
    q(t) = expm1(2*t)/t
""", "stable")
for slug, domain in [("symmetric", "[-1, 1]"), ("positive", "(0, 1]")]:
    definition(f"exp-minus-one-{slug}", f"""
        @domain x in {domain}
        e(x) = exp(x) - 1
    """, "unstable")
    definition(f"expm1-{slug}", f"""
        @domain x in {domain}
        e(x) = expm1(x)
    """, "stable")
definition("exp-times-one-minus-exp", """
    @domain x in (0, 1]
    e(x) = exp(x)*(1 - exp(-x))
""", "unstable")
definition("one-minus-cos-real-line", "c(x) = 1 - cos(x)", "unstable")
definition("one-minus-cos-unit", """
    @domain x in [-1, 1]
    c(x) = 1 - cos(x)
""", "unstable")
definition("half-angle-real-line", "c(x) = 2*sin(x/2)**2", "stable")
definition("half-angle-unit", """
    @domain x in [-1, 1]
    c(x) = 2*sin(x/2)**2
""", "stable")
definition("one-minus-cos-over-square", """
    @domain x in (0, 1]
    c(x) = (1 - cos(x))/x**2
""", "unstable")
definition("half-angle-over-square", """
    @domain x in (0, 1]
    c(x) = 2*(sin(x/2)/x)**2
""", "stable")
definition("cosh-minus-one", """
    @domain x in (0, 1]
    c(x) = cosh(x) - 1
""", "unstable")
definition("sinh-half-square", """
    @domain x in (0, 1]
    c(x) = 2*sinh(x/2)**2
""", "stable")
definition("sqrt-difference", """
    @domain x in (0, inf)
    d(x) = sqrt(x + 1) - sqrt(x)
""", None)  # 7 bits: between the clear-cut labels
definition("sqrt-difference-rationalized", """
    @domain x in (0, inf)
    d(x) = 1/(sqrt(x + 1) + sqrt(x))
""", "stable")
definition("sqrt-shift-difference", """
    @domain x in (0, 1]
    d(x) = sqrt(x + 4) - 2
""", "unstable")
definition("sqrt-shift-rationalized", """
    @domain x in (0, 1]
    d(x) = x/(sqrt(x + 4) + 2)
""", "stable")
definition("hypot-minus-x", """
    @domain x in (0, 1e100]
    d(x) = sqrt(x**2 + 1) - x
""", "unstable")
definition("hypot-minus-x-rationalized", """
    @domain x in (0, 1e100]
    d(x) = 1/(sqrt(x**2 + 1) + x)
""", "stable")
for slug, domain in [("unit", "(0, 1)"), ("symmetric", "(-0.5, 0.5]")]:
    definition(f"log-one-plus-{slug}", f"""
        @domain x in {domain}
        l(x) = log(1 + x)
    """, "unstable")
    definition(f"log1p-{slug}", f"""
        @domain x in {domain}
        l(x) = log1p(x)
    """, "stable")
definition("log-one-minus", """
    @domain x in (0, 0.5)
    l(x) = log(1 - x)
""", "unstable")
definition("log1p-negated", """
    @domain x in (0, 0.5)
    l(x) = log1p(-x)
""", "stable")
definition("log-ratio-difference", """
    @domain x in [1, inf)
    l(x) = log(x + 1) - log(x)
""", "unstable")
definition("log1p-reciprocal", """
    @domain x in [1, inf)
    l(x) = log1p(1/x)
""", "stable")
definition("x-minus-sin", """
    @domain x in (0, 1]
    s(x) = x - sin(x)
""", "unstable")
definition("tan-minus-sin", """
    @domain x in (0, 1]
    s(x) = tan(x) - sin(x)
""", "unstable")
definition("reciprocal-difference", """
    @domain x in [1, 1e150]
    r(x) = 1/x - 1/(x + 1)
""", "unstable")
definition("reciprocal-difference-combined", """
    @domain x in [1, 1e150]
    r(x) = 1/(x*(x + 1))
""", "stable")
definition("square-minus-one", """
    @domain x in (0, 1]
    p(x) = (1 + x)**2 - 1
""", "unstable")
definition("square-minus-one-expanded", """
    @domain x in (0, 1]
    p(x) = x*(2 + x)
""", "stable")
definition("atan-difference", """
    @domain x in [1, 1e100]
    a(x) = atan(x + 1) - atan(x)
""", "unstable")
definition("softplus-naive-definition", "sp(x) = log(1 + exp(x))", "unstable")
definition("softplus-naive-swapped", "sp(x) = log(exp(x) + 1)", "unstable")
definition("softplus-naive-scaled", "sp(x) = log(1 + exp(3*x))", "unstable")
definition("softplus-catalog", "sp(x) = softplus(x)", "stable")
definition("softplus-catalog-scaled", "sp(x) = softplus(3*x)", "stable")
definition("softplus-written-stably", "sp(x) = Max(x, 0) + log1p(exp(-Abs(x)))", "stable")
definition("logsumexp-naive-two", "lse(a, b) = log(exp(a) + exp(b))", "unstable")
definition("logsumexp-naive-three", "lse(a, b, c) = log(exp(a) + exp(b) + exp(c))", "unstable")
definition("logsumexp-max-two", "lse(a, b) = Max(a, b) + log(exp(a - Max(a, b)) + exp(b - Max(a, b)))", "stable")
definition("logsumexp-max-three", """
    lse(a, b, c) = Max(a, b, c) + log(exp(a - Max(a, b, c)) + exp(b - Max(a, b, c)) + exp(c - Max(a, b, c)))
""", "stable")
definition("softmax-naive-three", "p(a, b, c) = exp(a)/(exp(a) + exp(b) + exp(c))", "unstable")
definition("softmax-naive-two", "p(a, b) = exp(a)/(exp(a) + exp(b))", "unstable")
definition("softmax-shifted-three", """
    p(a, b, c) = exp(a - Max(a, b, c))/(exp(a - Max(a, b, c)) + exp(b - Max(a, b, c)) + exp(c - Max(a, b, c)))
""", "stable")
definition("sigmoid-reciprocal", "s(x) = 1/(1 + exp(-x))", "stable")
definition("sigmoid-reciprocal-scaled", "s(x) = 1/(1 + exp(-3*x))", "stable")
definition("sigmoid-exp-ratio", "s(x) = exp(x)/(1 + exp(x))", "unstable")
definition("log-sigmoid-naive-definition", "ls(x) = log(1/(1 + exp(-x)))", "unstable")
definition("log-sigmoid-stable-definition", "ls(x) = -softplus(-x)", "stable")
definition("log-one-minus-sigmoid-naive", """
    @domain x in [10, 1000]
    l(x) = log(1 - 1/(1 + exp(-x)))
""", "unstable")
definition("log-one-minus-sigmoid-stable", "l(x) = -softplus(x)", "stable")
definition("bce-with-sigmoid", """
    @domain z in [20, 700]
    @domain y in [0, 1]
    bce(z, y) = -(y*log(sigmoid(z)) + (1 - y)*log(1 - sigmoid(z)))
""", "unstable")
definition("hypot-naive", "r(x, y) = sqrt(x**2 + y**2)", "stable")  # overflows only past 1e154
definition("swish-catalog", "s(x) = swish(x)", "stable")

# --------------------------------------------------------------------------------------- f. ml_notebook


def notebook(id: str, document: str, verdict: str | None, stability: str | None = None) -> None:
    case(id, "ml_notebook", document, verdict, stability)


SOFTMAX_CE = """
    @domain a, b, c in [-20, 20]
    Z(a, b, c) = exp(a) + exp(b) + exp(c)
    p1(a, b, c) = exp(a)/Z(a, b, c)
    loss(a, b, c) = -log(p1(a, b, c))
"""
for id, claim, verdict, *stability in [
    ("softmax-ce-helper-a-right", "∂loss/∂a = p1(a, b, c) - 1", "right", "stable"),
    ("softmax-ce-helper-a-missing-one", "∂loss/∂a = p1(a, b, c)", "wrong"),
    ("softmax-ce-helper-b-right", "∂loss/∂b = exp(b)/Z(a, b, c)", "right", "stable"),
    ("softmax-ce-helper-b-minus-one", "∂loss/∂b = exp(b)/Z(a, b, c) - 1", "wrong"),
    ("softmax-ce-helper-c-right", "∂loss/∂c = exp(c)/Z(a, b, c)", "right", "stable"),
    ("softmax-ce-helper-c-sign", "∂loss/∂c = -exp(c)/Z(a, b, c)", "wrong"),
    ("softmax-ce-helper-a-one-minus", "∂loss/∂a = 1 - p1(a, b, c)", "wrong"),
]:
    notebook(id, SOFTMAX_CE + claim, verdict, *stability)
SOFTMAX_CE_STABLE = """
    m(a, b, c) = Max(a, b, c)
    lse(a, b, c) = m(a, b, c) + log(exp(a - m(a, b, c)) + exp(b - m(a, b, c)) + exp(c - m(a, b, c)))
    loss(a, b, c) = lse(a, b, c) - a
"""
for id, claim, verdict, stability in [
    ("softmax-ce-stable-a-right", "∂loss/∂a = exp(a - lse(a, b, c)) - 1", "right", "stable"),
    ("softmax-ce-stable-b-right", "∂loss/∂b = exp(b - lse(a, b, c))", "right", "stable"),
    ("softmax-ce-stable-b-wrong", "∂loss/∂b = exp(b - lse(a, b, c)) - 1", "wrong", None),
    ("softmax-ce-stable-c-naive", "∂loss/∂c = exp(c)/(exp(a) + exp(b) + exp(c))", "right", "unstable"),
]:
    notebook(id, SOFTMAX_CE_STABLE + claim, verdict, stability)

LAYER_NORM = """
    @domain x1, x2, x3 in [-10, 10]
    eps = 1e-5
    mu(x1, x2, x3) = (x1 + x2 + x3)/3
    var(x1, x2, x3) = ((x1 - mu(x1, x2, x3))**2 + (x2 - mu(x1, x2, x3))**2 + (x3 - mu(x1, x2, x3))**2)/3
    y1(x1, x2, x3) = (x1 - mu(x1, x2, x3))/sqrt(var(x1, x2, x3) + eps)
"""
for id, claim, verdict, *stability in [
    ("layer-norm-dx1-right",
     "∂y1/∂x1 = (2/3 - (x1 - mu(x1, x2, x3))**2/(3*(var(x1, x2, x3) + eps)))/sqrt(var(x1, x2, x3) + eps)", "right", "stable"),
    ("layer-norm-dx1-ignores-statistics", "∂y1/∂x1 = 1/sqrt(var(x1, x2, x3) + eps)", "wrong"),
    ("layer-norm-dx1-ignores-variance", "∂y1/∂x1 = (2/3)/sqrt(var(x1, x2, x3) + eps)", "wrong"),
    ("layer-norm-dx1-drops-eps",
     "∂y1/∂x1 = (2/3 - (x1 - mu(x1, x2, x3))**2/(3*var(x1, x2, x3)))/sqrt(var(x1, x2, x3))", "wrong"),
    ("layer-norm-dx2-right",
     "∂y1/∂x2 = -(1/3 + (x1 - mu(x1, x2, x3))*(x2 - mu(x1, x2, x3))/(3*(var(x1, x2, x3) + eps)))"
     "/sqrt(var(x1, x2, x3) + eps)", "right", "stable"),
    ("layer-norm-dx2-sign-slip",
     "∂y1/∂x2 = (-1/3 + (x1 - mu(x1, x2, x3))*(x2 - mu(x1, x2, x3))/(3*(var(x1, x2, x3) + eps)))"
     "/sqrt(var(x1, x2, x3) + eps)", "wrong"),
]:
    notebook(id, LAYER_NORM + claim, verdict, *stability)

GELU_TANH = """
    @domain x in [-1e100, 1e100]
    k = sqrt(2/pi)
    u(x) = k*(x + 0.044715*x**3)
    g(x) = 0.5*x*(1 + tanh(u(x)))
"""
for id, claim, verdict, *stability in [
    ("gelu-tanh-right", "g'(x) = 0.5*(1 + tanh(u(x))) + 0.5*x*(1 - tanh(u(x))**2)*k*(1 + 3*0.044715*x**2)", "right",
     "stable"),
    ("gelu-tanh-cubic-factor", "g'(x) = 0.5*(1 + tanh(u(x))) + 0.5*x*(1 - tanh(u(x))**2)*k*(1 + 0.044715*x**2)",
     "wrong"),
    ("gelu-tanh-missing-k", "g'(x) = 0.5*(1 + tanh(u(x))) + 0.5*x*(1 - tanh(u(x))**2)*(1 + 3*0.044715*x**2)",
     "wrong"),
    ("gelu-tanh-first-term-only", "g'(x) = 0.5*(1 + tanh(u(x)))", "wrong"),
    ("gelu-tanh-catalog-prime", "g'(x) = gelu_tanh'(x)", "right", "stable"),
    ("gelu-tanh-exact-gelu-prime", "g'(x) = gelu'(x)", "wrong"),
]:
    notebook(id, GELU_TANH + claim, verdict, *stability)
notebook("gelu-tanh-catalog-matches", """
    g(x) = gelu_tanh(x)
    g'(x) = 0.5*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x**3))) + 0.5*x*(1 - tanh(sqrt(2/pi)*(x + 0.044715*x**3))**2)*sqrt(2/pi)*(1 + 0.134145*x**2)
""", "right")

FOCAL = """
    @domain p in (0, 1)
    fl(p) = -(1 - p)**2*log(p)
"""
for id, claim, verdict, *stability in [
    ("focal-gamma-2-right", "fl'(p) = 2*(1 - p)*log(p) - (1 - p)**2/p", "right", "stable"),
    ("focal-gamma-2-sign", "fl'(p) = -2*(1 - p)*log(p) - (1 - p)**2/p", "wrong"),
    ("focal-gamma-2-dropped-modulation", "fl'(p) = -(1 - p)**2/p", "wrong"),
    ("focal-gamma-2-exponent-slip", "fl'(p) = (1 - p)*log(p) - (1 - p)**2/p", "wrong"),
]:
    notebook(id, FOCAL + claim, verdict, *stability)
notebook("focal-logits-right", """
    fl(z) = -0.25*(1 - sigmoid(z))**2*log(sigmoid(z))
    fl'(z) = 0.5*(1 - sigmoid(z))*sigmoid'(z)*log(sigmoid(z)) - 0.25*(1 - sigmoid(z))**2*sigmoid'(z)/sigmoid(z)
""", "right")
notebook("focal-catalog-defaults-right", """
    @domain y_pred in (0, 1)
    @domain y_true in [0, 1]
    d/dy_pred focal(y_pred, y_true) = 0.25*y_true*(2*(1 - y_pred)*log(y_pred) - (1 - y_pred)**2/y_pred) - 0.75*(1 - y_true)*(2*y_pred*log(1 - y_pred) - y_pred**2/(1 - y_pred))
""", "right")
notebook("focal-catalog-gamma-1-claimed", """
    @domain y_pred in (0, 1)
    @domain y_true in [0, 1]
    d/dy_pred focal(y_pred, y_true) = 0.25*y_true*(log(y_pred) - (1 - y_pred)/y_pred) - 0.75*(1 - y_true)*(log(1 - y_pred) - y_pred/(1 - y_pred))
""", "wrong")

notebook("mse-linear-weight-right", """
    L(w, b) = mse(3*w + b, 2)
    ∂L/∂w = 6*(3*w + b - 2)
""", "right", "stable")
notebook("mse-linear-weight-missing-input", """
    L(w, b) = mse(3*w + b, 2)
    ∂L/∂w = 2*(3*w + b - 2)
""", "wrong")
notebook("mse-linear-bias-right", """
    L(w, b) = mse(3*w + b, 2)
    ∂L/∂b = 2*(3*w + b - 2)
""", "right", "stable")
notebook("mse-with-l2-right", """
    loss(w) = (3*w - 2)**2 + 0.01*w**2
    loss'(w) = 6*(3*w - 2) + 0.02*w
""", "right", "stable")
notebook("mse-with-l2-halved-penalty", """
    loss(w) = (3*w - 2)**2 + 0.01*w**2
    loss'(w) = 6*(3*w - 2) + 0.01*w
""", "wrong")
notebook("huber-residual-right", """
    L(w) = huber(2*w - 1, 0)
    L'(w) = 2*clip(2*w - 1, -1, 1)
""", "right", "stable")
notebook("huber-residual-missing-factor", """
    L(w) = huber(2*w - 1, 0)
    L'(w) = clip(2*w - 1, -1, 1)
""", "wrong")
HINGE = """
    @domain y in [-1, 1]
    h(s, y) = Max(0, 1 - y*s)
"""
for id, claim, verdict, *stability in [
    ("hinge-right", "∂h/∂s = -y*Heaviside(1 - y*s)", "right", "stable"),
    ("hinge-no-margin-check", "∂h/∂s = -y", "wrong"),
    ("hinge-forgot-label", "∂h/∂s = -Heaviside(1 - y*s)", "wrong"),
    ("hinge-margin-shifted", "∂h/∂s = -y*Heaviside(1.01 - y*s)", "wrong"),
]:
    notebook(id, HINGE + claim, verdict, *stability)
BCE = """
    @domain p in (0, 1)
    @domain t in [0, 1]
    bce(p, t) = -(t*log(p) + (1 - t)*log(1 - p))
"""
for id, claim, verdict, *stability in [
    ("bce-probability-right", "∂bce/∂p = (p - t)/(p*(1 - p))", "right", "stable"),
    ("bce-probability-split-right", "∂bce/∂p = -t/p + (1 - t)/(1 - p)", "right", "stable"),
    ("bce-probability-sign", "∂bce/∂p = -t/p - (1 - t)/(1 - p)", "wrong"),
    ("bce-probability-logit-gradient", "∂bce/∂p = p - t", "wrong"),
    ("bce-target-right", "∂bce/∂t = log(1 - p) - log(p)", "right", "stable"),
]:
    notebook(id, BCE + claim, verdict, *stability)
LOGITS = """
    @domain t in [0, 1]
    bl(z, t) = softplus(z) - t*z
"""
for id, claim, verdict, stability in [
    ("bce-logits-right", "∂bl/∂z = sigmoid(z) - t", "right", "stable"),
    ("bce-logits-prime-right", "∂bl/∂z = softplus'(z) - t", "right", "stable"),
    ("bce-logits-wrong-product", "∂bl/∂z = sigmoid(z) - t*z", "wrong", None),
    ("bce-logits-forgot-sigmoid", "∂bl/∂z = z - t", "wrong", None),
    ("bce-logits-naive-exp", "∂bl/∂z = exp(z)/(1 + exp(z)) - t", "right", "unstable"),
]:
    notebook(id, LOGITS + claim, verdict, stability)
notebook("bce-logits-catalog-right", """
    @domain y_true in [0, 1]
    d/dy_pred bce_with_logits(y_pred, y_true) = sigmoid(y_pred) - y_true
""", "right", "stable")
notebook("cross-entropy-logits-two-class-right", """
    ce(z1, z2) = softplus(z2 - z1)
    ∂ce/∂z1 = -sigmoid(z2 - z1)
""", "right", "stable")
notebook("cross-entropy-logits-two-class-sign", """
    ce(z1, z2) = softplus(z2 - z1)
    ∂ce/∂z1 = sigmoid(z2 - z1)
""", "wrong")
notebook("sigmoid-mse-right", """
    L(z) = (sigmoid(z) - 1)**2
    L'(z) = 2*(sigmoid(z) - 1)*sigmoid(z)*(1 - sigmoid(z))
""", "right", "stable")
notebook("sigmoid-mse-dropped-chain", """
    L(z) = (sigmoid(z) - 1)**2
    L'(z) = 2*(sigmoid(z) - 1)
""", "wrong")
notebook("neuron-tanh-weight-right", """
    @domain x, y in [-3, 3]
    L(w, x, y) = (tanh(w*x) - y)**2
    ∂L/∂w = 2*(tanh(w*x) - y)*(1 - tanh(w*x)**2)*x
""", "right", "stable")
notebook("neuron-tanh-weight-forgot-input", """
    @domain x, y in [-3, 3]
    L(w, x, y) = (tanh(w*x) - y)**2
    ∂L/∂w = 2*(tanh(w*x) - y)*(1 - tanh(w*x)**2)
""", "wrong")
notebook("attention-two-scores-right", """
    @domain s1, s2 in [-30, 30]
    a1(s1, s2) = exp(s1)/(exp(s1) + exp(s2))
    ∂a1/∂s1 = a1(s1, s2)*(1 - a1(s1, s2))
""", "right", "stable")
notebook("attention-two-scores-forgot-self", """
    @domain s1, s2 in [-30, 30]
    a1(s1, s2) = exp(s1)/(exp(s1) + exp(s2))
    ∂a1/∂s1 = a1(s1, s2)
""", "wrong")
notebook("gaussian-nll-variance-right", """
    @domain v in (0, 100]
    nll(m, v) = (log(v) + (m - 3)**2/v)/2
    ∂nll/∂v = (1/v - (m - 3)**2/v**2)/2
""", "right")
notebook("gaussian-nll-variance-sign", """
    @domain v in (0, 100]
    nll(m, v) = (log(v) + (m - 3)**2/v)/2
    ∂nll/∂v = (1/v + (m - 3)**2/v**2)/2
""", "wrong")

# --------------------------------------------------------------------------------------- g. ordinary


def ordinary(id: str, document: str, verdict: str, stability: str | None = None) -> None:
    case(id, "ordinary", document, verdict, stability)


for id, function, claim, verdict, *stability in [
    ("poly-quadratic", "x**2 + 3*x + 2", "2*x + 3", "right", "stable"),
    ("poly-quadratic-off", "x**2 + 3*x + 2", "2*x + 5", "wrong"),
    ("poly-cubic", "x**3 - 2*x", "3*x**2 - 2", "right", "stable"),
    ("poly-cubic-off", "x**3 - 2*x", "3*x**2 - 2*x", "wrong"),
    ("poly-quintic", "x**5/5 - x**3 + 7", "x**4 - 3*x**2", "right", "stable"),
    ("poly-factored", "(x - 1)*(x + 2)", "2*x + 1", "right", "stable"),
    ("poly-factored-off", "(x - 1)*(x + 2)", "2*x - 1", "wrong"),
    ("product-sin-exp", "sin(x)*exp(x)", "exp(x)*(sin(x) + cos(x))", "right", "stable"),
    ("product-sin-exp-off", "sin(x)*exp(x)", "exp(x)*cos(x)", "wrong"),
    ("product-x-log", "x*log(x)", "log(x) + 1", "right", "stable"),
    ("quotient-rational", "x/(x**2 + 1)", "(1 - x**2)/(x**2 + 1)**2", "right", "stable"),
    ("quotient-rational-off", "x/(x**2 + 1)", "(1 + x**2)/(x**2 + 1)**2", "wrong"),
    ("chain-sqrt", "sqrt(x**2 + 1)", "x/sqrt(x**2 + 1)", "right", "stable"),
    ("chain-sqrt-off", "sqrt(x**2 + 1)", "1/(2*sqrt(x**2 + 1))", "wrong"),
    ("chain-sin-square", "sin(x**2)", "2*x*cos(x**2)", "right", "stable"),  # cos(x**2) loses digits only
                                                                          # where x**2 itself is ill-conditioned
    ("chain-exp-sin", "exp(sin(x))", "cos(x)*exp(sin(x))", "right", "stable"),
    ("chain-exp-sin-off", "exp(sin(x))", "exp(cos(x))", "wrong"),
    ("chain-log-cosh", "log(cosh(x))", "tanh(x)", "right", "stable"),
    ("chain-atan", "atan(2*x)", "2/(1 + 4*x**2)", "right", "stable"),
    ("chain-atan-off", "atan(2*x)", "1/(1 + 4*x**2)", "wrong"),
    ("trig-identity-claim", "sin(x)**2", "sin(2*x)", "right", "stable"),
    ("erf-gaussian", "erf(x)", "2*exp(-x**2)/sqrt(pi)", "right", "stable"),
    ("erf-gaussian-off", "erf(x)", "exp(-x**2)/sqrt(pi)", "wrong"),
    ("power-fractional", "x**1.5", "1.5*x**0.5", "right", "stable"),
    ("abs-sign", "Abs(x)", "sign(x)", "right", "stable"),
    ("relu-heaviside", "Max(0, x)", "Heaviside(x)", "right", "stable"),
    ("relu-heaviside-framework", "relu(x)", "Heaviside(x, 0)", "right", "stable"),
    ("hard-tanh-window", "clip(x, -1, 1)", "Heaviside(1 - Abs(x))", "right", "stable"),
    ("piecewise-smooth-join", "Piecewise((x**2, x > 1), (2*x - 1, True))", "Piecewise((2*x, x > 1), (2, True))",
     "right", "stable"),
    ("piecewise-wrong-branch", "Piecewise((x**2, x > 1), (2*x - 1, True))", "Piecewise((2*x, x > 1), (1, True))",
     "wrong"),
]:
    domain = "@domain x in (0, inf)\n" if ("log(x)" in function or "x**1.5" in function) else ""
    ordinary(id, f"{domain}f(x) = {function}\nf'(x) = {claim}\n", verdict, *stability)
for id, document, verdict, *stability in [
    ("two-variable-right", "g(x, y) = x**2*y + x*y**2\n∂g/∂x = 2*x*y + y**2", "right", "stable"),
    ("two-variable-d-form", "g(x, y) = x**2*y + x*y**2\nd/dy g(x, y) = x**2 + 2*x*y", "right", "stable"),
    ("two-variable-d-form-off", "g(x, y) = x**2*y + x*y**2\nd/dy g(x, y) = x**2 + x*y", "wrong"),
    ("two-variable-exp", "g(x, y) = exp(x*y)\n∂g/∂y = x*exp(x*y)", "right", "stable"),
    ("two-variable-exp-off", "g(x, y) = exp(x*y)\n∂g/∂y = y*exp(x*y)", "wrong"),
    ("three-variable", "g(x, y, z) = x*y*z + z**2\n∂g/∂z = x*y + 2*z", "right", "stable"),
    ("three-variable-off", "g(x, y, z) = x*y*z + z**2\n∂g/∂z = x*y + z", "wrong"),
    ("quotient-two-variables", "@domain y in [1, 10]\nq(x, y) = x/y\n∂q/∂y = -x/y**2", "right", "stable"),
    ("second-derivative-cubic", "f(x) = x**3 + x\nf''(x) = 6*x", "right", "stable"),
    ("second-derivative-exp", "f(x) = exp(2*x)\nf''(x) = 4*exp(2*x)", "right", "stable"),
    ("second-derivative-exp-off", "f(x) = exp(2*x)\nf''(x) = 2*exp(2*x)", "wrong"),
    ("second-derivative-sin", "f(x) = sin(x)\nf''(x) = -sin(x)", "right", "stable"),
    ("third-derivative", "f(x) = x**3 - 2*x\nf'''(x) = 6", "right", "stable"),
    ("third-derivative-off", "f(x) = x**4\nf'''(x) = 12*x", "wrong"),
    ("defined-through-other", "h(x) = x**2\nk(x) = h(x) + 3*x\nk'(x) = 2*x + 3", "right", "stable"),
    ("defined-through-other-off", "h(x) = x**2\nk(x) = h(x) + 3*x\nk'(x) = x + 3", "wrong"),
    ("claim-uses-function", "s(x) = sin(x)\nc(x) = s(x)**2\nc'(x) = 2*s(x)*cos(x)", "right", "stable"),
    ("constant-in-claim", "lr = 0.1\nstep(x) = x - lr*x**2\nstep'(x) = 1 - 2*lr*x", "right", "stable"),
    ("constant-in-claim-off", "lr = 0.1\nstep(x) = x - lr*x**2\nstep'(x) = 1 - lr*x", "wrong"),
    ("log-domain", "@domain x in (0, 5]\nlg(x) = log(x)\nlg'(x) = 1/x", "right", "stable"),
    ("log-base-two", "@domain x in (0, 5]\nlg(x) = log2(x)\nlg'(x) = 1/(x*log(2))", "right", "stable"),
    ("log-base-two-off", "@domain x in (0, 5]\nlg(x) = log2(x)\nlg'(x) = 1/x", "wrong"),
]:
    ordinary(id, document, verdict, *stability)
