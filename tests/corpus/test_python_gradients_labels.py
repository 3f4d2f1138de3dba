"""The labels of the Python-gradient corpus (issue 16), confirmed without neurogebra.

- correct and unstable cases return the derivative mpmath.diff finds of the forward, at 50 digits, and a mutant
  does not, at random points (the incoming gradient random too, so a forgotten one shows);
- each module computes what its mpmath forms in python_gradients.py say: it is run on float64 stand-ins for
  torch and jax (NumPy underneath, with torch's and JAX's stable sigmoid and softplus);
- an unstable case's float64 code gives inf/NaN, or gets half its digits wrong, where the exact value is a finite
  float; a correct case's code is accurate in float64 (under 2 bits of error on average over its domain, no
  inf/NaN where the exact value is finite), so the checker has nothing to warn about.
"""
from __future__ import annotations

import importlib.util
import math
import sys
import zlib
from types import ModuleType

import mpmath
import numpy as np
import pytest
import scipy.special

from .python_gradients import CASES, KINDS, PARAMETER_RANGES, STYLES, Case
from .stability import HALF_DIGITS, STABLE_BITS, STRESS, bits_of_error, sample

POINTS = 6
MUTANT_POINTS = 20  # a wrong branch shows only on its side of a kink
STABILITY_POINTS = 128
AGREEMENT, DISAGREEMENT = mpmath.mpf("1e-25"), mpmath.mpf("1e-6")
PRECISIONS = (30, 60, 120, 240, 480)


class SavedTensors:
    def save_for_backward(self, *tensors):
        self.saved_tensors = tensors


def custom_rule(defines: str):
    """jax.custom_vjp / jax.custom_jvp: the function stays callable and keeps the rule it is given."""
    def wrap(function):
        class Wrapped:
            def __call__(self, *args):
                return function(*args)

        wrapped = Wrapped()
        if defines == "vjp":
            wrapped.defvjp = lambda fwd, bwd: None
        else:
            wrapped.defjvp = lambda rule: rule
        return wrapped
    return wrap


def module(name: str, **attributes) -> ModuleType:
    made = ModuleType(name)
    made.__dict__.update(attributes)
    return made


def float64_frameworks() -> dict[str, ModuleType]:
    elementwise = {name: getattr(np, name) for name in
                   ("exp", "log", "log1p", "expm1", "tanh", "sin", "cos", "cosh", "sqrt", "abs", "sign", "where",
                    "maximum")}
    functional = module("torch.nn.functional", softplus=lambda x, beta=1.0: np.logaddexp(0.0, beta * x) / beta)
    nn = module("torch.nn", functional=functional)
    autograd = module("torch.autograd", Function=type("Function", (), {}))
    torch = module("torch", nn=nn, autograd=autograd, sigmoid=scipy.special.expit, erf=scipy.special.erf,
                   clamp=lambda x, min=None, max=None: np.clip(x, min, max), **elementwise)
    special = module("jax.scipy.special", erf=scipy.special.erf)
    jax_scipy = module("jax.scipy", special=special)
    jax_nn = module("jax.nn", sigmoid=scipy.special.expit, softplus=lambda x: np.logaddexp(0.0, x))
    jax = module("jax", numpy=np, nn=jax_nn, scipy=jax_scipy, custom_vjp=custom_rule("vjp"),
                 custom_jvp=custom_rule("jvp"))
    return {"torch": torch, "torch.nn": nn, "torch.nn.functional": functional, "torch.autograd": autograd,
            "jax": jax, "jax.numpy": np, "jax.nn": jax_nn, "jax.scipy": jax_scipy, "jax.scipy.special": special}


@pytest.fixture(scope="module")
def modules():
    with pytest.MonkeyPatch.context() as patch:
        for name, fake in float64_frameworks().items():
            patch.setitem(sys.modules, name, fake)
        loaded = {}
        for case in CASES:
            spec = importlib.util.spec_from_file_location(f"python_gradients_{case.id}", case.path)
            loaded[case.file] = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(loaded[case.file])
        yield loaded


def attribute(code: ModuleType, dotted: str):
    for part in dotted.split("."):
        code = getattr(code, part)
    return code


def run(case: Case, code: ModuleType, inputs: list, params: dict, g) -> tuple:
    """The case's forward value and the gradients its backward returns, as its code computes them."""
    sampled = [value for name, value in params.items() if case.params[name] is None]
    with np.errstate(all="ignore"):
        if case.style == "torch":
            function = attribute(code, case.forward["name"].split(".")[0])
            context = SavedTensors()
            if hasattr(function, "setup_context"):
                value = function.forward(*inputs, *sampled)
                function.setup_context(context, (*inputs, *sampled), value)
            else:
                value = function.forward(context, *inputs, *sampled)
            grads = function.backward(context, g)
        elif case.api == "custom_vjp":
            value = attribute(code, case.forward["name"])(*inputs)
            grads = attribute(code, case.backward["name"])(getattr(code, case.forward["name"] + "_fwd")(*inputs)[1], g)
        elif case.api == "custom_jvp":
            value, tangent = attribute(code, case.backward["name"])(tuple(inputs), (g,))
            grads = (tangent,)
        else:
            value = attribute(code, case.forward["name"])(*inputs)
            backward = attribute(code, case.backward["name"])
            grads = (backward(*inputs, g) if case.takes_grad else backward(*inputs),)
    return value, grads if isinstance(grads, tuple) else (grads,)


def draw(case: Case, rng: np.random.Generator) -> tuple[list[float], dict, float]:
    inputs: list[float] = []
    for position in range(len(case.inputs)):
        interval = case.interval(position)
        if inputs and not interval.bounded:  # near the first, so that both sides of |pred - target| < delta show
            inputs.append(inputs[0] + float(rng.uniform(-2.0, 2.0)))
        else:
            inputs.append(float(rng.uniform(max(interval.lo, -5.0), min(interval.hi, 5.0))))
    params = {name: (value if value is not None else float(rng.uniform(*PARAMETER_RANGES[name])))
              for name, value in case.params.items()}
    g = float(rng.uniform(0.5, 2.0)) if case.takes_grad else 1.0
    return inputs, params, g


def exact_slope(case: Case, inputs: list, params: dict, position: int):
    def along(v):
        moved = [mpmath.mpf(x) for x in inputs]
        moved[position] = v
        return case.forward_form(*moved, *map(mpmath.mpf, params.values()))
    return mpmath.diff(along, mpmath.mpf(inputs[position]))


def mismatch(case: Case, inputs: list, params: dict, g: float) -> mpmath.mpf:
    """The largest relative difference between the claimed gradients and g times the exact ones."""
    with mpmath.workdps(50):
        claimed = case.claim(mpmath.mpf(g), *map(mpmath.mpf, inputs), *map(mpmath.mpf, params.values()))
        worst = mpmath.mpf(0)
        for position, gradient in enumerate(claimed):
            if gradient is not None:
                exact = g * exact_slope(case, inputs, params, position)
                worst = max(worst, abs(gradient - exact) / max(1, abs(exact)))
        return worst


def rng_of(case: Case, salt: str = "") -> np.random.Generator:
    return np.random.default_rng(zlib.crc32((case.file + salt).encode()))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_label_is_what_mpmath_finds(case):
    rng = rng_of(case)
    differences = [mismatch(case, *draw(case, rng)) for _ in range(POINTS if case.kind != "mutant" else MUTANT_POINTS)]
    assert case.claim(1, *[0.5] * (len(case.inputs) + len(case.params)))[0] is not None
    if case.kind == "mutant":
        assert max(differences) > DISAGREEMENT, f"{case.id} is labelled wrong but matches mpmath.diff"
    else:
        assert max(differences) < AGREEMENT, f"{case.id} is labelled right but differs from mpmath.diff by " \
                                             f"{mpmath.nstr(max(differences), 3)}"


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_the_code_computes_the_labelled_forms(case, modules):
    rng = rng_of(case, "code")
    for _ in range(POINTS):
        inputs, params, g = draw(case, rng)
        value, grads = run(case, modules[case.file], inputs, params, g)
        assert len(grads) == len(case.returns)
        assert all(grad is None for grad in grads[len(case.inputs):]), "parameters get None"
        with mpmath.workdps(50):
            args = [*map(mpmath.mpf, inputs), *map(mpmath.mpf, params.values())]
            expected = (case.forward_form(*args), *case.claim(mpmath.mpf(g), *args))
        for computed, form in zip((value, *grads), expected):
            assert (computed is None) == (form is None)
            if form is not None:
                assert float(computed) == pytest.approx(float(form), rel=1e-9, abs=1e-12), (inputs, params, g)


def exact_float(form, args: list[float]) -> float | None:
    """The float64 nearest to form(*args), at rising precision until two agree; None where it has no real value."""
    previous = None
    for digits in PRECISIONS:
        with mpmath.workdps(digits):
            try:
                value = form(*map(mpmath.mpf, args))
            except (ZeroDivisionError, ValueError):
                return None
            if isinstance(value, mpmath.mpc):
                return None
            rounded = float(value)
        if rounded == previous:
            return rounded
        previous = rounded
    return None


def along_first_input(case: Case, code: ModuleType, part: str, count: int):
    """(points, float64 values, exact values) of the forward or of the first gradient along the first input, the
    others at a fixed moderate value: bit-uniform over the domain as in stability.py, then its stress points."""
    interval = case.interval(0)
    points = np.concatenate([sample(interval, rng_of(case, part), count),
                             [x for x in STRESS if interval.contains(x)]])
    others = [0.3 if case.interval(position).bounded else 0.0 for position in range(1, len(case.inputs))]
    params = {name: value if value is not None else 1.0 for name, value in case.params.items()}
    fixed = [np.full_like(points, value) for value in others]
    value, grads = run(case, code, [points, *fixed], params, np.ones_like(points))
    computed = np.broadcast_to(value if part == "forward" else grads[0], points.shape).astype(float)
    if part == "forward":
        def form(*args):
            return case.forward_form(*args)
    else:
        def form(*args):
            return case.claim(1, *args)[0]
    exact = [exact_float(form, [x, *others, *params.values()]) for x in points]
    return points, computed, exact


UNSTABLE = [case for case in CASES if case.kind == "unstable"]
CORRECT = [case for case in CASES if case.kind == "correct"]


@pytest.mark.parametrize("case", UNSTABLE, ids=[case.id for case in UNSTABLE])
def test_an_unstable_one_loses_precision_in_float64(case, modules):
    points, computed, exact = along_first_input(case, modules[case.file], case.unstable_in, STABILITY_POINTS)
    lost = [(float(x), float(c), e) for x, c, e in zip(points, computed, exact)
            if e is not None and math.isfinite(e) and bits_of_error(float(c), e) > HALF_DIGITS]
    assert lost, f"{case.id}: its {case.unstable_in} is accurate in float64 everywhere sampled"


@pytest.mark.parametrize("case", CORRECT, ids=[case.id for case in CORRECT])
@pytest.mark.parametrize("part", ["forward", "backward"])
def test_a_correct_one_is_accurate_in_float64(case, part, modules):
    points, computed, exact = along_first_input(case, modules[case.file], part, STABILITY_POINTS)
    errors, nonfinite = [], []
    for index, (x, c, e) in enumerate(zip(points, computed, exact)):
        if e is None or not math.isfinite(e):
            continue
        if not math.isfinite(c):
            nonfinite.append(float(x))
        if index < STABILITY_POINTS:
            errors.append(bits_of_error(float(c), e))
    assert not nonfinite, f"{case.id}: float64 {part} is inf/NaN at {nonfinite[:5]} where the value is finite"
    assert np.mean(errors) < STABLE_BITS, f"{case.id}: float64 {part} loses {np.mean(errors):.2f} bits on average"


def test_the_corpus_has_what_issue_16_asks():
    count = {(style, kind): sum(c.style == style and c.kind == kind for c in CASES) for style in STYLES
             for kind in KINDS}
    mutations = {c.mutation for c in CASES if c.kind == "mutant"}
    per_mutation = {m: sum(c.mutation == m for c in CASES) for m in mutations}
    assert len(CASES) >= 120 and sum(c.kind == "correct" for c in CASES) >= 40 and len(UNSTABLE) >= 10
    assert all(count[style, kind] > 0 for style in STYLES for kind in KINDS)
    assert min(per_mutation.values()) >= 3 and len(mutations) == 8, per_mutation
    assert {c.api for c in CASES} >= {"autograd.Function", "autograd.Function+setup_context", "custom_vjp",
                                      "custom_jvp", "derivative-function", "backward-function", "marked-derivative"}
