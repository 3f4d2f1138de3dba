"""FPBench's Hamming chapter 3 suite: how accurate each formula is in float64, whether Neurogebra warns, and how
accurate its proposed form is, beside Hamming's textbook rewrite and Herbie's published result.

Run: .venv/bin/python bench/hamming.py  (prints a Markdown table and the summary; about a minute)

Sources
- The 28 expressions and their preconditions: FPBench, benchmarks/hamming-ch3.fpcore (the "NMSE" cores citing
  hamming-1987 and herbie-2015; github.com/FPBench/FPBench). Short names (2sqrt, expq2, ...) are Herbie's, from
  its bench/hamming/*.fpcore (github.com/herbie-fp/herbie).
- Preconditions become per-variable intervals (neurogebra.domains.Domain). `x != 0` is the real line (the
  formulas are undefined at 0 and such points are skipped). The quadratic formulas' precondition relates the
  variables (b*b >= 4*a*c, a != 0): they are sampled on the enclosing box, the real line for a, b, c, and the
  points with a negative discriminant, where the formula is not real, are skipped.
- Textbook rewrites: Hamming's, as FPBench's comments and Herbie's :herbie-target fields record them, written
  here in our syntax. Where those give none or an approximation, the row's `textbook_note` says what is used.
- Herbie's figures (average bits of error, original -> Herbie's output, in binary64) come from Herbie's public
  nightly reports, nightly.cs.washington.edu/reports/herbie/<run>/hamming/<benchmark>/graph.html, one report
  per benchmark, named in `HERBIE`. They are measured on Herbie's own samples and, since 2020, Herbie's
  narrower preconditions, so they are a reference, not a like-for-like score. None: no report found. The
  suite-wide 1.85 bits is the figure quoted in issue 11 (its source was not found in the reports searched).

Measurement: the points of neurogebra.numerics.stability_rows (SAMPLES per variable, fixed seed, plus the stress
points; how magnitudes are drawn is numerics' choice, printed in the summary) and the bits of error of
measure_accuracy (Herbie's measure, over the points where the value is well-conditioned). The exact values are
the original formula's (numerics.exact_values, whose precision starts above the point's magnitudes, so
(N + 1)*log(N + 1) at N = 1e300 is exact too); every form of a row is measured against them on the same points.
"""
from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neurogebra import numerics  # noqa: E402
from neurogebra.compiled import CompileError  # noqa: E402
from neurogebra.domains import Domain  # noqa: E402
from neurogebra.numerics import exact_values, measure_accuracy, stability_rows  # noqa: E402
from neurogebra.parsing import parse_formula  # noqa: E402
from neurogebra.stable import WARN_BITS, judge_stability  # noqa: E402

SAMPLES = 1000
SEED = 1
HERBIE_SUITE_BITS = 1.85
NONNEGATIVE = Domain(0.0, math.inf, lo_closed=True)
UNIT = Domain(-1.0, 1.0)


@dataclass(frozen=True)
class Benchmark:
    name: str                   # Herbie's short name
    fpbench: str                # FPBench's :name
    formula: str
    textbook: str
    domains: dict[str, Domain] = field(default_factory=dict)
    textbook_note: str = ""


SUITE = (
    Benchmark("2sqrt", "NMSE example 3.1", "sqrt(x + 1) - sqrt(x)", "1/(sqrt(x + 1) + sqrt(x))",
              {"x": NONNEGATIVE}),
    Benchmark("2sin", "NMSE example 3.3", "sin(x + eps) - sin(x)", "2*cos(x + eps/2)*sin(eps/2)"),
    Benchmark("tanhf", "NMSE example 3.4", "(1 - cos(x))/sin(x)", "tan(x/2)"),
    Benchmark("2atan", "NMSE example 3.5", "atan(N + 1) - atan(N)", "atan(1/(1 + N*(N + 1)))"),
    Benchmark("2isqrt", "NMSE example 3.6", "1/sqrt(x) - 1/sqrt(x + 1)",
              "1/((x + 1)*sqrt(x) + x*sqrt(x + 1))", {"x": NONNEGATIVE}),
    Benchmark("2frac", "NMSE problem 3.3.1", "1/(x + 1) - 1/x", "-1/(x*(x + 1))"),
    Benchmark("2tan", "NMSE problem 3.3.2", "tan(x + eps) - tan(x)", "sin(eps)/(cos(x)*cos(x + eps))"),
    Benchmark("3frac", "NMSE problem 3.3.3", "1/(x + 1) - 2/x + 1/(x - 1)", "2/(x*(x*x - 1))"),
    Benchmark("2cbrt", "NMSE problem 3.3.4", "pow(x + 1, 1/3) - pow(x, 1/3)",
              "1/(cbrt(x + 1)**2 + cbrt(x + 1)*cbrt(x) + cbrt(x)**2)", {"x": NONNEGATIVE},
              "no target given: the cube conjugate"),
    Benchmark("2cos", "NMSE problem 3.3.5", "cos(x + eps) - cos(x)", "-2*sin(x + eps/2)*sin(eps/2)"),
    Benchmark("2log", "NMSE problem 3.3.6", "log(N + 1) - log(N)",
              "where(N > 1e5, 1/N - 1/(2*N**2) + 1/(3*N**3) - 1/(4*N**4), log(1 + 1/N))", {"N": NONNEGATIVE},
              "log(1 + 1/N), its series for large N (threshold ours)"),
    Benchmark("exp2", "NMSE problem 3.3.7", "exp(x) - 2 + exp(-x)", "4*sinh(x/2)**2"),
    Benchmark("quadp", "NMSE p42, positive", "(-b + sqrt(b*b - 4*(a*c)))/(2*a)",
              "where(b >= 0, 2*c/(-b - sqrt(b*b - 4*(a*c))), (-b + sqrt(b*b - 4*(a*c)))/(2*a))"),
    Benchmark("quadm", "NMSE p42, negative", "(-b - sqrt(b*b - 4*(a*c)))/(2*a)",
              "where(b < 0, 2*c/(-b + sqrt(b*b - 4*(a*c))), (-b - sqrt(b*b - 4*(a*c)))/(2*a))"),
    Benchmark("quad2p", "NMSE problem 3.2.1, positive", "(-b2 + sqrt(b2*b2 - a*c))/a",
              "where(b2 >= 0, c/(-b2 - sqrt(b2*b2 - a*c)), (-b2 + sqrt(b2*b2 - a*c))/a)", {},
              "no target given: the p42 rewrite with b = 2*b2"),
    Benchmark("quad2m", "NMSE problem 3.2.1, negative", "(-b2 - sqrt(b2*b2 - a*c))/a",
              "where(b2 < 0, c/(-b2 + sqrt(b2*b2 - a*c)), (-b2 - sqrt(b2*b2 - a*c))/a)", {},
              "no target given: the p42 rewrite with b = 2*b2"),
    Benchmark("expm1", "NMSE example 3.7", "exp(x) - 1", "expm1(x)", {"x": Domain(-0.00017, math.inf)},
              "Hamming's Taylor series, as libm's expm1 (FPBench's comment)"),
    Benchmark("logs", "NMSE example 3.8", "(N + 1)*log(N + 1) - N*log(N) - 1",
              "log(N + 1) - 1/(2*N) + 1/(3*N**2) - 1/(4*N**3)", {"N": Domain(6.8e15, math.inf)},
              "Herbie's target with its 4/N**3 read as 1/(4*N**3)"),
    Benchmark("invcot", "NMSE example 3.9", "1/x - 1/tan(x)", "x/3 + x**3/45 + 2*x**5/945",
              {"x": Domain(-0.026, 0.026)}, "three terms of Hamming's series"),
    Benchmark("qlog", "NMSE example 3.10", "log(1 - x)/log(1 + x)", "log1p(-x)/log1p(x)", {"x": UNIT}),
    Benchmark("cos2", "NMSE problem 3.4.1", "(1 - cos(x))/(x*x)", "2*sin(x/2)**2/x**2", {},
              "no target given: 1 - cos(x) = 2*sin(x/2)**2"),
    Benchmark("expq3", "NMSE problem 3.4.2", "eps*(exp((a + b)*eps) - 1)/((exp(a*eps) - 1)*(exp(b*eps) - 1))",
              "eps*expm1((a + b)*eps)/(expm1(a*eps)*expm1(b*eps))", {"eps": UNIT},
              "Hamming's 1/a + 1/b is only the eps -> 0 limit: expm1 throughout"),
    Benchmark("logq", "NMSE problem 3.4.3", "log((1 - eps)/(1 + eps))", "log1p(-eps) - log1p(eps)",
              {"eps": UNIT}),
    Benchmark("sqrtexp", "NMSE problem 3.4.4", "sqrt((exp(2*x) - 1)/(exp(x) - 1))", "sqrt(1 + exp(x))", {},
              "no target given: the difference of squares"),
    Benchmark("sintan", "NMSE problem 3.4.5", "(x - sin(x))/(x - tan(x))",
              "where(abs(x) <= 1, -1/2 + 9*x**2/40 - 27*x**4/2800 + 27*x**6/112000, (x - sin(x))/(x - tan(x)))"),
    Benchmark("2nthrt", "NMSE problem 3.4.6", "pow(x + 1, 1/n) - pow(x, 1/n)", "x**(1/n)*expm1(log1p(1/x)/n)",
              {"x": NONNEGATIVE}, "no target given: x**(1/n)*((1 + 1/x)**(1/n) - 1) with expm1/log1p"),
    Benchmark("expax", "NMSE section 3.5", "exp(a*x) - 1", "expm1(a*x)", {},
              "Hamming's Taylor series near 0, as expm1"),
    Benchmark("expq2", "NMSE section 3.11", "exp(x)/(exp(x) - 1)", "1/(1 - exp(-x))"),
)

# Herbie's nightly reports: (bits of the original, bits of Herbie's output, report run). Output only where the
# report's excerpt gave no original.
HERBIE: dict[str, tuple[float | None, float, str]] = {
    "2sqrt": (30.7, 0.2, "1548885159:warfa:develop:56eb91ce3e"),
    "2sin": (37.1, 0.5, "1547627843:warfa:develop:4ad0fa0d8e"),
    "tanhf": (30.7, 0.4, "1563093479:warfa:master:5f1fe2f021"),
    "2atan": (14.8, 0.4, "1548491684:warfa:develop:56eb91ce3e"),
    "2isqrt": (19.9, 0.4, "1595061924:warfa:release-1.4:6154713226"),
    "2frac": (14.4, 0.4, "1550840447:warfa:develop:33ce407800"),
    "2tan": (37.3, 0.4, "1531849360:warfa:develop:00017e034d"),
    "3frac": (10.2, 0.1, "1595061924:warfa:release-1.4:6154713226"),
    "2cbrt": (29.6, 0.5, "1554040119:warfa:develop:4325e9f59a"),
    "2cos": (39.4, 24.8, "1470654609:warfa:1.0-beta:1d8a5a266b"),
    "2log": (29.4, 0.1, "1534603626:warfa:develop:7d9dfce904"),
    "exp2": (29.2, 0.5, "1528395444:warfa:develop:c7f1f8ffa3"),
    "quadp": (33.6, 10.0, "1526474994:warfa:develop:90511174da"),
    "quadm": (33.6, 11.7, "1527061236:warfa:develop:60a138aea2"),
    "quad2m": (37.2, 6.1, "1511433147:warfa:develop:0f832f6ac9"),
    "expm1": (58.6, 0.0, "1525886779:warfa:develop:4ceea3ef37"),
    "logs": (63.0, 0.0, "1546591069:warfa:develop:6e112a484d"),
    "invcot": (59.9, 0.3, "1574158873:warfa:master:e5222501e2"),
    "qlog": (61.3, 0.5, "1579514318:warfa:master:f45136c0f2"),
    "cos2": (30.9, 0.2, "1525725428:warfa:develop:37e93f12b4"),
    "expq3": (60.2, 0.1, "1643017374:warfa:unify-sample-ground-truth:49e153f5b4"),
    "sqrtexp": (4.4, 0.1, "1550651717:warfa:develop:40d103fa52"),
    "sintan": (31.8, 0.0, "1554104240:warfa:develop:9f62f81faa"),
    "2nthrt": (None, 7.1, "1633610858:warfa:master:d3249e9721"),
    "expax": (29.2, 0.0, "1528401898:warfa:develop:c7f1f8ffa3"),
    "expq2": (41.4, 1.0, "1594975518:warfa:release-1.4:5d62895733"),
}

# Accurate forms that must not be warned, each on the domain of the benchmark it answers.
ACCURATE = (("expm1(x)", {}), ("log1p(x)", {}), ("1/(sqrt(x + 1) + sqrt(x))", {"x": NONNEGATIVE}),
            ("2*sin(x/2)**2", {}), ("-1/expm1(-x)", {}), ("log1p(-x) - log1p(x)", {"x": UNIT}),
            ("4*sinh(x/2)**2", {}), ("sqrt(1 + exp(x))", {}), ("atan(1/(1 + N*(N + 1)))", {}),
            ("-1/(x*(x + 1))", {}), ("2*sin(eps/2)*(cos(x)*cos(eps/2) - sin(x)*sin(eps/2))", {}))


@dataclass
class Row:
    benchmark: Benchmark
    original: float
    warned: bool
    proposed: object          # the proposed SymPy expression, or None
    proposed_bits: float | None
    textbook_bits: float


def bits(expr, variables, rows, exact) -> float:
    try:
        return measure_accuracy(expr, variables, rows, np.float64, exact).bits
    except CompileError:
        return math.nan


def run(benchmark: Benchmark) -> Row:
    original = parse_formula(benchmark.formula)
    variables = tuple(sorted(original.free_symbols, key=lambda s: s.name))
    rows = stability_rows(variables, benchmark.domains, SAMPLES, SEED)
    exact = exact_values(original, variables, rows)
    judged = judge_stability(original, benchmark.domains)
    warned = judged is not None and judged.unstable
    proposed = judged.proposed if warned else None
    return Row(benchmark, bits(original, variables, rows, exact), warned, proposed,
               None if proposed is None else bits(proposed, variables, rows, exact),
               bits(parse_formula(benchmark.textbook), variables, rows, exact))


def herbie_cell(name: str) -> str:
    if name not in HERBIE:
        return "—"
    before, after, _ = HERBIE[name]
    return f"{after:.1f}" if before is None else f"{before:.1f} → {after:.1f}"


def table(results: list[Row]) -> str:
    lines = ["| benchmark | FPBench name | original | warned | proposed | textbook | Herbie |",
             "|---|---|---:|:---:|---:|---:|---:|"]
    for r in results:
        proposed = "—" if r.proposed_bits is None else f"{r.proposed_bits:.2f}"
        lines.append(f"| {r.benchmark.name} | {r.benchmark.fpbench} | {r.original:.2f} | "
                     f"{'yes' if r.warned else 'no'} | {proposed} | {r.textbook_bits:.2f} | "
                     f"{herbie_cell(r.benchmark.name)} |")
    return "\n".join(lines)


def accurate_forms_warned() -> list[str]:
    warned = []
    for text, domains in ACCURATE:
        judged = judge_stability(parse_formula(text), domains)
        if judged is not None and judged.unstable:
            warned.append(f"{text} ({judged.accuracy.bits:.1f} bits)")
    return warned


def summary(results: list[Row], seconds: float) -> str:
    inaccurate = [r for r in results if r.original > WARN_BITS]
    covered = [r for r in inaccurate if r.warned and r.proposed is not None]
    missing = [r.benchmark.name for r in inaccurate if r not in covered]
    ours = [r.proposed_bits if r.proposed_bits is not None else r.original for r in results]
    textbook = [r.textbook_bits for r in results]
    herbie = [HERBIE[r.benchmark.name][1] for r in results if r.benchmark.name in HERBIE]
    with_proposal = [r for r in results if r.proposed_bits is not None]
    still_warned = [r.benchmark.name for r in results
                    if r.proposed is not None and judge_stability(r.proposed, r.benchmark.domains).unstable]
    warned_accurate = accurate_forms_warned()
    return "\n".join([
        f"- {len(inaccurate)} of {len(results)} have more than {WARN_BITS:g} bits of average error; "
        f"{len(covered)} of them are warned with a proposed form"
        + (f" (not: {', '.join(missing)})." if missing else "."),
        f"- Warnings on accurate forms: {', '.join(warned_accurate) if warned_accurate else 'none'} "
        f"(of {len(ACCURATE)} checked: {', '.join(t for t, _ in ACCURATE)}).",
        f"- Proposed forms warned themselves: {', '.join(still_warned) if still_warned else 'none'}.",
        f"- Average bits over the {len(results)}: original {np.mean([r.original for r in results]):.2f}, "
        f"Neurogebra's result (the proposed form, else the original) {np.nanmean(ours):.2f}, "
        f"textbook rewrites {np.nanmean(textbook):.2f}; Herbie's reports {np.mean(herbie):.2f} over the "
        f"{len(herbie)} found (Herbie's published suite figure: {HERBIE_SUITE_BITS}).",
        f"- Over the {len(with_proposal)} with a proposed form: proposed "
        f"{np.mean([r.proposed_bits for r in with_proposal]):.2f}, textbook "
        f"{np.nanmean([r.textbook_bits for r in with_proposal]):.2f}.",
        f"- {SAMPLES} points per variable (seed {SEED}) plus stress points, {sampling()}; {seconds:.0f} s.",
    ])


def sampling() -> str:
    magnitudes = getattr(numerics, "WORKING_MAGNITUDES", None)
    if magnitudes is None:
        return "over all the floats of each domain"
    return (f"magnitudes {magnitudes[0]:g} to {magnitudes[1]:g} (numerics.WORKING_MAGNITUDES; a domain wholly "
            f"outside them is sampled whole)")


def proposed_forms(results: list[Row]) -> str:
    return "\n".join(f"- {r.benchmark.name}: `{r.proposed}`" for r in results if r.proposed is not None)


def main() -> None:
    started = time.perf_counter()
    results = []
    for benchmark in SUITE:
        results.append(run(benchmark))
        print(f"{benchmark.name}: done", file=sys.stderr, flush=True)
    print(table(results))
    print()
    print(summary(results, time.perf_counter() - started))
    print()
    print("Proposed forms:")
    print(proposed_forms(results))


if __name__ == "__main__":
    main()
