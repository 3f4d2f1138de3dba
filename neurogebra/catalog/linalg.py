"""Linear algebra written on scalars: one element's term of a norm, distance or product (sum the terms yourself),
formulas on precomputed dot products and norms, 2x2 matrices, and normalization layers on one element."""
from neurogebra.catalog.entry import NON_NEGATIVE, POSITIVE, Entry
from neurogebra.domains import Domain

PAIR = ("x", "y")
AT_LEAST_ONE = Domain(1.0, lo_closed=True)
MATRIX = ("a", "b", "c", "d")

ENTRIES = (
    # ------------------------------------------------------------------------------------------ norm terms
    Entry(
        "l1_norm_elem", "Abs(x)", ("x",), "linalg",
        "One element's term |x| of the L1 norm (sum the terms).",
        "Sparsity penalties, Manhattan lengths.",
        ("robust to outliers",),
        ("kink at 0",),
        value_range=NON_NEGATIVE,
    ),
    Entry(
        "l2_norm_elem", "x^2", ("x",), "linalg",
        "One element's term x^2 of the squared L2 (or Frobenius) norm: sum the terms, then take the square root.",
        "Weight decay, Euclidean lengths, Frobenius norms of matrices.",
        ("smooth",),
        ("dominated by the largest elements",),
        value_range=NON_NEGATIVE, aliases=("frobenius_elem",),
    ),
    Entry(
        "lp_norm_elem", "Abs(x)^p", ("x",), "linalg",
        "One element's term |x|^p of the Lp norm (sum the terms, then take the p-th root); a norm for p >= 1.",
        "Interpolating between L1 (p = 1) and L2 (p = 2) penalties.",
        ("one parameter spans L1 to L-infinity",),
        ("kink at 0 for p <= 1",),
        params={"p": 2.0}, domain={"p": AT_LEAST_ONE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "huber_norm_elem", "huber(x, 0, delta)", ("x",), "linalg",
        "One element's Huber term: x^2/2 for |x| <= delta, delta*(|x| - delta/2) beyond.",
        "Robust norms of residual vectors.",
        ("quadratic near 0, linear in the tails",),
        ("delta must match the scale",),
        params={"delta": 1.0}, domain={"delta": POSITIVE}, value_range=NON_NEGATIVE,
    ),
    # ------------------------------------------------------------------------------------------ products, angles
    Entry(
        "dot_product_elem", "x*y", PAIR, "linalg",
        "One element's term x*y of a dot product (sum the terms).",
        "Linear layers, attention scores, similarities.",
        ("bilinear",),
        ("grows with the vectors' lengths",),
    ),
    Entry(
        "cosine_similarity", "dot_xy/(norm_x*norm_y)", ("dot_xy", "norm_x", "norm_y"), "linalg",
        "Cosine of the angle between two vectors, from their dot product and norms.",
        "Embedding similarity, retrieval, contrastive learning.",
        ("independent of the vectors' lengths",),
        ("undefined for a zero vector",),
        domain={"norm_x": POSITIVE, "norm_y": POSITIVE},
        deviation="2.5.11 divides by norm_x*norm_y + 1e-8: for vectors of norm 1e-4 it gives 0.5 instead of 1; "
                  "ours divides by norm_x*norm_y.",
    ),
    Entry(
        "scaled_dot_product", "dot_qk/sqrt(d_k)", ("dot_qk",), "linalg",
        "A query-key dot product divided by sqrt(d_k): the score inside transformer attention.",
        "Attention layers, before the softmax.",
        ("keeps score variance near 1 for unit-variance vectors",),
        ("d_k is the key dimension, not a free hyper-parameter",),
        params={"d_k": 64.0}, domain={"d_k": POSITIVE},
    ),
    # ------------------------------------------------------------------------------------------ distance terms
    Entry(
        "euclidean_dist_elem", "(x - y)^2", PAIR, "linalg",
        "One coordinate's term (x - y)^2 of the squared Euclidean distance (sum, then take the square root).",
        "k-means, nearest neighbours, RBF kernels.",
        ("smooth",),
        ("sensitive to outliers and to the features' scales",),
        value_range=NON_NEGATIVE,
    ),
    Entry(
        "manhattan_dist_elem", "Abs(x - y)", PAIR, "linalg",
        "One coordinate's term |x - y| of the Manhattan (L1) distance.",
        "Robust nearest neighbours, grid distances.",
        ("robust to outliers",),
        ("kink where x = y",),
        value_range=NON_NEGATIVE,
    ),
    Entry(
        "minkowski_dist_elem", "Abs(x - y)^p", PAIR, "linalg",
        "One coordinate's term |x - y|^p of the Minkowski distance (sum, then take the p-th root).",
        "Distances between L1 (p = 1) and L2 (p = 2).",
        ("one parameter spans L1 to L-infinity",),
        ("a metric only for p >= 1",),
        params={"p": 2.0}, domain={"p": AT_LEAST_ONE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "chebyshev_dist", "Max(Abs(x - y), Abs(a - b))", ("x", "y", "a", "b"), "linalg",
        "Chebyshev (L-infinity) distance between the 2-D points (x, a) and (y, b): the larger coordinate gap.",
        "Chessboard distances, worst-case deviations.",
        ("only the largest gap counts",),
        ("kinks where the gaps are equal or zero",),
        value_range=NON_NEGATIVE,
    ),
    Entry(
        "mahalanobis_1d", "Abs(x - mu)/sigma", ("x",), "linalg",
        "Mahalanobis distance in one dimension: |x - mu| in units of the standard deviation sigma.",
        "Outlier detection, standardized distances.",
        ("scale-free",),
        ("ignores correlations (one dimension)",),
        params={"mu": 0.0, "sigma": 1.0}, domain={"sigma": POSITIVE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "canberra_dist_elem", "Abs(x - y)/(Abs(x) + Abs(y))", PAIR, "linalg",
        "One coordinate's term |x - y|/(|x| + |y|) of the Canberra distance; undefined at x = y = 0 (take 0).",
        "Distances between count or rank vectors.",
        ("each term lies in [0, 1]",),
        ("very sensitive near 0",),
        value_range=Domain(0.0, 1.0, lo_closed=True, hi_closed=True),
        deviation="2.5.11 divides by |x| + |y| + 1e-8: for x = 1e-8, y = -1e-8 it gives 0.67 instead of 1; ours "
                  "divides by |x| + |y|.",
    ),
    # ------------------------------------------------------------------------------------------ projections
    Entry(
        "vector_projection_scalar", "dot_ab/norm_b^2", ("dot_ab", "norm_b"), "linalg",
        "Coefficient a.b/|b|^2 of the projection of a onto b.",
        "Gram-Schmidt, removing a direction from embeddings.",
        ("exact",),
        ("undefined for b = 0",),
        domain={"norm_b": POSITIVE},
        deviation="2.5.11 divides by norm_b^2 + 1e-8, which halves the coefficient at norm_b = 1e-4; ours divides "
                  "by norm_b^2.",
    ),
    Entry(
        "orthogonal_residual_elem", "a - proj_coeff*b", ("a", "b", "proj_coeff"), "linalg",
        "One element of a minus its projection onto b: a - proj_coeff*b, with proj_coeff from "
        "vector_projection_scalar.",
        "Gram-Schmidt orthogonalization.",
        ("exact",),
        ("loses orthogonality in float when repeated (re-orthogonalize)",),
    ),
    # ------------------------------------------------------------------------------------------ 2x2 matrices
    Entry(
        "determinant_2x2", "a*d - b*c", MATRIX, "linalg",
        "Determinant of the 2x2 matrix [[a, b], [c, d]].",
        "Areas, invertibility checks, change of variables in 2-D.",
        ("exact formula",),
        ("cancels to noise for nearly singular matrices",),
    ),
    Entry(
        "trace_2x2", "a + d", ("a", "d"), "linalg",
        "Trace of the 2x2 matrix [[a, b], [c, d]]: the sum of its diagonal (and of its eigenvalues).",
        "Eigenvalue sums, divergences.",
        ("linear",),
        ("ignores the off-diagonal entries",),
    ),
    Entry(
        "eigenvalue_2x2", "(a + d)/2 + sqrt(((a - d)/2)^2 + b*c)", MATRIX, "linalg",
        "Larger eigenvalue of the 2x2 matrix [[a, b], [c, d]]; real when b*c >= -((a - d)/2)^2, e.g. for b and "
        "c of one sign (sampled with b, c > 0).",
        "Curvature of 2-D loss surfaces, principal stretches.",
        ("closed form",),
        ("complex for some matrices (rotations)",),
        domain={"b": POSITIVE, "c": POSITIVE},
    ),
    # ------------------------------------------------------------------------------------------ kernels, softmax
    Entry(
        "sigmoid_kernel", "tanh(alpha*x*y + c_coeff)", PAIR, "linalg",
        "Sigmoid (hyperbolic tangent) kernel tanh(alpha*x*y + c_coeff).",
        "SVMs imitating a two-layer network.",
        ("bounded",),
        ("not positive semi-definite for every alpha and c_coeff",),
        params={"alpha": 1.0, "c_coeff": 0.0}, value_range=Domain(-1.0, 1.0, lo_closed=True, hi_closed=True),
    ),
    Entry(
        "softmax_score", "sigmoid(x - y)", PAIR, "linalg",
        "Softmax probability exp(x)/(exp(x) + exp(y)) of the first of two classes with logits x and y.",
        "Binary choices written as two logits (pairwise preference models).",
        ("no overflow", "exactly 1/2 for equal logits"),
        ("saturates when the logits are far apart",),
        value_range=Domain(0.0, 1.0, lo_closed=True, hi_closed=True),
        deviation="2.5.11 computes exp(x)/(exp(x) + exp(y) + 1e-8): 0.15 instead of 0.5 at x = y = -20, and NaN "
                  "from x = 710; ours is sigmoid(x - y).",
    ),
    Entry(
        "log_softmax_score", "-softplus(y - x)", PAIR, "linalg",
        "Log-softmax x - log(exp(x) + exp(y)) of the first of two classes with logits x and y.",
        "Log-likelihoods of pairwise choices (Bradley-Terry, reward models).",
        ("no overflow", "accurate for very unlikely classes"),
        ("two classes only",),
        value_range=Domain(hi=0.0, hi_closed=True),
        deviation="2.5.11 computes x - log(exp(x) + exp(y) + 1e-8), which overflows from x = 710 and gives -1.92 "
                  "instead of -0.69 at x = y = -20; ours is -softplus(y - x).",
    ),
    # ------------------------------------------------------------------------------------------ normalization
    Entry(
        "layer_norm_elem", "gamma_ln*(x - mu)/sqrt(sigma^2 + eps) + beta_ln", ("x",), "linalg",
        "Layer normalization of one element: (x - mu)/sqrt(sigma^2 + eps), scaled by gamma_ln and shifted by "
        "beta_ln, where mu and sigma are the layer's mean and standard deviation.",
        "Transformers and RNNs.",
        ("independent of the batch",),
        ("mu and sigma must come from the same layer's activations",),
        params={"mu": 0.0, "sigma": 1.0, "gamma_ln": 1.0, "beta_ln": 0.0, "eps": 1e-5},
        domain={"sigma": NON_NEGATIVE, "eps": POSITIVE},
        deviation="2.5.11 divides by sigma + 1e-5; layer normalization (PyTorch, TensorFlow) divides by "
                  "sqrt(sigma^2 + eps), as ours does.",
    ),
    Entry(
        "batch_norm_elem", "gamma_bn*(x - mu_batch)/sqrt(var_batch + eps) + beta_bn", ("x",), "linalg",
        "Batch normalization of one element with the batch mean mu_batch and variance var_batch, scaled by "
        "gamma_bn and shifted by beta_bn.",
        "CNNs.",
        ("faster, more stable training",),
        ("depends on the batch: small batches give noisy statistics",),
        params={"mu_batch": 0.0, "var_batch": 1.0, "gamma_bn": 1.0, "beta_bn": 0.0, "eps": 1e-5},
        domain={"var_batch": NON_NEGATIVE, "eps": POSITIVE},
    ),
)
