"""A held-out run of neurogebra 2.5.11's own catalog formulas through this repository's parser and derivatives.

    python bench/catalog_2_5_11.py [--theirs .venv-bench-ref/bin/python]

Under the reference interpreter, each of 2.5.11's 285 entries is dumped as text: the formula as SymPy prints it,
its variables and parameter defaults (`dump`, which imports only the reference package). Under this interpreter
each formula goes through our own parser, `Expression(name, text)` (never sympify), and its derivative in every
variable is evaluated in float64 at sample points and compared with the formula's slope computed by mpmath at 50
digits (no symbolic derivative involved). Points are drawn inside the domain our catalog gives the variable of
the same name (the real line otherwise), parameters near their defaults; points where the formula has no real
value are skipped.

An entry is verified when every derivative agrees at every point; a clear refusal when our parser rejects the text
with a ParseError; a crash on any other exception. Each formula is also compared with our entry of the same name
(2.5.11's extra variables at their defaults): where an entry's value differs, the entry says why (Entry.deviation,
listed in docs/catalog.md under "Where we differ from neurogebra 2.5.11").
Writes bench/results/catalog_2_5_11.{json,md}.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import zlib
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]
REFERENCE_PYTHON = ROOT / ".venv-bench-ref" / "bin" / "python"
POINTS = 12            # sample points per entry
MIN_POINTS = 4         # points with a real value needed to judge an entry
SPREAD = 3.0           # inputs are drawn from [-SPREAD, SPREAD] within their domain
DIGITS = 50            # precision of the reference slope
RTOL, ATOL = 1e-6, 1e-10
BASELINE = "275/285 verified, 3 crash (issue 15)"


def dump() -> None:
    """Under the reference interpreter: every catalog entry as text, as JSON on stdout."""
    from neurogebra import MathForge

    forge = MathForge()
    categories = ("activation", "loss", "regularizer", "statistics", "metric", "transform", "algebra", "calculus",
                  "optimization", "linalg")
    entries = []
    for category in categories:
        for name in forge.list_all(category):
            expression = forge.get(name)
            entries.append({"name": name, "category": category, "formula": str(expression.symbolic_expr),
                            "variables": [str(v) for v in expression.variables],
                            "params": {k: float(v) for k, v in expression.params.items()}})
    print(json.dumps(entries))


def reference_entries(interpreter: str) -> list[dict[str, Any]]:
    # A neutral working directory and no PYTHONPATH, so that the reference interpreter imports its own package.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with tempfile.TemporaryDirectory() as cwd:
        result = subprocess.run([interpreter, str(pathlib.Path(__file__).resolve()), "dump"], cwd=cwd, env=env,
                                capture_output=True, text=True, check=True, timeout=600)
    return json.loads(result.stdout)


# ---------------------------------------------------------------------------------------------- under ours
def sample(entry: dict[str, Any], count: int, unit: bool = False) -> list[dict[str, float]]:
    """Points inside our catalog's domains for these variable names: inputs across [-SPREAD, SPREAD] (or (0, 1)
    with `unit`), parameters within a quarter of their default's size from it."""
    import numpy as np

    from neurogebra.catalog import ENTRIES, canonical_name

    ours = ENTRIES.get(canonical_name(entry["name"]) or "")
    rng = np.random.default_rng(zlib.crc32(f"{entry['name']}/{unit}".encode()))
    columns = {}
    for variable in entry["variables"]:
        domain = ours.domain_of(variable) if ours is not None else None
        default = entry["params"].get(variable)
        if default is not None:
            low, high = default - 0.25 * max(abs(default), 1.0), default + 0.25 * max(abs(default), 1.0)
        else:
            low, high = (0.0, 1.0) if unit else (-SPREAD, SPREAD)
        if domain is not None:
            inner_low, inner_high = max(low, domain.lo), min(high, domain.hi)
            margin = 0.01 * min(inner_high - inner_low, 1.0)
            low = inner_low + margin if domain.lo >= low else inner_low
            high = inner_high - margin if domain.hi <= high else inner_high
        columns[variable] = rng.uniform(low, high, count)
    return [{v: float(columns[v][i]) for v in columns} for i in range(count)]


def reference_slope(function, variables: list[str], point: dict[str, float], variable: str):
    """The formula's slope in `variable` at `point`, by mpmath at DIGITS digits; None where it has no real value."""
    import mpmath

    arguments = [mpmath.mpf(point[v]) for v in variables]
    index = variables.index(variable)

    def along(value):
        arguments[index] = value
        return function(*arguments)

    with mpmath.workdps(DIGITS):
        try:
            value = function(*arguments)
            if isinstance(value, mpmath.mpc) or not mpmath.isfinite(value):
                return None
            slope = mpmath.diff(along, mpmath.mpf(point[variable]))
        except (ArithmeticError, ValueError, TypeError):
            return None
    if isinstance(slope, mpmath.mpc) or not mpmath.isfinite(slope):
        return None
    return slope


def check(entry: dict[str, Any]) -> dict[str, Any]:
    """One entry's outcome: verified, refused (ParseError), crash, wrong (a derivative disagrees) or unchecked
    (too few points with a real value, or our parse has variables 2.5.11's has not), with a one-line reason."""
    from neurogebra import Expression
    from neurogebra.compiled import compile_mpmath
    from neurogebra.parsing import ParseError, symbol

    name, text = entry["name"], entry["formula"]
    try:
        expression = Expression(name, text)
    except ParseError as error:
        return {"outcome": "refused", "reason": f"{error.message} (at offset {error.offset})"}
    except Exception as error:  # noqa: BLE001 - what the bench counts as a crash
        return {"outcome": "crash", "reason": f"parsing: {type(error).__name__}: {error}"}
    variables = entry["variables"]
    free = {s.name for s in expression.symbolic_expr.free_symbols}
    if not free <= set(variables):
        return {"outcome": "unchecked", "reason": f"we read {', '.join(sorted(free - set(variables)))} as a variable"}
    function = compile_mpmath(expression.symbolic_expr, [symbol(v) for v in variables])
    for variable in sorted(free):
        try:
            gradient = expression.gradient(variable)
        except Exception as error:  # noqa: BLE001
            return {"outcome": "crash", "reason": f"d/d{variable}: {type(error).__name__}: {error}"}
        checked = 0
        for unit in (False, True):  # inputs on (0, 1) when too few points on [-SPREAD, SPREAD] have a real value
            for point in sample(entry, POINTS, unit):
                exact = reference_slope(function, variables, point, variable)
                if exact is None:
                    continue
                try:
                    ours = float(gradient.eval(**point))
                except Exception as error:  # noqa: BLE001
                    return {"outcome": "crash", "reason": f"d/d{variable} at {shown(point)}: "
                                                          f"{type(error).__name__}: {error}"}
                if not abs(ours - float(exact)) <= RTOL * abs(float(exact)) + ATOL:
                    return {"outcome": "wrong", "reason": f"d/d{variable} at {shown(point)}: {ours!r}, exact "
                                                          f"{float(exact)!r}"}
                checked += 1
            if checked >= MIN_POINTS:
                break
        if checked < MIN_POINTS:
            return {"outcome": "unchecked", "reason": f"d/d{variable}: only {checked} points with a real value"}
    return {"outcome": "verified", "reason": ""}


def shown(point: dict[str, float]) -> str:
    return ", ".join(f"{k} = {v:.4g}" for k, v in point.items())


def agreement(entry: dict[str, Any]) -> tuple[str, str] | None:
    """Whether 2.5.11's formula and our entry of the same name differ at the sample points, their variables that
    ours has not at their defaults: ("value", note), ("names", note) when our entry names its inputs otherwise,
    or None when they agree (or there is nothing to compare)."""
    import math

    from neurogebra import Expression, MathForge
    from neurogebra.parsing import ParseError

    try:
        theirs = Expression(entry["name"], entry["formula"])
        ours = MathForge().get(entry["name"])
    except (ParseError, KeyError):
        return None
    our_variables = {s.name for s in ours.symbolic_expr.free_symbols}
    their_variables = {s.name for s in theirs.symbolic_expr.free_symbols}
    missing = [s.name for s in ours.inputs if s.name not in their_variables]
    extra = [v for v in their_variables - our_variables if v not in entry["params"]]
    if missing or extra:
        return "names", f"ours takes {', '.join(sorted(our_variables))}; 2.5.11 {', '.join(sorted(their_variables))}"
    for point in sample(entry, POINTS):
        point = {v: point[v] if v in our_variables else entry["params"][v] for v in their_variables}
        try:
            mine = float(ours.eval(**{v: value for v, value in point.items() if v in our_variables}))
            their = float(theirs.eval(**point))
        except Exception:  # noqa: BLE001 - a formula that does not evaluate here is no disagreement to report
            continue
        if math.isfinite(mine) and math.isfinite(their) and abs(mine - their) > 1e-6 * max(1.0, abs(mine)):
            return "value", f"at {shown(point)}: ours {mine:.6g}, 2.5.11 {their:.6g}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", nargs="?", choices=["dump"], help=argparse.SUPPRESS)
    parser.add_argument("--theirs", default=str(REFERENCE_PYTHON), help="python of the venv with neurogebra 2.5.11")
    options = parser.parse_args()
    if options.mode == "dump":
        dump()
        return 0
    from report import save, table

    from neurogebra.catalog import ENTRIES

    entries = reference_entries(options.theirs)
    results = {e["name"]: {"category": e["category"], "formula": e["formula"], **check(e)} for e in entries}
    counts = {kind: [n for n, r in results.items() if r["outcome"] == kind]
              for kind in ("verified", "refused", "crash", "wrong", "unchecked")}
    differences = {e["name"]: found for e in entries if (found := agreement(e)) is not None}
    undocumented = [n for n, (kind, _) in differences.items()  # an alias's difference is not its entry's to say
                    if kind == "value" and n in ENTRIES and not ENTRIES[n].deviation]
    total = len(entries)
    rows = [["verified (every derivative agrees with mpmath at every sample point)", len(counts["verified"])],
            ["clear refusal (ParseError with a message)", len(counts["refused"])],
            ["crash (any other exception)", len(counts["crash"])],
            ["wrong derivative", len(counts["wrong"])],
            ["not checked (too few points with a real value, or a name read as a variable)",
             len(counts["unchecked"])]]
    details = [f"- `{n}` ({results[n]['outcome']}): `{results[n]['formula']}`: {results[n]['reason']}"
               for kind in ("refused", "crash", "wrong", "unchecked") for n in counts[kind]]

    def listed(kind: str) -> str:
        lines = [f"- `{n}`{' (its entry has no deviation note)' if n in undocumented else ''}: {note}"
                 for n, (found, note) in differences.items() if found == kind]
        return "\n".join(lines) or "- none"

    markdown = "\n\n".join([
        "## neurogebra 2.5.11's own catalog formulas through our parser",
        f"{total} formulas dumped by neurogebra 2.5.11, parsed with `Expression(name, text)`; each derivative "
        f"checked in float64 against mpmath ({DIGITS} digits) at up to {POINTS} points. Before: {BASELINE}.",
        table(["outcome", "entries"], [[label, str(count)] for label, count in rows]),
        f"Today: {len(counts['verified'])}/{total} verified, {len(counts['refused'])} clear refusals, "
        f"{len(counts['crash'])} crash, {len(counts['wrong'])} wrong, {len(counts['unchecked'])} not checked.",
        "### Not verified", "\n".join(details) or "- none",
        "### Where 2.5.11's formula and our entry of the same name give different values",
        listed("value"),
        "### Where our entry of the same name takes other inputs (not compared)",
        listed("names"),
    ])
    print(markdown)
    save("catalog_2_5_11", {"results": results, "differences": differences}, markdown)
    return 1 if counts["crash"] or counts["wrong"] or undocumented else 0


if __name__ == "__main__":
    sys.exit(main())
