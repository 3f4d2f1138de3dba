"""Every catalog entry parses, differentiates in every variable, and its derivatives are right and finite."""
from __future__ import annotations

import math
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
import sympy

from neurogebra import MathForge
from neurogebra.catalog import ALIASES, CATEGORIES, ENTRIES, Entry
from neurogebra.catalog.formulas import catalog_functions, entry_expr
from neurogebra.catalog.markdown import render
from neurogebra.domains import Domain
from neurogebra.parsing import MATH_FUNCTIONS, ParseError, parse_formula, symbol

FORGE = MathForge()
NARROW = 6.0  # inputs are checked against finite differences on [-6, 6] (within the domain) ...
WIDE = 30.0  # ... and must stay finite on [-30, 30]
POINTS = 64
VARIABLE_CASES = [(name, var) for name, entry in ENTRIES.items() for var in entry.variables]


def window(domain: Domain, lo: float, hi: float) -> tuple[float, float]:
    """[lo, hi] within the domain, kept a little away from the domain's own ends."""
    low, high = max(lo, domain.lo), min(hi, domain.hi)
    margin = 0.01 * min(high - low, 1.0)
    return (low + margin if domain.lo > lo else low), (high - margin if domain.hi < hi else high)


def sample(entry: Entry, spread: float, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Random points: inputs across [-spread, spread], parameters near their defaults, all inside the domain."""
    values = {}
    for name in entry.inputs:
        values[name] = rng.uniform(*window(entry.domain_of(name), -spread, spread), POINTS)
    for name, default in entry.params.items():
        step = 0.25 * max(abs(default), 1.0)
        values[name] = rng.uniform(*window(entry.domain_of(name), default - step, default + step), POINTS)
    return values


def rng_for(*key: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32("/".join(key).encode()))


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_entry_parses_with_exactly_its_variables(name: str) -> None:
    entry = ENTRIES[name]
    expr = entry_expr(name)
    assert isinstance(expr, sympy.Expr)
    assert {s.name for s in expr.free_symbols} == set(entry.variables)
    assert all(s.is_real for s in expr.free_symbols)


@pytest.mark.parametrize(("name", "var"), VARIABLE_CASES)
def test_derivative_matches_central_differences(name: str, var: str) -> None:
    entry = ENTRIES[name]
    expression = FORGE.get(name)
    derivative = expression.gradient(var)
    values = sample(entry, NARROW, rng_for(name, var))
    x = values[var]
    h = 1e-6 * np.maximum(1.0, np.abs(x))
    f = lambda shift: expression.eval(**{**values, var: x + shift})  # noqa: E731
    f0, f_plus, f_minus = f(0.0), f(h), f(-h)
    symbolic = derivative.eval(**values)
    assert np.all(np.isfinite(symbolic)), f"{derivative.symbolic_expr} not finite at {values}"
    central = (f_plus - f_minus) / (2 * h)
    left, right = (f0 - f_minus) / h, (f_plus - f0) / h
    roundoff = 100 * np.finfo(float).eps * (1 + np.abs(f0)) / h
    smooth = np.abs(left - right) <= 1e-3 * (1 + np.abs(left) + np.abs(right)) + roundoff
    assert smooth.sum() >= POINTS // 2, f"{name}: too few smooth points to check d/d{var}"
    error = np.abs(symbolic - central)[smooth]
    allowed = (1e-5 * (1 + np.abs(symbolic)) + roundoff)[smooth]
    worst = int(np.argmax(error - allowed))
    assert np.all(error <= allowed), (f"d{name}/d{var} = {derivative.symbolic_expr}: {symbolic[smooth][worst]} "
                                      f"vs {central[smooth][worst]}")


@pytest.mark.parametrize(("name", "var"), VARIABLE_CASES)
def test_derivative_is_finite_far_out_on_the_domain(name: str, var: str) -> None:
    entry = ENTRIES[name]
    values = sample(entry, WIDE, rng_for("wide", name, var))
    derivative = FORGE.get(name).gradient(var).eval(**values)
    assert np.all(np.isfinite(derivative))


@pytest.mark.parametrize("name", sorted(ENTRIES))
def test_values_lie_in_the_declared_range(name: str) -> None:
    entry = ENTRIES[name]
    expression = FORGE.get(name)
    inputs = {k: v for k, v in sample(entry, WIDE, rng_for("range", name)).items() if k in entry.inputs}
    values = expression.eval(**inputs)
    assert np.all(np.isfinite(values))
    slack = 1e-9 * (1 + np.abs(values))
    assert np.all(values >= entry.value_range.lo - slack) and np.all(values <= entry.value_range.hi + slack)


def test_names_and_aliases_are_unique_and_resolve() -> None:
    assert not set(ALIASES) & set(ENTRIES)
    aliases = [a for e in ENTRIES.values() for a in e.aliases]
    assert len(aliases) == len(set(aliases))
    for alias, target in ALIASES.items():
        assert entry_expr(alias) == entry_expr(target)


def test_required_entries_are_present() -> None:
    required = {"relu", "leaky_relu", "elu", "selu", "gelu", "gelu_tanh", "swish", "mish", "softplus", "sigmoid",
                "hard_sigmoid", "hard_swish", "softsign", "tanh", "linear", "relu6", "log_sigmoid", "celu", "mse",
                "mae", "huber", "log_cosh", "binary_crossentropy", "hinge", "squared_hinge", "quantile",
                "bce_with_logits", "poisson", "kl_div", "smooth_l1", "focal", "l1", "l2", "elastic_net",
                "gaussian_pdf", "logistic_pdf", "standard_normal_cdf", "logit", "standardize", "min_max_scale",
                "log1p_transform"}
    assert required <= set(ENTRIES)
    assert ALIASES["silu"] == "swish"
    assert {e.category for e in ENTRIES.values()} == set(CATEGORIES)


def test_every_entry_documents_itself() -> None:
    for entry in ENTRIES.values():
        assert entry.description and entry.usage and entry.pros and entry.cons, entry.name
        assert entry.inputs and all(p not in entry.inputs for p in entry.params), entry.name


def test_known_values() -> None:
    x = symbol("x")
    assert entry_expr("relu").subs(x, -2) == 0
    assert math.isclose(FORGE.get("selu").eval(-100.0), -1.0507009873554805 * 1.6732632423543772)
    assert math.isclose(FORGE.get("gelu").eval(1.0), 0.5 * (1 + math.erf(1 / math.sqrt(2))))
    assert math.isclose(FORGE.get("gelu_tanh").eval(1.0), FORGE.get("gelu").eval(1.0), rel_tol=1e-3)
    assert math.isclose(FORGE.get("huber").eval(y_pred=3.0, y_true=0.0), 2.5)
    assert math.isclose(FORGE.get("quantile", {"q": 0.9}).eval(y_pred=0.0, y_true=1.0), 0.9)
    assert math.isclose(FORGE.get("bce_with_logits").eval(y_pred=0.3, y_true=1.0),
                        FORGE.get("binary_crossentropy").eval(y_pred=1 / (1 + math.exp(-0.3)), y_true=1.0))
    assert math.isclose(FORGE.get("standard_normal_cdf").eval(1.96), 0.9750021048517795)


def test_kinks_follow_the_framework_convention() -> None:
    assert FORGE.get("relu").gradient("x").eval(0.0) == 0.0
    assert FORGE.get("mae").gradient("y_pred").eval(y_pred=1.0, y_true=1.0) == 0.0
    assert FORGE.get("leaky_relu").gradient("x").eval(0.0) == pytest.approx(0.01)


def test_names_shared_with_math_functions_mean_the_same() -> None:
    for name in set(ENTRIES) & set(MATH_FUNCTIONS):
        assert entry_expr(name) == MATH_FUNCTIONS[name].apply(*map(symbol, ENTRIES[name].inputs))


# ---------------------------------------------------------------------------------------------- formula calls
def test_calls_substitute_arguments_and_default_parameters() -> None:
    a, b = symbol("a"), symbol("b")
    assert parse_formula("mse(a, b)") == (a - b) ** 2
    assert parse_formula("mse(b, a)") == (b - a) ** 2
    assert parse_formula("silu(a)") == a / (1 + sympy.exp(-a))
    assert parse_formula("leaky_relu(a)") == parse_formula("Piecewise((a, a > 0), (0.01*a, True))")
    assert parse_formula("huber(a, b, 2)") == parse_formula(
        "Piecewise(((a - b)^2/2, Abs(a - b) <= 2), (2*(Abs(a - b) - 1), True))")
    assert parse_formula("huber(a, b)").free_symbols == {a, b}
    assert parse_formula("relu(sigmoid(a))") == sympy.Max(0, 1 / (1 + sympy.exp(-a)))


def test_call_arity_is_checked() -> None:
    with pytest.raises(ParseError) as info:
        parse_formula("huber(a)")
    assert info.value.offset == 0 and "huber" in info.value.message
    with pytest.raises(ParseError):
        parse_formula("relu(a, b)")
    with pytest.raises(ParseError):
        parse_formula("focal(a, b, 1, 2, 3)")


def test_catalog_functions_cover_entries_and_aliases() -> None:
    functions = catalog_functions()
    assert set(functions) == set(ENTRIES) | set(ALIASES)
    assert functions["huber"].params == ("y_pred", "y_true", "delta")
    assert functions["huber"].min_args == 2 and functions["huber"].max_args == 3


# ---------------------------------------------------------------------------------------------- laziness, docs
def test_importing_the_catalog_parses_nothing() -> None:
    code = ("import neurogebra.catalog as c, neurogebra.catalog.formulas as f, neurogebra.parsing as p\n"
            "from neurogebra import MathForge\n"
            "MathForge()\n"
            "assert f.entry_expr.cache_info().currsize == 0\n"
            "assert f.catalog_functions.cache_info().currsize == 0\n"
            "print(len(c.ENTRIES))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(result.stdout) == len(ENTRIES)


def test_docs_catalog_is_current() -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "catalog.md"
    assert docs.read_text(encoding="utf-8") == render(), "run: python -m neurogebra.catalog.markdown > docs/catalog.md"
    for name in ENTRIES:
        assert f"`{name}(" in docs.read_text(encoding="utf-8")
