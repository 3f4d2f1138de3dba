"""Smooth evaluation metrics, written on the aggregates they are computed from."""
from neurogebra.catalog.entry import CLOSED_UNIT, NON_NEGATIVE, POSITIVE, Entry
from neurogebra.domains import Domain

RATE = Domain(0.0, 1.0, hi_closed=True)
RATES = {"precision": RATE, "recall": RATE}

ENTRIES = (
    Entry(
        "f1", "2*precision*recall/(precision + recall)", ("precision", "recall"), "metric",
        "F1 score: harmonic mean of precision and recall.",
        "Classification with imbalanced classes.",
        ("balances precision and recall",),
        ("ignores true negatives",),
        domain=RATES, value_range=RATE, aliases=("f1_score",),
    ),
    Entry(
        "fbeta", "(1 + beta^2)*precision*recall/(beta^2*precision + recall)", ("precision", "recall"), "metric",
        "F-beta score: recall weighted beta times as much as precision.",
        "When missing positives (beta > 1) or false alarms (beta < 1) cost more.",
        ("tunable trade-off",),
        ("ignores true negatives",),
        params={"beta": 1.0}, domain={**RATES, "beta": POSITIVE}, value_range=RATE, aliases=("fbeta_score",),
    ),
    Entry(
        "r2_score", "1 - ss_res/ss_tot", ("ss_res", "ss_tot"), "metric",
        "Coefficient of determination from the residual and total sums of squares.",
        "Goodness of fit in regression.",
        ("scale-free; 1 is a perfect fit, 0 predicts the mean",),
        ("can be arbitrarily negative", "undefined for constant targets (ss_tot = 0)"),
        domain={"ss_res": NON_NEGATIVE, "ss_tot": POSITIVE}, value_range=Domain(hi=1.0, hi_closed=True),
        aliases=("r2", "r_squared"),
    ),
    Entry(
        "smape", "2*Abs(y_pred - y_true)/(Abs(y_pred) + Abs(y_true))", ("y_pred", "y_true"), "metric",
        "Symmetric absolute percentage error of one prediction (as a fraction between 0 and 2).",
        "Forecast accuracy where over- and under-prediction should count alike.",
        ("bounded", "scale-free"),
        ("undefined when both are 0", "not truly symmetric for a fixed target"),
        domain={"y_pred": POSITIVE, "y_true": POSITIVE}, value_range=Domain(0.0, 2.0, lo_closed=True),
    ),
    Entry(
        "relative_error", "Abs(y_pred - y_true)/Abs(y_true)", ("y_pred", "y_true"), "metric",
        "Absolute error relative to the target's magnitude.",
        "Checking numerical results; scale-free regression error.",
        ("scale-free",),
        ("undefined at y_true = 0",),
        domain={"y_true": POSITIVE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "perplexity", "exp(nll)", ("nll",), "metric",
        "Perplexity from the mean negative log-likelihood per token (in nats).",
        "Language models.",
        ("interpretable as an effective branching factor",),
        ("only comparable with the same tokenizer",),
        domain={"nll": NON_NEGATIVE}, value_range=Domain(1.0, lo_closed=True),
    ),
    Entry(
        "balanced_accuracy", "(tpr + tnr)/2", ("tpr", "tnr"), "metric",
        "Balanced accuracy: mean of the true positive and true negative rates.",
        "Classification with imbalanced classes.",
        ("insensitive to class imbalance",),
        ("weighs both classes equally even when costs differ",),
        domain={"tpr": CLOSED_UNIT, "tnr": CLOSED_UNIT}, value_range=CLOSED_UNIT,
    ),
)
