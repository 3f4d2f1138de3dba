"""neurogebra 2.5.11's names of variables that our entries name otherwise (old name -> ours), by entry. A
2.5.11 call keeps working: `get(name, params=...)`, `eval` and the calculus methods accept the old names as
synonyms (docs/catalog-2.5.11.md). Names 2.5.11 had that stand for nothing here (its 1e-8 guards `epsilon`, the
parameters of another parametrization) are not listed: a call with one gets an error naming ours."""
from __future__ import annotations

from typing import Mapping

PENALTY_WEIGHT = {"lambda_reg": "lam"}

FORMER_NAMES: Mapping[str, Mapping[str, str]] = {
    **{name: PENALTY_WEIGHT for name in (
        "l1", "l2", "weight_decay", "sqrt_reg", "cauchy_reg", "entropy_reg", "kl_divergence_reg", "gradient_penalty",
        "total_variation", "tikhonov", "group_lasso", "scad", "orthogonal_reg", "confidence_penalty")},
    "mcp": {"lambda_reg": "lam", "gamma_mcp": "gamma"},
    "label_smoothing": {"epsilon_smooth": "epsilon"},
    **{name: {"lambda_param": "rate"} for name in (
        "exponential_pdf", "exponential_cdf", "survival_exponential", "mgf_exponential")},
    "weibull_survival": {"lambda_param": "scale"},
    "cauchy_pdf": {"gamma_param": "scale"},
    "gumbel_pdf": {"beta_param": "beta", "z": "x"},
    "beta_pdf": {"beta_param": "beta"},
    "binary_crossentropy": {"p": "y_pred", "y": "y_true"},  # as cross_entropy_elem and log_loss_elem
    "mutual_info_bound": {"x": "score"},
    "f1": {"prec": "precision", "rec": "recall"},  # as f1_score_formula
    "fbeta": {"prec": "precision", "rec": "recall", "beta_f": "beta"},  # as fbeta_score_formula
    "balanced_accuracy": {"sensitivity": "tpr", "specificity": "tnr"},
    "adjusted_r_squared": {"r2": "r2_value"},
    "explained_variance_ratio": {"lambda_i": "eigenvalue"},
    "min_max_scale": {"x_min": "lo", "x_max": "hi"},  # as min_max_normalize
    "min_max_to_range": {"x_min": "lo", "x_max": "hi", "a_range": "new_lo", "b_range": "new_hi"},
    "robust_scale": {"median_val": "median"},
    "l2_normalize": {"norm_l2": "norm"},
    "box_cox": {"lambda_bc": "lam"},  # as box_cox_approx
    "yeo_johnson": {"lambda_yj": "lam"},  # as yeo_johnson_positive
    "power_transform": {"p_exp": "power"},
    "sigmoid_transform": {"k_sig": "k", "x0_sig": "x0"},
    "winsorize": {"lower_pct": "lower", "upper_pct": "upper"},
    "exponential_smoothing": {"alpha_es": "alpha"},
    "probit": {"x": "p"},
    "sinusoidal": {"phi": "phase"},
    "damped_oscillation": {"phi": "phase"},
    "gradient_clip_norm": {"max_norm": "clip_norm"},
}
