"""Feature and target transforms of one variable `x` (or a probability `p`)."""
from neurogebra.catalog.entry import OPEN_UNIT, POSITIVE, Entry
from neurogebra.domains import Domain

ENTRIES = (
    Entry(
        "logit", "log(p/(1 - p))", ("p",), "transform",
        "Log-odds: the inverse of the sigmoid.",
        "Turning probabilities into unbounded scores; logistic regression.",
        ("maps (0, 1) onto the real line",),
        ("infinite at 0 and 1",),
        domain={"p": OPEN_UNIT}, aliases=("log_odds",),
    ),
    Entry(
        "standardize", "(x - mu)/sigma", ("x",), "transform",
        "Z-score: subtract the mean, divide by the standard deviation.",
        "Input normalization for most models.",
        ("unit-free features on a common scale",),
        ("sensitive to outliers through mu and sigma",),
        params={"mu": 0.0, "sigma": 1.0}, domain={"sigma": POSITIVE}, aliases=("z_score", "zscore"),
    ),
    Entry(
        "min_max_scale", "(x - lo)/(hi - lo)", ("x",), "transform",
        "Min-max scaling: maps [lo, hi] onto [0, 1].",
        "Bounded inputs (pixels, percentages); features for distance-based models.",
        ("preserves shape", "bounded output on the training range"),
        ("one outlier squeezes everything else", "undefined when hi = lo"),
        params={"lo": 0.0, "hi": 1.0}, aliases=("minmax", "min_max"),
    ),
    Entry(
        "log1p_transform", "log1p(x)", ("x",), "transform",
        "log(1 + x): compresses large values, keeps 0 at 0.",
        "Skewed non-negative features and targets (counts, prices).",
        ("accurate for small x", "defined at 0"),
        ("only for x > -1",),
        domain={"x": Domain(-1.0)},
    ),
    Entry(
        "box_cox", "(x^lam - 1)/lam", ("x",), "transform",
        "Box-Cox power transform (lam != 0; lam -> 0 gives log(x)).",
        "Making positive, skewed data closer to normal.",
        ("one parameter spans log to linear",),
        ("only for x > 0", "lam = 0 needs the log form"),
        params={"lam": 0.5}, domain={"x": POSITIVE, "lam": POSITIVE},
    ),
    Entry(
        "asinh_transform", "asinh(x)", ("x",), "transform",
        "Inverse hyperbolic sine: like log(2x) for large |x|, linear near 0, defined for negatives.",
        "Skewed data with zeros or negative values (finance, flow cytometry).",
        ("defined everywhere", "smooth"),
        ("the scale of the linear region is fixed unless x is rescaled",),
        aliases=("arcsinh_transform",),
    ),
    Entry(
        "symlog", "Piecewise((log1p(x), x >= 0), (-log1p(-x), True))", ("x",), "transform",
        "Symmetric log: sign(x)*log(1 + |x|).",
        "Compressing heavy-tailed signed values (rewards, gradients, returns).",
        ("defined everywhere", "derivative is continuous (1 at 0)"),
        ("second derivative jumps at 0",),
    ),
)
