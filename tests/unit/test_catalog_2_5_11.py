"""Every name of neurogebra 2.5.11's catalog (tests/data/catalog_2_5_11.txt) resolves here, and the derivative of
what it resolves to, in each input, agrees with the entry's slope computed by mpmath at points inside its domain."""
from __future__ import annotations

import zlib
from pathlib import Path

import mpmath
import numpy as np
import pytest

from neurogebra import MathForge
from neurogebra.catalog import ENTRIES, canonical_name
from neurogebra.catalog.former_names import FORMER_NAMES
from neurogebra.compiled import compile_mpmath
from neurogebra.domains import Domain
from neurogebra.forge import stem
from neurogebra.parsing import symbol

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "catalog_2_5_11.txt"
NAMES: dict[str, str] = dict(
    line.split() for line in REFERENCE.read_text(encoding="utf-8").splitlines() if not line.startswith("#"))
FORGE = MathForge()
POINTS = 16
SPREAD = 6.0  # inputs are drawn from [-SPREAD, SPREAD] within their domain, parameters stay at their defaults
DIGITS = 40
RTOL, ATOL = 1e-7, 1e-12


def inside(domain: Domain, count: int, rng: np.random.Generator) -> np.ndarray:
    """Uniform points of [-SPREAD, SPREAD] within the domain, kept a little away from the domain's own ends."""
    low, high = max(-SPREAD, domain.lo), min(SPREAD, domain.hi)
    margin = 0.01 * min(high - low, 1.0)
    return rng.uniform(low + margin if domain.lo > -SPREAD else low, high - margin if domain.hi < SPREAD else high,
                       count)


def exact_slope(function, arguments: list[float], index: int) -> mpmath.mpf | None:
    """The slope of `function` in its index-th argument, by mpmath at DIGITS digits (None where undefined)."""
    values = [mpmath.mpf(v) for v in arguments]

    def along(value: mpmath.mpf) -> mpmath.mpf:
        values[index] = value
        return function(*values)

    with mpmath.workdps(DIGITS):
        try:
            slope = mpmath.diff(along, mpmath.mpf(arguments[index]))
        except (ArithmeticError, ValueError):
            return None
    return slope if isinstance(slope, mpmath.mpf) and mpmath.isfinite(slope) else None


def test_the_reference_list_is_complete() -> None:
    assert len(NAMES) == 285
    assert set(NAMES.values()) == {"activation", "loss", "regularizer", "statistics", "metric", "transform", "algebra",
                                   "calculus", "optimization", "linalg"}


@pytest.mark.parametrize("name", sorted(NAMES))
def test_name_resolves_and_its_gradient_is_exact(name: str) -> None:
    expression = FORGE.get(name)
    entry = ENTRIES[canonical_name(name) or name]
    variables = [s.name for s in expression.symbolic_expr.free_symbols]
    reference = compile_mpmath(expression.symbolic_expr, [symbol(v) for v in variables])
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    points = {v: inside(entry.domain_of(v), POINTS, rng) if v in entry.inputs else np.full(POINTS, entry.params[v])
              for v in variables}
    for variable in entry.inputs:
        gradient = expression.gradient(variable).eval(**points)
        compared = 0
        for i in range(POINTS):
            exact = exact_slope(reference, [points[v][i] for v in variables], variables.index(variable))
            if exact is None:
                continue
            at = {v: float(points[v][i]) for v in variables}
            assert abs(gradient[i] - float(exact)) <= RTOL * abs(float(exact)) + ATOL, (
                f"d{name}/d{variable} at {at}: {gradient[i]!r}, exact {mpmath.nstr(exact, 17)}")
            compared += 1
        assert compared >= POINTS // 2, f"d{name}/d{variable}: only {compared} points with an exact slope"


@pytest.mark.parametrize("category", sorted(set(NAMES.values())))
def test_list_all_knows_each_category_of_2_5_11(category: str) -> None:
    listed = set(FORGE.list_all(category))
    expected = {n for n, c in NAMES.items() if c == category and n in ENTRIES and stem(ENTRIES[n].category) == stem(c)}
    assert expected and expected <= listed


def test_search_finds_every_name() -> None:
    missed = [name for name in NAMES if FORGE.search(name)[:1] != [canonical_name(name)]]
    assert not missed


@pytest.mark.parametrize(("query", "name"), [
    ("banana function", "rosenbrock"), ("cosine annealing", "cosine_annealing_lr"),
    ("adam weight decay", "adamw_step"), ("larger eigenvalue", "eigenvalue_2x2"),
    ("cooperative binding", "hill_equation"), ("Ricker wavelet", "wavelet_mexican_hat"),
    ("attention", "scaled_dot_product"), ("Gompertz", "gompertz"),
    ("Simpson integral", "simpsons_rule"), ("layer normalization", "layer_norm_elem"),
])
def test_search_finds_new_entries_by_description_words(query: str, name: str) -> None:
    assert name in FORGE.search(query)[:3]


def test_former_names_stand_for_variables_of_their_entry_and_shadow_none() -> None:
    for name, synonyms in FORMER_NAMES.items():
        variables = set(ENTRIES[name].variables)
        assert set(synonyms.values()) <= variables, name
        assert not set(synonyms) & variables, name


@pytest.mark.parametrize("name", sorted(FORMER_NAMES))
def test_a_2_5_11_call_with_the_old_names_gives_what_ours_give(name: str) -> None:
    synonyms = FORMER_NAMES[name]
    entry = ENTRIES[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    ours = {v: float(inside(entry.domain_of(v), 1, rng)[0]) for v in entry.variables}
    old = {next((o for o, n in synonyms.items() if n == v), v): value for v, value in ours.items()}
    expected = FORGE.get(name).eval(**ours)
    assert FORGE.get(name).eval(**old) == pytest.approx(expected, rel=1e-12, nan_ok=True)
    with_params = FORGE.get(name, params={o: value for o, value in old.items() if synonyms.get(o, o) in entry.params})
    assert with_params.eval(**{v: ours[v] for v in entry.inputs}) == pytest.approx(expected, rel=1e-12, nan_ok=True)
    renamed = next(iter(synonyms))
    assert FORGE.get(name).gradient(renamed).symbolic_expr == FORGE.get(name).gradient(synonyms[renamed]).symbolic_expr


def test_a_variable_given_under_both_names_is_an_error() -> None:
    with pytest.raises(TypeError, match="lam is given twice"):
        FORGE.get("l2").eval(w=1.0, lam=0.1, lambda_reg=0.2)
    with pytest.raises(ValueError, match="epsilon"):  # 2.5.11's guard stands for nothing here: an error names ours
        FORGE.get("entropy_reg", params={"epsilon": 1e-8})
