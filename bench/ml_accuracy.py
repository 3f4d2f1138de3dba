"""Accuracy of the ML formulas people write, and of the forms Neurogebra proposes for them, in float64 and float32.

    .venv/bin/python bench/ml_accuracy.py [--samples 1024] [--seed 0] [--only NAME ...]

For every formula of the suite and its SymPy derivative, in each float type: the naive form's average bits of
error (Herbie's measure, `neurogebra.numerics`) over points sampled over the floats of each input's natural
domain, whether `judge_stability` warns, the bits of its proposed form on the same points (the formula itself
where nothing is proposed), how many NaN or inf that form gives on a dense grid over +-1e4 plus +-1e30 and
+-1e300 (4e37 instead in float32), and the same two for the overflow rules' rewrite, which judge_stability
proposes only for a formula it warns about. Goal (issue 11): every form under 1 bit, no NaN or inf.
"""
from __future__ import annotations

import argparse
import itertools
import math
from dataclasses import dataclass

import numpy as np
import sympy

from neurogebra.calculus import differentiate
from neurogebra.catalog.entry import CLOSED_UNIT, OPEN_UNIT
from neurogebra.numerics import compile_in, float_type, float_values, measure_accuracy, stability_rows
from neurogebra.parsing import parse_formula, symbol
from neurogebra.rewrites import overflow, rewrite
from neurogebra.stable import judge_stability

DTYPES = ("float64", "float32")
DOMAINS = {"t": CLOSED_UNIT, "p": OPEN_UNIT}   # a target and a probability; every other input is a real number
GOAL_BITS = 1.0
SIGMOID = "1/(1 + exp(-x))"
SOFTMAX_A = "exp(a)/(exp(a) + exp(b) + exp(c))"
GELU_TANH_ARGUMENT = "sqrt(2/pi)*(x + 0.044715*x^3)"


@dataclass(frozen=True)
class Formula:
    name: str
    text: str
    gradient_of: tuple[str, ...] = ("x",)   # the inputs whose derivatives are in the suite too


SUITE = (
    Formula("softplus", "log(1 + exp(x))"),
    Formula("log-sigmoid", "log(1/(1 + exp(-x)))"),
    Formula("log-sigmoid (negated softplus)", "-log(1 + exp(-x))"),
    Formula("BCE with logits", f"-(t*log({SIGMOID}) + (1 - t)*log(1 - {SIGMOID}))", ("x", "t")),
    Formula("logsumexp of 2", "log(exp(a) + exp(b))", ("a",)),
    Formula("logsumexp of 3", "log(exp(a) + exp(b) + exp(c))", ("a",)),
    Formula("softmax component", SOFTMAX_A, ("a", "b")),
    Formula("softmax cross-entropy", f"-log({SOFTMAX_A})", ("a", "b")),
    Formula("softmax cross-entropy gradient", f"{SOFTMAX_A} - 1", ("a", "b")),
    Formula("log(1 - sigmoid)", f"log(1 - {SIGMOID})"),
    Formula("1 - sigmoid", f"1 - {SIGMOID}"),
    Formula("GELU (erf)", "x/2*(1 + erf(x/sqrt(2)))"),
    Formula("GELU (tanh)", f"x/2*(1 + tanh({GELU_TANH_ARGUMENT}))"),
    Formula("Mish", "x*tanh(log(1 + exp(x)))"),
    Formula("sigmoid'", "exp(-x)/(1 + exp(-x))**2"),
    Formula("tanh'", "1 - tanh(x)**2"),
    Formula("log-cosh", "log(cosh(x))"),
)


@dataclass(frozen=True)
class Case:
    name: str
    expr: sympy.Expr


def cases(suite=SUITE) -> list[Case]:
    """Every formula, then its derivatives."""
    found = []
    for formula in suite:
        expr = parse_formula(formula.text)
        found.append(Case(formula.name, expr))
        for name in formula.gradient_of:
            found.append(Case(f"d/d{name} {formula.name}", differentiate(expr, symbol(name))))
    return found


@dataclass(frozen=True)
class Row:
    case: Case
    dtype: str
    naive_bits: float
    warned: bool
    proposed: sympy.Expr | None
    final_bits: float           # the proposed form's, or the formula's own when nothing is proposed
    nonfinite: int              # NaN or inf of that form on the dense grid
    rules: tuple[float, int] | None  # the overflow rules' rewrite, proposed or not: bits, NaN/inf on the grid

    @property
    def meets_goal(self) -> bool:
        return self.final_bits < GOAL_BITS and self.nonfinite == 0


def measure(case: Case, dtype: str, samples: int, seed: int) -> Row:
    """Each form against its own exact values (a proposed form is verified equal to the formula), averaged over
    the sampled points (the stress points after them are not averaged, as in judge_stability)."""
    variables = tuple(sorted(case.expr.free_symbols, key=lambda s: s.name))
    rows = stability_rows(variables, DOMAINS, samples, seed, dtype)

    def bits_of(expr: sympy.Expr) -> float:
        return measure_accuracy(expr, variables, rows, dtype, sampled=samples).bits

    naive_bits = bits_of(case.expr)
    judged = judge_stability(case.expr, DOMAINS, dtype)
    proposed = judged.proposed if judged is not None else None
    final = proposed if proposed is not None else case.expr
    rewritten = rewrite(case.expr, overflow.RULES)
    rules = None if rewritten == case.expr else (bits_of(rewritten), nonfinite_on_grid(rewritten, variables, dtype))
    return Row(case, dtype, naive_bits, bool(judged and judged.unstable), proposed,
               naive_bits if proposed is None else bits_of(proposed), nonfinite_on_grid(final, variables, dtype),
               rules)


# ---------------------------------------------------------------------------------------------- dense grid
def axis_values(name: str, dtype: str, dense: bool) -> np.ndarray:
    """One input's grid: its natural domain densely, and for a real input +-1e4 (step 1, or 41 points when
    several inputs share the grid), the stress points where exp overflows, and +-1e30, +-1e300 (an eighth of the
    largest float in float32, so that sums of two inputs stay finite)."""
    if name in DOMAINS:
        return np.linspace(0.0, 1.0, 11 if dense else 5)
    largest = float(np.finfo(float_type(dtype)).max)
    wide = np.linspace(-1e4, 1e4, 20001 if dense else 41)
    near_zero = np.linspace(-50.0, 50.0, 2001 if dense else 21)
    special = [0.0, 1e-30, 1e-300, 5e-324, 20.0, 40.0, 88.0, 89.0, 100.0, 700.0, 710.0, 745.0, 1000.0, 1e30,
               min(1e300, largest / 8)]
    values = np.concatenate([wide, near_zero, special, -np.array(special)])
    return np.unique(values.astype(float_type(dtype)).astype(np.float64))


def grid(variables: tuple[sympy.Symbol, ...], dtype: str) -> np.ndarray:
    real_inputs = sum(v.name not in DOMAINS for v in variables)
    axes = [axis_values(v.name, dtype, dense=real_inputs <= 1) for v in variables]
    return np.array(list(itertools.product(*axes)))


def nonfinite_on_grid(expr: sympy.Expr, variables: tuple[sympy.Symbol, ...], dtype: str) -> int:
    values = float_values(compile_in(expr, variables, dtype), grid(variables, dtype), dtype)
    return int(np.count_nonzero(~np.isfinite(values)))


# ---------------------------------------------------------------------------------------------- report
def bits(value: float) -> str:
    return f"{value:.2f}" if math.isfinite(value) else "-"


def table(rows: list[Row]) -> str:
    lines = ["| formula | dtype | naive bits | warned | proposed bits | NaN/inf on grid | rules' form bits |",
             "|---|---|---:|:---:|---:|---:|---:|"]
    for row in rows:
        proposed = bits(row.final_bits) if row.proposed is not None else f"({bits(row.final_bits)})"
        rules = "" if row.rules is None else bits(row.rules[0]) + (f", {row.rules[1]} NaN/inf" if row.rules[1] else "")
        lines.append(f"| {row.case.name} | {row.dtype} | {bits(row.naive_bits)} | {'yes' if row.warned else ''} "
                     f"| {proposed} | {row.nonfinite or ''} | {rules} |")
    return "\n".join(lines)


def proposals(rows: list[Row]) -> str:
    lines = []
    for row in rows:
        if row.proposed is not None and row.dtype == DTYPES[0]:
            lines.append(f"- {row.case.name}: `{row.case.expr}` -> `{row.proposed}`")
    return "\n".join(lines)


def summary(rows: list[Row]) -> str:
    lines = []
    for dtype in DTYPES:
        mine = [r for r in rows if r.dtype == dtype]
        unstable = [r for r in mine if r.naive_bits > GOAL_BITS]
        missed = [r.case.name for r in mine if not r.meets_goal]
        lines.append(f"- {dtype}: {len(mine)} formulas, {len(unstable)} over {GOAL_BITS:g} bit as written "
                     f"(average {np.mean([r.naive_bits for r in mine]):.2f} bits), "
                     f"{sum(r.warned for r in mine)} warned, {sum(r.proposed is not None for r in mine)} with a "
                     f"proposed form; after the proposals {len(mine) - len(missed)}/{len(mine)} are under "
                     f"{GOAL_BITS:g} bit with no NaN or inf (average {np.mean([r.final_bits for r in mine]):.2f} "
                     f"bits)" + (f"; missed: {', '.join(missed)}" if missed else ""))
        rewritten = [r for r in mine if r.rules is not None]
        good = [r for r in rewritten if r.rules[0] < GOAL_BITS and r.rules[1] == 0]
        lines.append(f"  - the overflow rules rewrite {len(rewritten)} of them, {len(good)} to a form under "
                     f"{GOAL_BITS:g} bit with no NaN or inf (average {np.mean([r.rules[0] for r in rewritten]):.2f} "
                     "bits)" + "".join(f"; not {r.case.name}" for r in rewritten if r not in good))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1024)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*", help="formula names (substrings) to measure")
    options = parser.parse_args()
    chosen = [c for c in cases() if not options.only or any(s in c.name for s in options.only)]
    rows = []
    for case in chosen:
        for dtype in DTYPES:
            rows.append(measure(case, dtype, options.samples, options.seed))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    print()
    print(table(rows))
    print()
    print(summary(rows))
    print()
    print(proposals(rows))


if __name__ == "__main__":
    main()
