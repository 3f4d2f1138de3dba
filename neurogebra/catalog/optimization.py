"""Optimizer updates of one weight, learning-rate schedules over the epoch, and classic test functions."""
from neurogebra.catalog.entry import CLOSED_UNIT, NON_NEGATIVE, OPEN_UNIT, POSITIVE, Entry
from neurogebra.domains import Domain

STEP = ("w", "grad")
LEARNING_RATE = {"lr": POSITIVE}
SURFACE = ("x", "y")


def schedule(name: str, formula: str, description: str, usage: str, pros: tuple[str, ...], cons: tuple[str, ...],
             params: dict[str, float], domain: dict[str, Domain], **options) -> Entry:
    """A learning rate as a function of the (possibly fractional) epoch or step count."""
    return Entry(name, formula, ("epoch",), "optimization", description, usage, pros, cons, params=params,
                 domain={"epoch": NON_NEGATIVE, **domain}, **options)


ENTRIES = (
    # ------------------------------------------------------------------------------------------ updates
    Entry(
        "sgd_step", "w - lr*grad", STEP, "optimization",
        "Stochastic gradient descent: w - lr*grad.",
        "The baseline optimizer; with momentum, still the default for many vision models.",
        ("simple, little memory", "generalizes well"),
        ("slow on ill-conditioned losses", "lr must be tuned"),
        params={"lr": 0.01}, domain=LEARNING_RATE,
    ),
    Entry(
        "momentum_step", "w - (mu_momentum*v + lr*grad)", ("w", "grad", "v"), "optimization",
        "SGD with momentum: the velocity becomes v' = mu_momentum*v + lr*grad, and the weight w - v'.",
        "Training CNNs and most models trained with plain SGD.",
        ("damps oscillations, speeds up along consistent directions",),
        ("one more hyper-parameter", "keep v' for the next step"),
        params={"lr": 0.01, "mu_momentum": 0.9}, domain={**LEARNING_RATE, "mu_momentum": Domain(0.0, 1.0)},
    ),
    Entry(
        "nesterov_step", "w - (mu_momentum*v + lr*grad_lookahead)", ("w", "grad_lookahead", "v"), "optimization",
        "Nesterov accelerated gradient: like momentum, with the gradient taken at the look-ahead point "
        "w - mu_momentum*v.",
        "SGD training where momentum overshoots.",
        ("corrects the momentum step before taking it",),
        ("needs the gradient at the look-ahead point",),
        params={"lr": 0.01, "mu_momentum": 0.9}, domain={**LEARNING_RATE, "mu_momentum": Domain(0.0, 1.0)},
    ),
    Entry(
        "adagrad_step", "w - lr*grad/sqrt(G + eps)", ("w", "grad", "G"), "optimization",
        "AdaGrad: the step divided by the square root of G, the sum of all squared gradients so far "
        "(this one included).",
        "Sparse features (NLP, recommender embeddings).",
        ("per-parameter step sizes", "rare features get large steps"),
        ("steps shrink for ever as G grows",),
        params={"lr": 0.01, "eps": 1e-8}, domain={**LEARNING_RATE, "G": NON_NEGATIVE, "eps": POSITIVE},
    ),
    Entry(
        "rmsprop_step", "w - lr*grad/sqrt(rho*v_rms + (1 - rho)*grad^2 + eps)", ("w", "grad", "v_rms"),
        "optimization",
        "RMSProp: the running mean of squared gradients v_rms is updated with this gradient (decay rho), and the "
        "step is divided by its square root.",
        "Recurrent networks, reinforcement learning.",
        ("per-parameter step sizes that do not shrink for ever",),
        ("keep the updated mean for the next step",),
        params={"lr": 0.001, "rho": 0.9, "eps": 1e-8},
        domain={**LEARNING_RATE, "v_rms": NON_NEGATIVE, "rho": OPEN_UNIT, "eps": POSITIVE},
        deviation="2.5.11 takes rho but never uses it, dividing by sqrt(v_rms + 1e-8); ours first updates the "
                  "mean, rho*v_rms + (1 - rho)*grad^2, then divides.",
    ),
    Entry(
        "adam_step", "w - lr*m_hat/(sqrt(v_hat) + eps)", ("w", "m_hat", "v_hat"), "optimization",
        "Adam's update from its bias-corrected moments m_hat and v_hat.",
        "The default optimizer for transformers and most deep networks.",
        ("robust default settings", "per-parameter step sizes"),
        ("more memory (two moments per weight)", "can generalize worse than SGD"),
        params={"lr": 0.001, "eps": 1e-8}, domain={**LEARNING_RATE, "v_hat": NON_NEGATIVE, "eps": POSITIVE},
    ),
    Entry(
        "adamw_step", "w*(1 - lr*lambda_wd) - lr*m_hat/(sqrt(v_hat) + eps)", ("w", "m_hat", "v_hat"),
        "optimization",
        "AdamW: Adam's update with weight decay lambda_wd applied to the weight directly (decoupled).",
        "Transformers and large models, where L2 regularization inside Adam works poorly.",
        ("weight decay independent of the adaptive step size",),
        ("one more hyper-parameter",),
        params={"lr": 0.001, "lambda_wd": 0.01, "eps": 1e-8},
        domain={**LEARNING_RATE, "v_hat": NON_NEGATIVE, "lambda_wd": NON_NEGATIVE, "eps": POSITIVE},
    ),
    Entry(
        "adam_m_update", "beta1*m + (1 - beta1)*grad", ("m", "grad"), "optimization",
        "Adam's first moment: the running mean of the gradients.",
        "Adam, AdamW and their variants.",
        ("smooths noisy gradients",),
        ("biased towards 0 early on: see adam_bias_correction_m",),
        params={"beta1": 0.9}, domain={"beta1": OPEN_UNIT},
    ),
    Entry(
        "adam_v_update", "beta2*v_adam + (1 - beta2)*grad^2", ("v_adam", "grad"), "optimization",
        "Adam's second moment: the running mean of the squared gradients.",
        "Adam, AdamW and their variants.",
        ("tracks each weight's gradient scale",),
        ("biased towards 0 early on: see adam_bias_correction_v",),
        params={"beta2": 0.999}, domain={"v_adam": NON_NEGATIVE, "beta2": OPEN_UNIT},
    ),
    Entry(
        # 1 - beta^t loses digits for beta close to 1 and small t; -expm1(t*log(beta)) does not
        "adam_bias_correction_m", "-m/expm1(t*log(beta1))", ("m", "t"), "optimization",
        "Adam's bias-corrected first moment m/(1 - beta1^t) at step t = 1, 2, ...",
        "Adam's early steps, when the running mean is still close to its zero start.",
        ("unbiased moments from the first step",),
        ("t counts from 1",),
        params={"beta1": 0.9}, domain={"t": Domain(1.0, lo_closed=True), "beta1": OPEN_UNIT},
    ),
    Entry(
        "adam_bias_correction_v", "-v_adam/expm1(t*log(beta2))", ("v_adam", "t"), "optimization",
        "Adam's bias-corrected second moment v_adam/(1 - beta2^t) at step t = 1, 2, ...",
        "Adam's early steps, when the running mean is still close to its zero start.",
        ("unbiased moments from the first step",),
        ("t counts from 1",),
        params={"beta2": 0.999}, domain={"v_adam": NON_NEGATIVE, "t": Domain(1.0, lo_closed=True),
                                         "beta2": OPEN_UNIT},
    ),
    # ------------------------------------------------------------------------------------------ schedules
    Entry(
        "constant_lr", "lr_init", ("lr_init",), "optimization",
        "Constant learning rate: the baseline schedule.",
        "Short runs and baselines.",
        ("nothing to tune but lr_init",),
        ("no annealing: noisy at the end of training",),
        domain={"lr_init": POSITIVE}, value_range=POSITIVE,
    ),
    schedule(
        "step_decay_lr", "lr_init*gamma_decay^floor(epoch/step_size)",
        "Step decay: the learning rate times gamma_decay every step_size epochs.",
        "Classic CNN training (ResNet: divide by 10 at fixed epochs).",
        ("simple, well understood",),
        ("sudden drops", "the milestones must be chosen"),
        {"lr_init": 0.01, "gamma_decay": 0.1, "step_size": 30.0},
        {"lr_init": POSITIVE, "gamma_decay": Domain(0.0, 1.0, hi_closed=True), "step_size": POSITIVE},
        value_range=Domain(0.0, 0.01, hi_closed=True),
    ),
    schedule(
        "exponential_decay_lr", "lr_init*exp(-k_decay*epoch)",
        "Exponential decay of the learning rate at rate k_decay.",
        "Smooth annealing without milestones.",
        ("smooth",),
        ("decays too early or too late unless k_decay fits the run's length",),
        {"lr_init": 0.01, "k_decay": 0.01}, {"lr_init": POSITIVE, "k_decay": NON_NEGATIVE},
        value_range=Domain(0.0, 0.01, hi_closed=True),
    ),
    schedule(
        "cosine_annealing_lr", "lr_min*sin(pi*epoch/(2*T_max))**2 + lr_max*cos(pi*epoch/(2*T_max))**2",
        "Cosine annealing from lr_max at epoch 0 to lr_min at epoch T_max (SGDR without restarts).",
        "Most modern training recipes; restart it every T_max epochs for warm restarts.",
        ("smooth, few hyper-parameters",),
        ("rises again after T_max unless restarted or stopped",),
        {"lr_min": 1e-6, "lr_max": 0.01, "T_max": 100.0},
        {"lr_min": NON_NEGATIVE, "lr_max": POSITIVE, "T_max": POSITIVE},
    ),
    schedule(
        "warmup_linear_lr", "lr_target*Min(1, epoch/warmup_steps)",
        "Linear warm-up from 0 to lr_target over warmup_steps, then constant.",
        "Transformers and large-batch training, where early large steps diverge.",
        ("stabilizes the first steps",),
        ("kink at the end of the warm-up",),
        {"lr_target": 0.001, "warmup_steps": 1000.0}, {"lr_target": POSITIVE, "warmup_steps": POSITIVE},
        value_range=Domain(0.0, 0.001, lo_closed=True, hi_closed=True),
    ),
    schedule(
        "polynomial_decay_lr", "(lr_init - lr_end)*(1 - Min(epoch, max_epochs)/max_epochs)^power_lr + lr_end",
        "Polynomial decay from lr_init to lr_end over max_epochs, then lr_end (power_lr = 1 is linear decay).",
        "BERT-style fine-tuning (linear decay), segmentation models (power 0.9).",
        ("reaches lr_end exactly at max_epochs",),
        ("the run length must be known in advance",),
        {"lr_init": 0.01, "lr_end": 1e-6, "max_epochs": 100.0, "power_lr": 1.0},
        {"lr_init": POSITIVE, "lr_end": NON_NEGATIVE, "max_epochs": POSITIVE, "power_lr": POSITIVE},
        deviation="2.5.11 keeps decaying past max_epochs, where (1 - epoch/max_epochs)^power_lr is not real for "
                  "a fractional power; ours stays at lr_end, as TensorFlow's PolynomialDecay does.",
    ),
    schedule(
        "inverse_sqrt_lr", "lr_init/sqrt(Max(epoch, warmup_steps))",
        "Inverse square-root decay lr_init/sqrt(step), constant at lr_init/sqrt(warmup_steps) before warmup_steps "
        "(T5's schedule).",
        "Transformer pre-training without a fixed run length.",
        ("no run length needed",),
        ("slow decay late in training",),
        {"lr_init": 0.01, "warmup_steps": 4000.0}, {"lr_init": POSITIVE, "warmup_steps": POSITIVE},
    ),
    schedule(
        # the distance of epoch/step_size to the nearest even number: 2.5.11's
        # Abs(epoch/step_size - 2*floor(epoch/(2*step_size) + 1/2)), written with mod
        "cyclical_lr", "lr_min + (lr_max - lr_min)*Min(mod(epoch/step_size, 2), 2 - mod(epoch/step_size, 2))",
        "Triangular cyclical learning rate (Smith 2017): from lr_min up to lr_max over step_size epochs and back.",
        "Finding good learning rates; escaping sharp minima.",
        ("less tuning of the learning rate",),
        ("kinks at each turn",),
        {"lr_min": 1e-4, "lr_max": 0.01, "step_size": 2000.0},
        {"lr_min": NON_NEGATIVE, "lr_max": POSITIVE, "step_size": POSITIVE},
    ),
    schedule(
        "one_cycle_approx_lr", "lr_max*(1 + cos(pi*epoch/T_max))/2",
        "The annealing phase of the one-cycle policy: a cosine from lr_max at epoch 0 down to 0 at T_max.",
        "Fast training with a high peak learning rate (add the warm-up phase yourself).",
        ("simple",),
        ("without its warm-up phase this is cosine annealing to 0",),
        {"lr_max": 0.01, "T_max": 100.0}, {"lr_max": POSITIVE, "T_max": POSITIVE},
    ),
    # ------------------------------------------------------------------------------------------ gradients, averages
    Entry(
        "gradient_clip_value", "clip(grad, -clip_val, clip_val)", ("grad",), "optimization",
        "Gradient clipped to [-clip_val, clip_val].",
        "Taming exploding gradients in RNNs and reinforcement learning.",
        ("bounds every update",),
        ("changes the gradient's direction",),
        params={"clip_val": 1.0}, domain={"clip_val": POSITIVE},
    ),
    Entry(
        "gradient_clip_norm", "grad*Min(1, clip_norm/(grad_norm + eps))", ("grad", "grad_norm"), "optimization",
        "One component of a gradient clipped by its norm: scaled so that the norm is at most clip_norm (2.5.11's "
        "max_norm, which is a regularizer here).",
        "Transformers and RNNs (PyTorch's clip_grad_norm_, TensorFlow's clip_by_global_norm).",
        ("keeps the gradient's direction",),
        ("the norm must be computed over all weights first",),
        params={"clip_norm": 1.0, "eps": 1e-8}, domain={"grad_norm": NON_NEGATIVE, "clip_norm": POSITIVE,
                                                       "eps": POSITIVE},
    ),
    Entry(
        "ema_update", "(1 - alpha_ema)*param_ema + alpha_ema*param_new", ("param_ema", "param_new"),
        "optimization",
        "Exponential moving average of a parameter: moves param_ema by the fraction alpha_ema towards param_new.",
        "Model weight averaging (EMA of weights), target networks, running statistics.",
        ("smooths noise at no training cost",),
        ("lags behind the current parameters",),
        params={"alpha_ema": 0.001}, domain={"alpha_ema": CLOSED_UNIT},
    ),
    # ------------------------------------------------------------------------------------------ test functions
    Entry(
        "quadratic_bowl", "a_qb*(x - x_opt)^2 + b_qb*(y - y_opt)^2", SURFACE, "optimization",
        "Quadratic bowl with its minimum at (x_opt, y_opt); a_qb/b_qb sets its conditioning.",
        "Testing optimizers on convex, possibly ill-conditioned problems.",
        ("known minimum", "conditioning is one ratio"),
        ("too easy to tell optimizers apart",),
        params={"a_qb": 1.0, "b_qb": 1.0, "x_opt": 0.0, "y_opt": 0.0}, value_range=NON_NEGATIVE,
    ),
    Entry(
        "rosenbrock", "(a_rb - x)^2 + b_rb*(y - x^2)^2", SURFACE, "optimization",
        "Rosenbrock's banana function: its minimum 0 at (a_rb, a_rb^2) lies in a long curved valley.",
        "Benchmarking optimizers.",
        ("hard for first-order methods",),
        ("a single, known minimum",),
        params={"a_rb": 1.0, "b_rb": 100.0}, value_range=NON_NEGATIVE,
    ),
    Entry(
        # 20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y), without the cancellation near the minimum
        "rastrigin_2d", "x^2 + 20*sin(pi*x)^2 + y^2 + 20*sin(pi*y)^2", SURFACE, "optimization",
        "Rastrigin's function in 2-D, 20 + x^2 - 10*cos(2*pi*x) + y^2 - 10*cos(2*pi*y): a bowl covered with regular "
        "local minima; the global minimum 0 is at the origin.",
        "Benchmarking global optimizers.",
        ("many local minima",),
        ("separable: easier than it looks for coordinate methods",),
        value_range=NON_NEGATIVE,
    ),
    Entry(
        # 20 + e - 20*exp(-sqrt((x^2 + y^2)/2)/5) - exp((cos(2*pi*x) + cos(2*pi*y))/2), without the cancellation
        # near the minimum ((cos(2*pi*x) + cos(2*pi*y))/2 = 1 - sin(pi*x)^2 - sin(pi*y)^2)
        "ackley_2d", "-20*expm1(-sqrt((x^2 + y^2)/2)/5) - E*expm1(-sin(pi*x)^2 - sin(pi*y)^2)", SURFACE,
        "optimization",
        "Ackley's function in 2-D, 20 + e - 20*exp(-sqrt((x^2 + y^2)/2)/5) - exp((cos(2*pi*x) + cos(2*pi*y))/2): "
        "nearly flat far out, with a deep hole at the origin (minimum 0).",
        "Benchmarking global optimizers.",
        ("many local minima around one global minimum",),
        ("not differentiable at the origin",),
        value_range=NON_NEGATIVE,
    ),
)
