"""Activation functions of one input `x`."""
from neurogebra.catalog.entry import CLOSED_UNIT, NON_NEGATIVE, OPEN_UNIT, POSITIVE, Entry
from neurogebra.domains import Domain

INF = float("inf")
LOGITS = ("z1", "z2", "z3")
# SELU's fixed-point constants (Klambauer et al. 2017), to the 17 digits that pin down a float64.
SELU_ALPHA = "1.6732632423543772"
SELU_SCALE = "1.0507009873554805"

ENTRIES = (
    Entry(
        "relu", "Max(0, x)", ("x",), "activation",
        "Rectified linear unit: x for positive x, 0 otherwise.",
        "Default hidden-layer activation for MLPs and CNNs.",
        ("cheap to compute", "does not saturate for positive inputs", "sparse activations"),
        ("units can die (zero gradient for all negative inputs)", "not differentiable at 0 (gradient taken as 0)"),
        value_range=NON_NEGATIVE,
    ),
    Entry(
        "relu6", "Min(Max(0, x), 6)", ("x",), "activation",
        "ReLU capped at 6.",
        "Mobile networks (MobileNet) where activations must fit low-precision ranges.",
        ("bounded output suits quantization", "cheap"),
        ("zero gradient below 0 and above 6",),
        value_range=Domain(0.0, 6.0, lo_closed=True, hi_closed=True),
    ),
    Entry(
        "leaky_relu", "Piecewise((x, x > 0), (alpha*x, True))", ("x",), "activation",
        "ReLU with a small slope alpha for negative inputs.",
        "Drop-in replacement for ReLU when units die.",
        ("never a zero gradient (for alpha != 0)", "cheap"),
        ("alpha is one more hyper-parameter", "not differentiable at 0"),
        params={"alpha": 0.01},
        deviation="2.5.11 computes Max(x, alpha*x), which is alpha*x for positive x when alpha > 1; ours is x for x "
        "> 0 and alpha*x otherwise, for every alpha.",
    ),
    Entry(
        "prelu", "leaky_relu(x, alpha)", ("x",), "activation",
        "Parametric ReLU: a leaky ReLU whose negative slope alpha is learned.",
        "CNNs where a learned negative slope helps (He et al. 2015); make alpha trainable.",
        ("slope adapts to the data", "no dead units"),
        ("extra parameters to learn", "can overfit on small data"),
        params={"alpha": 0.25},
    ),
    Entry(
        "elu", "Piecewise((x, x > 0), (alpha*expm1(x), True))", ("x",), "activation",
        "Exponential linear unit: x for positive x, alpha*(exp(x) - 1) otherwise.",
        "Deep networks where mean activations near zero speed up learning.",
        ("smooth for x < 0", "negative outputs push mean activation towards 0"),
        ("exp is slower than ReLU", "derivative jumps at 0 unless alpha = 1"),
        params={"alpha": 1.0}, domain={"alpha": POSITIVE}, value_range=Domain(-1.0),
    ),
    Entry(
        "selu", f"{SELU_SCALE}*elu(x, {SELU_ALPHA})", ("x",), "activation",
        "Scaled ELU with the fixed constants that make activations self-normalizing (mean 0, variance 1).",
        "Self-normalizing fully connected networks with LeCun-normal initialization (and alpha dropout).",
        ("keeps activations normalized without batch norm",),
        ("the guarantees need LeCun-normal init and plain feed-forward layers", "not differentiable at 0"),
        value_range=Domain(-1.7580993408473766),
    ),
    Entry(
        "celu", "Piecewise((x, x > 0), (alpha*expm1(x/alpha), True))", ("x",), "activation",
        "Continuously differentiable ELU: alpha*(exp(x/alpha) - 1) for x <= 0.",
        "Like ELU, when a continuous derivative matters for every alpha.",
        ("continuously differentiable for any alpha", "negative saturation at -alpha"),
        ("exp cost",),
        params={"alpha": 1.0}, domain={"alpha": POSITIVE}, value_range=Domain(-1.0),
    ),
    Entry(
        "gelu", "x/2*erfc(-x/sqrt(2))", ("x",), "activation",
        "Gaussian error linear unit: x times the standard normal CDF of x, exactly (x/2*(1 + erf(x/sqrt(2))), "
        "written with erfc so it does not round to 0 below x = -6).",
        "Transformers (BERT, GPT) and modern MLP blocks.",
        ("smooth everywhere", "non-monotonic bump improves optimization in transformers"),
        ("erf is costlier than ReLU",),
        value_range=Domain(-0.17, lo_closed=True),
        deviation="2.5.11's gelu is the tanh approximation (our gelu_tanh), up to 4.7e-4 from GELU near x = -2.7; "
        "ours is the exact x*Phi(x), as PyTorch's default.",
    ),
    Entry(
        "gelu_tanh", "x/2*(1 + tanh(sqrt(2/pi)*(x + 0.044715*x^3)))", ("x",), "activation",
        "GELU's tanh approximation (Hendrycks & Gimpel), as used by GPT-2.",
        "Reproducing models trained with the approximate GELU.",
        ("no erf needed", "within about 1e-3 of exact GELU"),
        ("an approximation: mixing it with exact GELU changes results slightly",),
        value_range=Domain(-0.171, lo_closed=True), aliases=("gelu_approx",),
    ),
    Entry(
        "swish", "x*sigmoid(x)", ("x",), "activation",
        "Swish / SiLU: x times sigmoid(x).",
        "EfficientNet-style CNNs and many modern architectures.",
        ("smooth and non-monotonic", "often beats ReLU in deep models"),
        ("costlier than ReLU",),
        value_range=Domain(-0.2785, lo_closed=True), aliases=("silu",),
    ),
    Entry(
        "mish", "x*tanh(softplus(x))", ("x",), "activation",
        "Mish: x times tanh(softplus(x)).",
        "Object detection backbones (YOLOv4) and as a smooth ReLU replacement.",
        ("smooth, non-monotonic, unbounded above", "strong results in vision"),
        ("the most expensive of the common activations",),
        value_range=Domain(-0.3089, lo_closed=True),
    ),
    Entry(
        "softplus", "softplus(x)", ("x",), "activation",  # the primitive: log(1 + exp(x)) without overflow
        "Softplus: log(1 + exp(x)), a smooth ReLU.",
        "Where outputs must be positive (variances, rates) or a smooth ReLU is needed.",
        ("smooth", "strictly positive output"),
        ("exp overflows for very large x in float32", "not sparse"),
        value_range=POSITIVE, aliases=("softplus_transform",),
        deviation="2.5.11 computes log(exp(x) + 1), which overflows to inf from x = 710; ours is the same function "
        "without overflow.",
    ),
    Entry(
        "sigmoid", "1/(1 + exp(-x))", ("x",), "activation",
        "Logistic sigmoid: squashes any real number into (0, 1).",
        "Binary classification outputs, gates in LSTMs/GRUs.",
        ("output is a probability", "smooth"),
        ("saturates: vanishing gradients for large |x|", "outputs not centred at 0"),
        value_range=OPEN_UNIT, aliases=("logistic", "expit"),
    ),
    Entry(
        "hard_sigmoid", "clip(x/6 + 1/2, 0, 1)", ("x",), "activation",
        "Piecewise-linear sigmoid: relu6(x + 3)/6.",
        "Cheap gating in mobile networks (MobileNetV3).",
        ("cheap", "exactly 0 and 1 outside [-3, 3]"),
        ("zero gradient outside [-3, 3]", "kinks at -3 and 3"),
        value_range=CLOSED_UNIT,
    ),
    Entry(
        "hard_swish", "x*hard_sigmoid(x)", ("x",), "activation",
        "Hard swish: x*relu6(x + 3)/6, a piecewise-polynomial swish.",
        "MobileNetV3 and other latency-bound networks.",
        ("close to swish at a fraction of the cost",),
        ("kinks at -3 and 3",),
        value_range=Domain(-0.375, lo_closed=True), aliases=("hardswish",),
    ),
    Entry(
        "softsign", "x/(1 + Abs(x))", ("x",), "activation",
        "Softsign: x/(1 + |x|), a tanh-like squashing function with polynomial tails.",
        "An alternative to tanh that saturates more slowly.",
        ("no exp", "gentler saturation than tanh"),
        ("still saturates", "rarely used in modern models"),
        value_range=Domain(-1.0, 1.0), aliases=("softsign_transform",),
    ),
    Entry(
        "tanh", "tanh(x)", ("x",), "activation",
        "Hyperbolic tangent: squashes into (-1, 1), centred at 0.",
        "RNN hidden states, bounded outputs.",
        ("zero-centred", "smooth"),
        ("saturates: vanishing gradients for large |x|",),
        value_range=Domain(-1.0, 1.0), aliases=("tanh_transform",),
    ),
    Entry(
        "hard_tanh", "clip(x, -1, 1)", ("x",), "activation",
        "Piecewise-linear tanh: x clipped to [-1, 1].",
        "Cheap bounded activation; straight-through estimators.",
        ("cheap", "exactly linear near 0"),
        ("zero gradient outside [-1, 1]",),
        value_range=Domain(-1.0, 1.0, lo_closed=True, hi_closed=True), aliases=("hardtanh",),
    ),
    Entry(
        "linear", "x", ("x",), "activation",
        "Identity: no activation.",
        "Regression output layers; residual branches.",
        ("no distortion of the signal",),
        ("stacked linear layers stay linear",),
        aliases=("identity",),
    ),
    Entry(
        "log_sigmoid", "-softplus(-x)", ("x",), "activation",
        "Logarithm of the sigmoid: -log(1 + exp(-x)).",
        "Log-probabilities in binary likelihoods and contrastive objectives (word2vec).",
        ("log-probability without computing a tiny sigmoid first",),
        ("saturates for large positive x",),
        value_range=Domain(-INF, 0.0), aliases=("logsigmoid",),
    ),
    Entry(
        "tanhshrink", "tanhshrink(x)", ("x",), "activation",  # the primitive: x - tanh(x) without cancellation
        "x minus tanh(x): near 0 for small inputs, close to x - sign(x) for large ones; computed with its Taylor "
        "series near 0, where x - tanh(x) cancels (3.3e-25 at 1e-8, not 0).",
        "Sparse coding and denoising layers.",
        ("smooth shrinkage",),
        ("flat (cubic) near 0: small gradients there",),
    ),
    Entry(
        "softshrink", "Piecewise((x - lambd, x > lambd), (x + lambd, x < -lambd), (0, True))", ("x",),
        "activation",
        "Soft thresholding: moves x towards 0 by lambd and zeroes |x| <= lambd.",
        "Sparse coding (ISTA), wavelet denoising.",
        ("produces exact zeros", "proximal operator of the L1 norm"),
        ("kinks at +-lambd", "zero gradient inside the threshold"),
        params={"lambd": 0.5}, domain={"lambd": POSITIVE},
    ),
    Entry(
        "bent_identity", "x + x^2/(2*(sqrt(x^2 + 1) + 1))", ("x",), "activation",
        "Bent identity: x + (sqrt(x^2 + 1) - 1)/2, x plus a smooth, slowly growing bend (written without the "
        "cancellation of sqrt(x^2 + 1) - 1 near 0).",
        "A smooth, unbounded, non-saturating activation.",
        ("smooth", "gradient never vanishes (always >= 1/2)"),
        ("rarely used; little evidence of gains",),
    ),
    Entry(
        "hardshrink", "Piecewise((x, Abs(x) > lambd), (0, True))", ("x",), "activation",
        "Hard thresholding: keeps x where |x| > lambd and zeroes it elsewhere.",
        "Sparse coding and wavelet denoising where surviving values must not be shrunk.",
        ("produces exact zeros", "no bias on the values it keeps"),
        ("jumps at +-lambd", "zero gradient inside the threshold"),
        params={"lambd": 0.5}, domain={"lambd": POSITIVE},
    ),
    Entry(
        "square", "x^2", ("x",), "activation",
        "Square: x^2.",
        "Polynomial networks, second-order features and privacy-preserving inference (cheap under encryption).",
        ("smooth, cheap",),
        ("unbounded and even: large activations explode, the sign of x is lost",),
        value_range=NON_NEGATIVE,
    ),
    Entry(
        "relu_squared", "Max(0, x)^2", ("x",), "activation",
        "Squared ReLU: relu(x)^2.",
        "Transformer feed-forward blocks (Primer, So et al. 2021).",
        ("continuously differentiable", "sparse like ReLU"),
        ("unbounded growth for large x",),
        value_range=NON_NEGATIVE, aliases=("squared_relu",),
    ),
    Entry(
        "squareplus",
        "Piecewise(((x + hypot(x, sqrt(b)))/2, x >= 0), (b/(2*(hypot(x, sqrt(b)) - x)), True))", ("x",),
        "activation",
        "Squareplus (Barron 2021): (x + sqrt(x^2 + b))/2, a softplus-like smooth ReLU made of a square root; "
        "written with hypot(x, sqrt(b)) = sqrt(x^2 + b), which does not overflow, and as "
        "b/(2*(sqrt(x^2 + b) - x)) for negative x, where x + sqrt(x^2 + b) cancels.",
        "A cheaper softplus replacement (no exp or log).",
        ("smooth, strictly positive", "only a square root"),
        ("decays like b/(4|x|) for negative x, more slowly than softplus",),
        params={"b": 4.0}, domain={"b": POSITIVE}, value_range=POSITIVE,
    ),
    Entry(
        "quick_gelu", "x*sigmoid(851*x/500)", ("x",), "activation",
        "Sigmoid approximation of GELU: x*sigmoid(1.702*x), as in CLIP and the original GELU paper (1.702 written "
        "as the exact 851/500).",
        "Reproducing models trained with it (OpenAI CLIP).",
        ("only one exp",),
        ("about 2e-2 from exact GELU: not interchangeable with it",),
        value_range=Domain(-0.17, lo_closed=True),
    ),
    Entry(
        "snake", "x + sin(a*x)^2/a", ("x",), "activation",
        "Snake (Liu Ziyin et al. 2020): x + sin(a*x)^2/a, a monotone-trend activation with a periodic ripple.",
        "Periodic signals and audio generation (BigVGAN); a is often learned per channel.",
        ("extrapolates periodic patterns", "never saturates"),
        ("a must stay positive",),
        params={"a": 1.0}, domain={"a": POSITIVE},
    ),
    Entry(
        "glu", "a*sigmoid(b)", ("a", "b"), "activation",
        "Gated linear unit (Dauphin et al. 2017): the value a times the sigmoid of the gate b; a layer splits its "
        "projection into the halves a and b.",
        "Gated convolutional language models; the template of the GLU variants below.",
        ("the gate learns what to let through", "linear path for gradients"),
        ("doubles the projection size",),
    ),
    Entry(
        "geglu", "a*gelu(b)", ("a", "b"), "activation",
        "GEGLU (Shazeer 2020): the value a times the exact GELU of the gate b.",
        "Transformer feed-forward blocks (T5 v1.1, Gemma).",
        ("better perplexity than ReLU feed-forward blocks at equal compute",),
        ("three weight matrices instead of two", "erf is costlier than a sigmoid"),
    ),
    Entry(
        "swiglu", "a*swish(b)", ("a", "b"), "activation",
        "SwiGLU (Shazeer 2020): the value a times swish(b) = b*sigmoid(b).",
        "Transformer feed-forward blocks (LLaMA, PaLM, Mistral).",
        ("the most used GLU variant in large language models",),
        ("three weight matrices instead of two",),
    ),
    Entry(
        "reglu", "a*relu(b)", ("a", "b"), "activation",
        "ReGLU (Shazeer 2020): the value a times relu(b).",
        "Transformer feed-forward blocks; the cheapest GLU variant.",
        ("cheap", "sparse gate"),
        ("the gate can die like ReLU", "kink at b = 0"),
    ),
    Entry(
        "logsumexp", "logsumexp(z1, z2, z3)", LOGITS, "activation",
        "log(exp(z1) + exp(z2) + exp(z3)), computed with the largest input taken out first, so nothing "
        "overflows; a smooth maximum. In a formula, logsumexp(...) takes any number of arguments.",
        "Normalizers of log-probabilities (the log-partition function), smooth max pooling.",
        ("no overflow for any finite input", "its gradient is the softmax"),
        ("between max and max + log(3): not the maximum itself",),
        aliases=("lse",),
    ),
    Entry(
        "softmax", "exp(-logsumexp(0, z2 - z1, z3 - z1))", LOGITS, "activation",
        "Softmax probability of the first of three logits, exp(z1)/(exp(z1) + exp(z2) + exp(z3)), computed as "
        "exp(-logsumexp(0, z2 - z1, z3 - z1)): no exp overflows and only differences of logits are rounded. "
        "For another class put its logit first: softmax(z2, z1, z3).",
        "Multi-class classification outputs, attention weights.",
        ("probabilities that sum to 1 over the classes", "shift-invariant: adding a constant changes nothing"),
        ("saturates when one logit dominates", "the catalog form has three classes; write more with logsumexp"),
        value_range=OPEN_UNIT,
    ),
    Entry(
        "log_softmax", "-logsumexp(0, z2 - z1, z3 - z1)", LOGITS, "activation",
        "Log of the softmax probability of the first of three logits, z1 - logsumexp(z1, z2, z3), computed as "
        "-logsumexp(0, z2 - z1, z3 - z1): finite where log(softmax) is log(0), and accurate to the last digits "
        "even for large logits. For another class put its logit first.",
        "The input of the negative log-likelihood (cross-entropy on logits).",
        ("no log(0) and no overflow", "gradient is one-hot minus softmax"),
        ("the catalog form has three classes; write more with logsumexp",),
        value_range=Domain(-INF, 0.0, hi_closed=True),
    ),
    Entry(
        "softmin", "exp(-logsumexp(0, z1 - z2, z1 - z3))", LOGITS, "activation",
        "Softmin weight of the first of three values: the softmax of their negatives, "
        "exp(-z1)/(exp(-z1) + exp(-z2) + exp(-z3)), largest for the smallest value. For another value put it "
        "first.",
        "Soft selection of the smallest cost or distance (soft nearest neighbours, soft-DTW).",
        ("smooth minimum selection", "no exp overflows"),
        ("saturates when one value is much smaller than the others",),
        value_range=OPEN_UNIT,
    ),
)
