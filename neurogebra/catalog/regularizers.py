"""Penalties on one weight `w`; sum them over the weights and add them to the loss."""
from neurogebra.catalog.entry import CLOSED_UNIT, NON_NEGATIVE, POSITIVE, Entry

ENTRIES = (
    Entry(
        "l1", "lam*Abs(w)", ("w",), "regularizer",
        "L1 (lasso) penalty: lam*|w|.",
        "Sparse models and feature selection.",
        ("drives weights exactly to zero", "convex"),
        ("kink at 0 (subgradient taken as 0)", "picks one of several correlated features arbitrarily"),
        params={"lam": 0.01}, domain={"lam": NON_NEGATIVE}, value_range=NON_NEGATIVE, aliases=("lasso",),
    ),
    Entry(
        "l2", "lam*w^2", ("w",), "regularizer",
        "L2 (ridge) penalty: lam*w^2, as in Keras' l2 regularizer.",
        "Default weight penalty; equivalent to weight decay for plain SGD.",
        ("smooth, convex", "shrinks correlated weights together"),
        ("never makes weights exactly zero", "not the same as decoupled weight decay under Adam"),
        params={"lam": 0.01}, domain={"lam": NON_NEGATIVE}, value_range=NON_NEGATIVE,
        aliases=("ridge", "weight_decay"),
    ),
    Entry(
        "elastic_net", "alpha*(l1_ratio*Abs(w) + (1 - l1_ratio)*w^2/2)", ("w",), "regularizer",
        "Elastic net (scikit-learn's form): a mix of the L1 and L2 penalties set by l1_ratio.",
        "Sparse models with groups of correlated features.",
        ("sparsity of L1 with the stability of L2", "convex"),
        ("two hyper-parameters", "kink at 0"),
        params={"alpha": 0.01, "l1_ratio": 0.5}, domain={"alpha": NON_NEGATIVE, "l1_ratio": CLOSED_UNIT},
        value_range=NON_NEGATIVE, aliases=("l1_l2",),
    ),
    Entry(
        "log_barrier", "-mu*log(w)", ("w",), "regularizer",
        "Logarithmic barrier: grows without bound as w approaches 0 from above.",
        "Keeping a parameter strictly positive (interior-point methods, constrained training).",
        ("smooth inside the feasible region", "never lets w reach 0"),
        ("undefined for w <= 0", "must start feasible"),
        params={"mu": 0.1}, domain={"w": POSITIVE, "mu": POSITIVE},
    ),
)
