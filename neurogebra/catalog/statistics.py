"""Densities and distribution functions of one variable `x`."""
import math

from neurogebra.catalog.entry import NON_NEGATIVE, OPEN_UNIT, POSITIVE, Entry
from neurogebra.domains import Domain

ENTRIES = (
    Entry(
        "gaussian_pdf", "exp(-(x - mu)^2/(2*sigma^2))/(sigma*sqrt(2*pi))", ("x",), "statistic",
        "Normal density with mean mu and standard deviation sigma.",
        "Likelihoods, radial basis functions, Gaussian smoothing.",
        ("closed-form moments", "smooth"),
        ("light tails: outliers get tiny density",),
        params={"mu": 0.0, "sigma": 1.0}, domain={"sigma": POSITIVE}, value_range=POSITIVE,
        aliases=("normal_pdf",),
    ),
    Entry(
        "gaussian_log_pdf", "-log(sigma) - log(2*pi)/2 - (x - mu)^2/(2*sigma^2)", ("x",), "statistic",
        "Log of the normal density.",
        "Log-likelihoods in VAEs and probabilistic models (numerically safer than log(gaussian_pdf)).",
        ("no underflow far from the mean",),
        ("sigma must stay positive",),
        params={"mu": 0.0, "sigma": 1.0}, domain={"sigma": POSITIVE}, aliases=("normal_log_pdf",),
    ),
    Entry(
        "normal_cdf", "(1 + erf((x - mu)/(sigma*sqrt(2))))/2", ("x",), "statistic",
        "Normal cumulative distribution function with mean mu and standard deviation sigma.",
        "Probit models, tail probabilities.",
        ("exact erf form",),
        ("saturates to 0 or 1 in float64 beyond about 8 sigma",),
        params={"mu": 0.0, "sigma": 1.0}, domain={"sigma": POSITIVE}, value_range=OPEN_UNIT,
    ),
    Entry(
        "standard_normal_cdf", "(1 + erf(x/sqrt(2)))/2", ("x",), "statistic",
        "Standard normal CDF Phi(x).",
        "Probit links; GELU is x*Phi(x).",
        ("no parameters",),
        ("saturates to 0 or 1 in float64 beyond about 8",),
        value_range=OPEN_UNIT, aliases=("phi", "probit_inverse"),
    ),
    Entry(
        # symmetric in x - mu: no overflow
        "logistic_pdf", "exp(-Abs(x - mu)/s)/(s*(1 + exp(-Abs(x - mu)/s))^2)", ("x",), "statistic",
        "Logistic density with location mu and scale s (the derivative of a shifted sigmoid).",
        "Logistic regression's latent noise; heavier-tailed alternative to the normal.",
        ("closed-form CDF (the sigmoid)",),
        ("exp(-(x - mu)/s) overflows far below the mean",),
        params={"mu": 0.0, "s": 1.0}, domain={"s": POSITIVE}, value_range=POSITIVE,
    ),
    Entry(
        "laplace_pdf", "exp(-Abs(x - mu)/b)/(2*b)", ("x",), "statistic",
        "Laplace (double exponential) density with location mu and scale b.",
        "Robust likelihoods; its negative log is the absolute error.",
        ("heavier tails than the normal",),
        ("kink at the mode",),
        params={"mu": 0.0, "b": 1.0}, domain={"b": POSITIVE}, value_range=POSITIVE,
    ),
    Entry(
        "exponential_pdf", "rate*exp(-rate*x)", ("x",), "statistic",
        "Exponential density for x >= 0 with the given rate.",
        "Waiting times, survival models.",
        ("memoryless", "one parameter"),
        ("only for non-negative x",),
        params={"rate": 1.0}, domain={"x": NON_NEGATIVE, "rate": POSITIVE}, value_range=POSITIVE,
    ),
    Entry(
        "cauchy_pdf", "1/(pi*scale*(1 + ((x - x0)/scale)^2))", ("x",), "statistic",
        "Cauchy density with location x0 and scale.",
        "Very heavy-tailed noise models; robust losses.",
        ("extremely robust to outliers",),
        ("no mean or variance",),
        params={"x0": 0.0, "scale": 1.0}, domain={"scale": POSITIVE}, value_range=POSITIVE,
    ),
    Entry(
        "binary_entropy", "-p*log(p) - (1 - p)*log(1 - p)", ("p",), "statistic",
        "Entropy (in nats) of a coin with probability p.",
        "Uncertainty of binary predictions; entropy bonuses in reinforcement learning.",
        ("maximal (log 2) at p = 1/2",),
        ("log(0) at p = 0 or 1: keep p strictly inside (0, 1)",),
        domain={"p": OPEN_UNIT}, value_range=Domain(0.0, math.log(2.0), lo_closed=True, hi_closed=True),
    ),
)
