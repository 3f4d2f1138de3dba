"""Densities, distribution functions and the statistics built from them: functions of one variable `x` unless
an entry says otherwise."""
import math

from neurogebra.catalog.entry import NON_NEGATIVE, OPEN_UNIT, POSITIVE, Entry
from neurogebra.domains import Domain

SAMPLE_SIZE = Domain(1.0, lo_closed=True)
MGF_ARGUMENT = Domain(-20.0, 20.0, lo_closed=True, hi_closed=True)  # beyond |t| ~ 37/sigma exp overflows float64

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
        params={"mu": 0.0, "sigma": 1.0}, domain={"sigma": POSITIVE}, aliases=("normal_log_pdf", "log_prior_normal"),
    ),
    Entry(
        "normal_cdf", "erfc(-(x - mu)/(sigma*sqrt(2)))/2", ("x",), "statistic",
        "Normal cumulative distribution function with mean mu and standard deviation sigma: "
        "(1 + erf((x - mu)/(sigma*sqrt(2))))/2, written with erfc so the lower tail keeps its digits.",
        "Probit models, tail probabilities.",
        ("exact, accurate in the lower tail down to about -37 sigma",),
        ("rounds to 1 in float64 beyond about 8 sigma above the mean",),
        params={"mu": 0.0, "sigma": 1.0}, domain={"sigma": POSITIVE}, value_range=OPEN_UNIT,
    ),
    Entry(
        "standard_normal_cdf", "erfc(-x/sqrt(2))/2", ("x",), "statistic",
        "Standard normal CDF Phi(x) = (1 + erf(x/sqrt(2)))/2, written with erfc so the lower tail keeps its "
        "digits.",
        "Probit links; GELU is x*Phi(x).",
        ("no parameters", "accurate in the lower tail down to about -37"),
        ("rounds to 1 in float64 beyond about 8",),
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
        "binary_entropy", "-p*log(p) - (1 - p)*log1p(-p)", ("p",), "statistic",
        "Entropy (in nats) of a coin with probability p.",
        "Uncertainty of binary predictions; entropy bonuses in reinforcement learning.",
        ("maximal (log 2) at p = 1/2",),
        ("log(0) at p = 0 or 1: keep p strictly inside (0, 1)",),
        domain={"p": OPEN_UNIT}, value_range=Domain(0.0, math.log(2.0), lo_closed=True, hi_closed=True),
    ),
    Entry(
        "standard_normal_pdf", "exp(-x^2/2)/sqrt(2*pi)", ("x",), "statistic",
        "Standard normal density (mean 0, standard deviation 1).",
        "Likelihoods and kernels on standardized data.",
        ("no parameters", "smooth"),
        ("light tails: outliers get tiny density",),
        value_range=Domain(0.0, 1 / math.sqrt(2 * math.pi), hi_closed=True),
    ),
    Entry(
        "uniform_pdf", "Piecewise((0, x < a), (1/(b - a), x <= b), (0, True))", ("x",), "statistic",
        "Uniform density on [a, b]: 1/(b - a) inside, 0 outside (needs a < b).",
        "Uninformative priors on a bounded interval; random initialization ranges.",
        ("the maximum-entropy density on an interval",),
        ("jumps at a and b: zero gradient almost everywhere",),
        params={"a": 0.0, "b": 1.0}, value_range=NON_NEGATIVE,
        deviation="2.5.11 gives 1/(b - a) without x, which is not a density of anything (never 0 outside [a, b]); "
        "ours takes x: 1/(b - a) on [a, b], 0 elsewhere.",
    ),
    Entry(
        "log_normal_pdf", "exp(-(log(x) - mu)^2/(2*sigma^2))/(x*sigma*sqrt(2*pi))", ("x",), "statistic",
        "Log-normal density: x > 0 whose logarithm is normal with mean mu and standard deviation sigma.",
        "Positive, right-skewed quantities (incomes, durations, particle sizes).",
        ("positive support", "closed-form moments"),
        ("only for x > 0",),
        params={"mu": 0.0, "sigma": 1.0}, domain={"x": POSITIVE, "sigma": POSITIVE}, value_range=NON_NEGATIVE,
        aliases=("lognormal_pdf",),
    ),
    Entry(
        "rayleigh_pdf", "x*exp(-x^2/(2*sigma^2))/sigma^2", ("x",), "statistic",
        "Rayleigh density for x >= 0: the length of a 2-D vector with independent normal components.",
        "Signal amplitudes, wind speeds, magnitudes of 2-D noise.",
        ("one parameter",),
        ("only for x >= 0",),
        params={"sigma": 1.0}, domain={"x": NON_NEGATIVE, "sigma": POSITIVE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "gumbel_pdf", "exp(-(x - mu)/beta - exp(-(x - mu)/beta))/beta", ("x",), "statistic",
        "Gumbel (type-I extreme value) density with location mu and scale beta: exp(-z - exp(-z))/beta for "
        "z = (x - mu)/beta.",
        "Maxima of samples (floods, extremes); the Gumbel-max trick and Gumbel-softmax sampling.",
        ("closed-form CDF exp(-exp(-z))",),
        ("skewed: the mean is not mu",),
        params={"mu": 0.0, "beta": 1.0}, domain={"beta": POSITIVE}, value_range=NON_NEGATIVE,
        deviation="2.5.11 takes the standardized z instead of x and ignores its parameter mu; ours takes x with "
        "location mu and scale beta.",
    ),
    Entry(
        "beta_pdf", "exp((alpha - 1)*log(x) + (beta - 1)*log1p(-x) - betaln(alpha, beta))", ("x",), "statistic",
        "Beta density x^(alpha - 1)*(1 - x)^(beta - 1)/B(alpha, beta) on (0, 1), computed in logs so large "
        "alpha and beta neither overflow nor underflow.",
        "Priors and models for probabilities and proportions (Bayesian A/B tests, Thompson sampling).",
        ("conjugate prior of the Bernoulli and binomial", "flexible shapes on (0, 1)"),
        ("infinite at 0 or 1 when alpha or beta is below 1",),
        params={"alpha": 2.0, "beta": 5.0}, domain={"x": OPEN_UNIT, "alpha": POSITIVE, "beta": POSITIVE},
        value_range=NON_NEGATIVE,
        deviation="2.5.11's beta_pdf is the unnormalized x^(alpha - 1)*(1 - x)^(beta - 1), which integrates to "
        "1/30 for its defaults alpha = 2, beta = 5; ours divides by the beta function B(alpha, beta).",
    ),
    Entry(
        "chi_squared_kernel", "x^(k/2 - 1)*exp(-x/2)", ("x",), "statistic",
        "Unnormalized chi-squared density with k degrees of freedom: x^(k/2 - 1)*exp(-x/2) (divide by "
        "2^(k/2)*gamma(k/2) for the density).",
        "Likelihood ratios and variance estimates up to a constant factor.",
        ("no gamma function needed",),
        ("not normalized: compare shapes, not probabilities",),
        params={"k": 2.0}, domain={"x": POSITIVE, "k": POSITIVE}, value_range=POSITIVE,
    ),
    Entry(
        "student_t_kernel", "(1 + x^2/nu)^(-(nu + 1)/2)", ("x",), "statistic",
        "Unnormalized Student-t density with nu degrees of freedom: (1 + x^2/nu)^(-(nu + 1)/2).",
        "Heavy-tailed likelihoods (robust regression), t-SNE's similarity kernel (nu = 1).",
        ("heavy tails: robust to outliers",),
        ("not normalized: compare shapes, not probabilities",),
        params={"nu": 3.0}, domain={"nu": POSITIVE}, value_range=Domain(0.0, 1.0, hi_closed=True),
    ),
    Entry(
        "logistic_cdf", "sigmoid((x - mu)/s)", ("x",), "statistic",
        "Logistic cumulative distribution function with location mu and scale s: a shifted, scaled sigmoid.",
        "Logistic regression's latent-variable view, Elo ratings, growth curves.",
        ("closed form", "smooth"),
        ("lighter tails than Cauchy, heavier than normal",),
        params={"mu": 0.0, "s": 1.0}, domain={"s": POSITIVE}, value_range=OPEN_UNIT,
    ),
    Entry(
        "exponential_cdf", "-expm1(-rate*x)", ("x",), "statistic",
        "Exponential cumulative distribution function 1 - exp(-rate*x) for x >= 0 (written with expm1, exact "
        "for small rate*x).",
        "Probability that an event has happened by time x.",
        ("closed form",),
        ("only for x >= 0",),
        params={"rate": 1.0}, domain={"x": NON_NEGATIVE, "rate": POSITIVE},
        value_range=Domain(0.0, 1.0, lo_closed=True),
    ),
    Entry(
        "survival_exponential", "exp(-rate*x)", ("x",), "statistic",
        "Exponential survival function S(x) = 1 - F(x) = exp(-rate*x) for x >= 0.",
        "Survival analysis with a constant hazard rate.",
        ("closed form", "memoryless"),
        ("a constant hazard rarely fits real lifetimes",),
        params={"rate": 1.0}, domain={"x": NON_NEGATIVE, "rate": POSITIVE},
        value_range=Domain(0.0, 1.0, hi_closed=True),
    ),
    Entry(
        "weibull_survival", "exp(-(x/scale)^k)", ("x",), "statistic",
        "Weibull survival function exp(-(x/scale)^k) for x >= 0: the hazard rises for k > 1 and falls for k < 1.",
        "Reliability and survival analysis, time-to-failure models.",
        ("covers rising, constant (k = 1) and falling hazards",),
        ("only for x >= 0",),
        params={"scale": 1.0, "k": 1.5}, domain={"x": NON_NEGATIVE, "scale": POSITIVE, "k": POSITIVE},
        value_range=Domain(0.0, 1.0, hi_closed=True),
    ),
    Entry(
        "kl_divergence_elem", "kl_div(q, p)", ("p", "q"), "statistic",
        "One term of the Kullback-Leibler divergence KL(p || q): p*log(p/q); sum it over the outcomes. "
        "(kl_div takes its arguments the other way round, prediction first.)",
        "Comparing distributions: variational inference, distillation, drift detection.",
        ("zero when p = q",),
        ("asymmetric", "terms can be negative; only the sum is >= 0"),
        domain={"p": OPEN_UNIT, "q": OPEN_UNIT},
    ),
    Entry(
        "js_divergence_elem", "(p*log(2*p/(p + q)) + q*log(2*q/(p + q)))/2", ("p", "q"), "statistic",
        "One term of the Jensen-Shannon divergence: (p*log(p/m) + q*log(q/m))/2 with m = (p + q)/2; sum it over "
        "the outcomes.",
        "Symmetric distribution comparison; the divergence the original GAN minimizes.",
        ("symmetric, bounded by log(2)", "each term is >= 0"),
        ("saturates when the distributions do not overlap (vanishing GAN gradients)",),
        domain={"p": OPEN_UNIT, "q": OPEN_UNIT}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "mutual_info_bound", "softplus(score)", ("score",), "statistic",
        "The Jensen-Shannon mutual-information estimator's term for a shuffled (negative) pair with critic "
        "score T: softplus(T). The estimate is the mean of -softplus(-T) over true pairs minus the mean of "
        "softplus(T) over shuffled pairs (Deep InfoMax, Hjelm et al. 2019).",
        "Representation learning by maximizing mutual information (Deep InfoMax, f-GAN critics).",
        ("more stable than the Donsker-Varadhan bound",),
        ("a bound on a divergence, not mutual information in nats",),
        value_range=POSITIVE,
        deviation="2.5.11 describes softplus(x) as the Donsker-Varadhan/NWJ bound kernel, but those bounds use exp; "
        "same formula here, described as the Jensen-Shannon estimator's term it is.",
    ),
    Entry(
        "t_statistic", "sqrt(n)*(x - mu)/s", ("x",), "statistic",
        "One-sample t statistic of a sample mean x against mu, with sample standard deviation s and size n.",
        "Testing whether a mean differs from mu; A/B tests.",
        ("scale-free",),
        ("assumes roughly normal data or a large n",),
        params={"mu": 0.0, "s": 1.0, "n": 30.0}, domain={"s": POSITIVE, "n": SAMPLE_SIZE},
    ),
    Entry(
        "coefficient_of_variation", "sigma/mu", ("sigma", "mu"), "statistic",
        "Coefficient of variation: the standard deviation relative to a positive mean.",
        "Comparing the spread of quantities on different scales.",
        ("unit-free",),
        ("meaningless for means near 0 or quantities without a true zero",),
        domain={"sigma": NON_NEGATIVE, "mu": POSITIVE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "pooled_variance", "((n1 - 1)*s1^2 + (n2 - 1)*s2^2)/(n1 + n2 - 2)", ("s1", "s2"), "statistic",
        "Pooled variance of two samples with standard deviations s1, s2 and sizes n1, n2.",
        "Two-sample t-test with equal variances.",
        ("uses both samples' information",),
        ("assumes equal population variances",),
        params={"n1": 30.0, "n2": 30.0}, domain={"s1": NON_NEGATIVE, "s2": NON_NEGATIVE, "n1": SAMPLE_SIZE,
                                                  "n2": SAMPLE_SIZE},
        value_range=NON_NEGATIVE,
    ),
    Entry(
        "standard_error", "sigma/sqrt(n)", ("sigma",), "statistic",
        "Standard error of a mean of n observations with standard deviation sigma.",
        "Error bars, confidence intervals.",
        ("shrinks like 1/sqrt(n)",),
        ("assumes independent observations",),
        params={"n": 30.0}, domain={"sigma": NON_NEGATIVE, "n": SAMPLE_SIZE}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "bayes_posterior_kernel",
        "exp(-(y - x)^2/(2*sigma_lik^2) - (x - mu_prior)^2/(2*sigma_prior^2))", ("x", "y"), "statistic",
        "Unnormalized posterior of a mean x after one observation y: a normal likelihood (sigma_lik) times a "
        "normal prior (mu_prior, sigma_prior).",
        "Teaching conjugate Bayesian updates; MAP estimation.",
        ("the posterior is normal again (conjugacy)",),
        ("not normalized",),
        params={"mu_prior": 0.0, "sigma_prior": 1.0, "sigma_lik": 1.0},
        domain={"sigma_prior": POSITIVE, "sigma_lik": POSITIVE}, value_range=Domain(0.0, 1.0, hi_closed=True),
    ),
    Entry(
        "evidence_lower_bound", "log_likelihood - kl_term", ("log_likelihood", "kl_term"), "statistic",
        "Evidence lower bound: expected log-likelihood minus KL(q || p); maximize it (or minimize its negative).",
        "Variational autoencoders and variational inference.",
        ("a tractable lower bound on log p(x)",),
        ("the bound can be loose", "the KL term can collapse the posterior"),
        domain={"kl_term": NON_NEGATIVE}, aliases=("elbo",),
    ),
    Entry(
        "pearson_r_component", "(x - mu_x)*(y - mu_y)/(sigma_x*sigma_y)", ("x", "y"), "statistic",
        "One observation's term of Pearson's correlation: the product of the standardized x and y; their mean "
        "(with population standard deviations) is r.",
        "Correlation of features; correlation-based losses.",
        ("scale-free",),
        ("measures linear association only",),
        params={"mu_x": 0.0, "mu_y": 0.0, "sigma_x": 1.0, "sigma_y": 1.0},
        domain={"sigma_x": POSITIVE, "sigma_y": POSITIVE},
    ),
    Entry(
        "linear_regression_pred", "beta_0 + beta_1*x", ("x",), "statistic",
        "Simple linear regression prediction: intercept beta_0 plus slope beta_1 times x.",
        "Baselines, trend lines.",
        ("interpretable coefficients",),
        ("linear in x only",),
        params={"beta_0": 0.0, "beta_1": 1.0},
    ),
    Entry(
        "logistic_regression_pred", "sigmoid(beta_0 + beta_1*x)", ("x",), "statistic",
        "Logistic regression prediction: the probability sigmoid(beta_0 + beta_1*x).",
        "Binary classification baselines.",
        ("calibrated probabilities when the model fits",),
        ("linear decision boundary",),
        params={"beta_0": 0.0, "beta_1": 1.0}, value_range=OPEN_UNIT,
    ),
    Entry(
        "mgf_normal", "exp(mu*t + sigma^2*t^2/2)", ("t",), "statistic",
        "Moment generating function E[exp(t*X)] of a normal X with mean mu and standard deviation sigma "
        "(sampled for |t| <= 20; it overflows float64 beyond about |t| = 37/sigma).",
        "Deriving moments; Chernoff bounds.",
        ("all moments from its derivatives at 0",),
        ("grows like exp(t^2): overflows quickly",),
        params={"mu": 0.0, "sigma": 1.0}, domain={"t": MGF_ARGUMENT, "sigma": POSITIVE}, value_range=POSITIVE,
    ),
    Entry(
        "mgf_exponential", "rate/(rate - t)", ("t",), "statistic",
        "Moment generating function of an exponential distribution: rate/(rate - t), defined for t < rate "
        "(sampled for t <= 0, where it exists for every rate).",
        "Deriving moments; sums of waiting times.",
        ("closed form",),
        ("infinite for t >= rate",),
        params={"rate": 1.0}, domain={"t": Domain(hi=0.0, hi_closed=True), "rate": POSITIVE},
        value_range=Domain(0.0, 1.0, hi_closed=True),
    ),
    Entry(
        "characteristic_normal", "exp(-sigma^2*t^2/2)*cos(mu*t)", ("t",), "statistic",
        "Real part of the normal characteristic function E[exp(i*t*X)] = exp(i*mu*t - sigma^2*t^2/2): "
        "E[cos(t*X)] = exp(-sigma^2*t^2/2)*cos(mu*t). The imaginary part is characteristic_normal_imag.",
        "Fourier analysis of distributions; random Fourier features for the Gaussian kernel.",
        ("exists for every distribution",),
        ("the catalog is real-valued: the complex function is split into two entries",),
        params={"mu": 0.0, "sigma": 1.0}, domain={"sigma": POSITIVE},
        value_range=Domain(-1.0, 1.0, lo_closed=True, hi_closed=True),
        deviation="2.5.11's formula is complex, and it evaluates to exp(-sigma^2*t^2/2), dropping the phase "
        "exp(i*mu*t); ours is the real part exp(-sigma^2*t^2/2)*cos(mu*t), with the imaginary part in "
        "characteristic_normal_imag.",
    ),
    Entry(
        "characteristic_normal_imag", "exp(-sigma^2*t^2/2)*sin(mu*t)", ("t",), "statistic",
        "Imaginary part of the normal characteristic function: E[sin(t*X)] = exp(-sigma^2*t^2/2)*sin(mu*t).",
        "With characteristic_normal, the whole characteristic function.",
        ("exists for every distribution",),
        ("zero for mu = 0 (a symmetric distribution)",),
        params={"mu": 0.0, "sigma": 1.0}, domain={"sigma": POSITIVE},
        value_range=Domain(-1.0, 1.0, lo_closed=True, hi_closed=True),
    ),
)
