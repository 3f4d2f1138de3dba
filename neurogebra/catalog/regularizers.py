"""Penalties on one weight `w` (or a pair, or one output probability `p`); sum them over the weights and add
them to the loss."""
from neurogebra.catalog.entry import CLOSED_UNIT, NON_NEGATIVE, OPEN_UNIT, POSITIVE, Entry
from neurogebra.domains import Domain

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
        "L2 (ridge) penalty: lam*w^2, as in Keras' l2 regularizer (its gradient is 2*lam*w).",
        "Default weight penalty; for plain SGD the same as weight_decay with twice the coefficient.",
        ("smooth, convex", "shrinks correlated weights together"),
        ("never makes weights exactly zero", "not the same as decoupled weight decay under Adam"),
        params={"lam": 0.01}, domain={"lam": NON_NEGATIVE}, value_range=NON_NEGATIVE, aliases=("ridge",),
    ),
    Entry(
        "weight_decay", "lam*w^2/2", ("w",), "regularizer",
        "Weight decay as a penalty: lam*w^2/2, whose gradient lam*w is what SGD's weight_decay=lam subtracts "
        "(times the learning rate) at each step.",
        "Matching a framework's weight_decay coefficient (PyTorch SGD) with an explicit penalty.",
        ("smooth, convex", "its coefficient means the same as the optimizers' weight_decay"),
        ("under Adam the penalty is not decoupled weight decay (AdamW)",),
        params={"lam": 0.01}, domain={"lam": NON_NEGATIVE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "elastic_net", "alpha*(l1_ratio*Abs(w) + (1 - l1_ratio)*w^2/2)", ("w",), "regularizer",
        "Elastic net (scikit-learn's form): a mix of the L1 and L2 penalties set by l1_ratio.",
        "Sparse models with groups of correlated features.",
        ("sparsity of L1 with the stability of L2", "convex"),
        ("two hyper-parameters", "kink at 0"),
        params={"alpha": 0.01, "l1_ratio": 0.5}, domain={"alpha": NON_NEGATIVE, "l1_ratio": CLOSED_UNIT},
        value_range=NON_NEGATIVE,
        deviation="2.5.11 computes lambda_reg*(alpha*|w| + (1 - alpha)*w^2); ours is scikit-learn's "
        "alpha*(l1_ratio*|w| + (1 - l1_ratio)*w^2/2): same family, other coefficients.",
    ),
    Entry(
        "l1_l2", "l1_reg*Abs(w) + l2_reg*w^2", ("w",), "regularizer",
        "L1 and L2 penalties with independent coefficients: l1_reg*|w| + l2_reg*w^2 (Keras' l1_l2).",
        "Elastic-net-like penalties written with Keras' coefficients.",
        ("sparsity of L1 with the stability of L2", "convex"),
        ("two hyper-parameters", "kink at 0"),
        params={"l1_reg": 0.01, "l2_reg": 0.01}, domain={"l1_reg": NON_NEGATIVE, "l2_reg": NON_NEGATIVE},
        value_range=NON_NEGATIVE,
    ),
    Entry(
        "log_barrier", "-mu*log(w)", ("w",), "regularizer",
        "Logarithmic barrier: grows without bound as w approaches 0 from above.",
        "Keeping a parameter strictly positive (interior-point methods, constrained training).",
        ("smooth inside the feasible region", "never lets w reach 0"),
        ("undefined for w <= 0", "must start feasible"),
        params={"mu": 0.1}, domain={"w": POSITIVE, "mu": POSITIVE},
        deviation="2.5.11's log_barrier is -lambda_reg*log(1 + epsilon - w^2), a barrier keeping |w| < 1; ours is "
        "the barrier -mu*log(w) keeping w > 0.",
    ),
    Entry(
        "sqrt_reg", "lam*sqrt(w^2 + epsilon)", ("w",), "regularizer",
        "Smoothed L1 penalty: lam*sqrt(w^2 + epsilon), close to lam*|w| away from 0 and smooth at 0.",
        "L1-like shrinkage with optimizers that need a gradient everywhere (L-BFGS).",
        ("smooth everywhere", "nearly as sparsifying as L1"),
        ("no exact zeros", "epsilon sets the width of the rounded kink"),
        params={"lam": 0.01, "epsilon": 1e-8}, domain={"lam": NON_NEGATIVE, "epsilon": POSITIVE},
        value_range=NON_NEGATIVE,
    ),
    Entry(
        "cauchy_reg", "lam*log1p((w/sigma)^2)", ("w",), "regularizer",
        "Cauchy (Lorentzian) penalty: lam*log(1 + w^2/sigma^2), quadratic for |w| << sigma and logarithmic beyond.",
        "Robust shrinkage that leaves large weights nearly untouched.",
        ("penalizes large weights only logarithmically", "smooth"),
        ("non-convex",),
        params={"lam": 0.01, "sigma": 1.0}, domain={"lam": NON_NEGATIVE, "sigma": POSITIVE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "entropy_reg", "lam*binary_entropy(p)", ("p",), "regularizer",
        "Entropy penalty lam*H(p) on a predicted probability p: minimizing it pushes p towards 0 or 1.",
        "Entropy minimization in semi-supervised learning (confident predictions on unlabeled data).",
        ("encourages confident, low-entropy outputs",),
        ("can reinforce early mistakes", "p must stay strictly inside (0, 1)"),
        params={"lam": 0.01}, domain={"lam": NON_NEGATIVE, "p": OPEN_UNIT}, value_range=NON_NEGATIVE,
        deviation="2.5.11 adds epsilon = 1e-8 inside both logarithms (and takes it as a parameter); ours is the "
        "exact entropy for 0 < p < 1.",
    ),
    Entry(
        "confidence_penalty", "lam*p*log(p)", ("p",), "regularizer",
        "Confidence penalty (Pereyra et al. 2017), one class's term: lam*p*log(p), which is lam times minus that "
        "class's share of the entropy; summed over the classes it is -lam*H(p), so minimizing it raises the "
        "entropy and discourages overconfident outputs.",
        "Regularizing classifiers against overconfidence (an alternative to label smoothing).",
        ("better calibrated outputs",),
        ("one more hyper-parameter", "p must be positive"),
        params={"lam": 0.1}, domain={"lam": NON_NEGATIVE, "p": Domain(0.0, 1.0, hi_closed=True)},
        value_range=Domain(hi=0.0, hi_closed=True),
        deviation="2.5.11 computes -lambda_reg*p*log(p + 1e-8), which rewards low entropy (overconfidence), the "
        "opposite of its description; ours is lam*p*log(p), Pereyra et al.'s penalty.",
    ),
    Entry(
        "kl_divergence_reg", "lam*(p*(log(p) - log(q)) + (1 - p)*(log1p(-p) - log1p(-q)))", ("p", "q"),
        "regularizer",
        "KL divergence between two Bernoulli distributions, lam*KL(p || q): keeps a probability p (for example "
        "a unit's mean activation) close to the prior or target q.",
        "Sparse autoencoders (target activation q), variational dropout, priors on probabilities.",
        ("zero exactly when p = q", "smooth"),
        ("p and q must stay strictly inside (0, 1)",),
        params={"lam": 0.01}, domain={"lam": NON_NEGATIVE, "p": OPEN_UNIT, "q": OPEN_UNIT}, value_range=NON_NEGATIVE,
        deviation="2.5.11 adds epsilon = 1e-8 to p, q, 1 - p and 1 - q inside the logarithms; ours is the exact "
        "Bernoulli KL for p, q in (0, 1).",
    ),
    Entry(
        "gradient_penalty", "lam*(grad_norm - 1)^2", ("grad_norm",), "regularizer",
        "WGAN-GP gradient penalty (Gulrajani et al. 2017): lam*(||grad D|| - 1)^2 on the critic's gradient norm.",
        "Keeping a Wasserstein GAN critic 1-Lipschitz.",
        ("more stable than weight clipping",),
        ("needs a second backward pass for the gradient norm",),
        params={"lam": 10.0}, domain={"grad_norm": NON_NEGATIVE, "lam": NON_NEGATIVE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "total_variation", "lam*Abs(w_i - w_j)", ("w_i", "w_j"), "regularizer",
        "Total variation between neighbours: lam*|w_i - w_j|; summed over neighbouring pixels or time steps.",
        "Image denoising and reconstruction, smooth style transfer, piecewise-constant signals.",
        ("keeps sharp edges while removing noise", "convex"),
        ("kink where the neighbours are equal", "staircase artefacts"),
        params={"lam": 0.01}, domain={"lam": NON_NEGATIVE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "tikhonov", "lam*(w - w_prior)^2", ("w",), "regularizer",
        "Tikhonov penalty towards a prior value: lam*(w - w_prior)^2 (L2 when w_prior = 0).",
        "Fine-tuning near pretrained weights (L2-SP), ill-posed inverse problems.",
        ("smooth, convex", "shrinks towards what is known instead of towards 0"),
        ("needs a sensible prior value",),
        params={"lam": 0.01, "w_prior": 0.0}, domain={"lam": NON_NEGATIVE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "group_lasso", "lam*sqrt(w1^2 + w2^2 + epsilon)", ("w1", "w2"), "regularizer",
        "Group lasso penalty on a group of two weights, smoothed: lam*sqrt(w1^2 + w2^2 + epsilon), the group's "
        "Euclidean norm (epsilon = 0 gives the exact norm, with its kink at 0).",
        "Removing whole groups of weights together (features with several columns, filters, neurons).",
        ("sparsity at the level of groups", "convex"),
        ("no exact zeros while epsilon > 0", "groups are usually also weighted by the square root of their size"),
        params={"lam": 0.01, "epsilon": 1e-8}, domain={"lam": NON_NEGATIVE, "epsilon": POSITIVE},
        value_range=NON_NEGATIVE,
    ),
    Entry(
        "scad",
        "Piecewise((lam*Abs(w), Abs(w) <= lam), ((2*a*lam*Abs(w) - w^2 - lam^2)/(2*(a - 1)), Abs(w) <= a*lam), "
        "(lam^2*(a + 1)/2, True))",
        ("w",), "regularizer",
        "SCAD penalty (Fan & Li 2001): L1 up to lam, a quadratic blend up to a*lam, constant beyond, so large "
        "weights are not shrunk.",
        "Sparse regression with nearly unbiased estimates of large coefficients.",
        ("sparse like L1 without shrinking large weights", "continuously differentiable away from 0"),
        ("non-convex", "two hyper-parameters (a = 3.7 is the usual choice)"),
        params={"lam": 0.01, "a": 3.7}, domain={"lam": POSITIVE, "a": Domain(2.0)}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "mcp", "Piecewise((lam*Abs(w) - w^2/(2*gamma), Abs(w) <= gamma*lam), (gamma*lam^2/2, True))", ("w",),
        "regularizer",
        "Minimax concave penalty (Zhang 2010): lam*|w| - w^2/(2*gamma) up to gamma*lam, constant beyond.",
        "Sparse regression with less bias on large coefficients than the lasso.",
        ("sparse without shrinking large weights", "continuously differentiable away from 0"),
        ("non-convex", "gamma must exceed 1"),
        params={"lam": 0.01, "gamma": 3.0}, domain={"lam": POSITIVE, "gamma": Domain(1.0)},
        value_range=NON_NEGATIVE,
    ),
    Entry(
        "max_norm", "Max(0, w^2 - max_val^2)", ("w",), "regularizer",
        "Max-norm penalty: w^2 - max_val^2 when |w| exceeds max_val, 0 inside; the soft form of the max-norm "
        "constraint |w| <= max_val.",
        "Dropout networks with a max-norm constraint (Srivastava et al. 2014), as a penalty.",
        ("no effect inside the allowed ball",),
        ("kinks at +-max_val", "a hard constraint (projection) is the usual form"),
        params={"max_val": 3.0}, domain={"max_val": POSITIVE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "orthogonal_reg", "lam*(w1*w2)^2", ("w1", "w2"), "regularizer",
        "One off-diagonal term of the orthogonality penalty lam*||W^T W - I||^2: lam*(w1*w2)^2 for two "
        "one-dimensional filters; for vectors, put their dot product in place of w1*w2.",
        "Decorrelating filters or embeddings (BigGAN's orthogonal regularization).",
        ("smooth", "zero exactly when the two are orthogonal"),
        ("the full penalty needs every pair of filters",),
        params={"lam": 0.01}, domain={"lam": NON_NEGATIVE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "label_smoothing", "y*(1 - epsilon) + epsilon/K", ("y",), "regularizer",
        "Label smoothing: the target y of one of K classes mixed with the uniform distribution, "
        "y*(1 - epsilon) + epsilon/K.",
        "Classification targets for cross-entropy (Inception v3, transformers).",
        ("better calibrated, less overconfident models",),
        ("hurts knowledge distillation from the smoothed model",),
        params={"epsilon": 0.1, "K": 10.0}, domain={"y": CLOSED_UNIT, "epsilon": CLOSED_UNIT, "K": Domain(1.0)},
        value_range=CLOSED_UNIT,
    ),
)
