"""Neurogebra (this repository) against neurogebra 2.5.11 from PyPI, side by side in one run.

    python bench/compare.py --theirs .venv-bench-ref/bin/python

Runs library.py under this interpreter and under `--theirs`, alternating the two so that the machine's load
hits both alike, pools the samples, and prints one table (medians; the ratio is theirs / ours, so above 1 means
this repository is faster). Writes bench/results/library.{json,md}.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile

from report import duration, save, spread, table
from timing import summary

LIBRARY = pathlib.Path(__file__).resolve().parent / "library.py"
OURS_VERSION = "0.1.0"
THEIRS_VERSION = "2.5.11"
SCALAR_TARGET = 100.0
FORGE_TARGET = 100.0
NUMPY_TARGET = 1.3


def run(interpreter: str, *args: str) -> subprocess.CompletedProcess:
    # A neutral working directory and no PYTHONPATH: `-c "import neurogebra"` run from the repository root would
    # import this repository's package under the reference interpreter too.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    with tempfile.TemporaryDirectory() as cwd:
        return subprocess.run([interpreter, *args], cwd=cwd, env=env, capture_output=True, text=True,
                              check=True, timeout=300)


def import_seconds(interpreter: str) -> float:
    """`import neurogebra` alone (its cumulative line in -X importtime), in a fresh process."""
    stderr = run(interpreter, "-X", "importtime", "-c", "import neurogebra").stderr
    for line in stderr.splitlines():
        fields = [f.strip() for f in line.removeprefix("import time:").split("|")]
        if len(fields) == 3 and fields[2] == "neurogebra":
            return int(fields[1]) * 1e-6
    raise RuntimeError(f"no importtime line for neurogebra from {interpreter}")


def first_use_seconds(interpreter: str) -> float:
    return json.loads(run(interpreter, str(LIBRARY), "first-use").stdout)["seconds"]


def measurement(interpreter: str, catalog: bool) -> dict:
    args = [str(LIBRARY), "measure"] + ([] if catalog else ["--skip-catalog"])
    return json.loads(run(interpreter, *args).stdout)


def pooled(runs: list[dict]) -> dict:
    """Every timed metric's samples over all runs, summarized again; other fields from the first run."""
    merged = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, dict) and "samples" in value:
            samples = [s for r in runs for s in r[key]["samples"]]
            merged[key] = {**value, **summary(samples)}
    return merged


def collect(sides: dict[str, str], rounds: int, fresh: int) -> dict[str, dict]:
    results: dict[str, dict] = {side: {"import": [], "first use": [], "runs": []} for side in sides}
    for _ in range(fresh):
        for side, interpreter in sides.items():
            results[side]["import"].append(import_seconds(interpreter))
            results[side]["first use"].append(first_use_seconds(interpreter))
    for index in range(rounds):
        for side, interpreter in sides.items():
            print(f"  round {index + 1}/{rounds}: {side}", file=sys.stderr, flush=True)
            results[side]["runs"].append(measurement(interpreter, catalog=index == 0))
    merged = {}
    for side, data in results.items():
        merged[side] = pooled(data["runs"])
        merged[side]["import"] = summary(data["import"])
        merged[side]["first use"] = summary(data["first use"])
    return merged


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def library_table(ours: dict, theirs: dict) -> tuple[str, list[str]]:
    """The side-by-side table, and a line per target."""
    rows, targets = [], []

    def row(label: str, key: str, target: float | None = None, what: str = "") -> None:
        ratio = theirs[key]["median"] / ours[key]["median"]
        rows.append([label, spread(ours[key]), spread(theirs[key]), f"{ratio:.3g}x"])
        if target is not None:
            targets.append(f"{label}: {ratio:.3g}x faster (target >= {target:g}x{what}) — {verdict(ratio >= target)}")

    row("`import neurogebra` (-X importtime, fresh process)", "import")
    row("fresh process: import + MathForge().get('sigmoid').gradient('x').eval(x=0.5)", "first use")
    row("`MathForge()`", "forge", FORGE_TARGET)
    for key in (k for k in ours if k.startswith("gradient ")):
        name = key.removeprefix("gradient ")
        row(f"`get('{name}').gradient(...)` (derivative caches cleared)", key, 1.0, ", i.e. faster")
    row("scalar `eval`: f'(x) of a quadratic with parameters", "eval quadratic'(x)", SCALAR_TARGET)
    row("scalar `eval`: sigmoid(x)", "eval sigmoid(x)", SCALAR_TARGET)
    row("parse a formula: `Expression('f', text)`", "parse formula")
    for name in ("sigmoid", "quadratic"):
        row(f"1e6-point `eval`: {name}", f"vector {name}")
    ours_catalog, theirs_catalog = ours["catalog"], theirs["catalog"]
    rows.append(["catalog entries whose gradient differentiates and evaluates",
                 f"{ours_catalog['ok']}/{ours_catalog['entries']}",
                 f"{theirs_catalog['ok']}/{theirs_catalog['entries']}", ""])
    rows.append(["time to differentiate + evaluate the whole catalog", duration(ours_catalog["seconds"]),
                 duration(theirs_catalog["seconds"]), ""])
    return table(["metric", "ours (median, range)", "neurogebra 2.5.11", "theirs / ours"], rows), targets


def numpy_table(ours: dict, theirs: dict) -> tuple[str, list[str]]:
    rows, targets = [], []
    for name in ("sigmoid", "quadratic"):
        for side, data in (("ours", ours), ("2.5.11", theirs)):
            # Each repeat timed the two back to back: the median of the paired ratios is robust to load drift.
            pairs = zip(data[f"vector {name}"]["samples"], data[f"vector {name} numpy"]["samples"])
            ratio = statistics.median(ours_time / numpy_time for ours_time, numpy_time in pairs)
            rows.append([f"{name}, {side}", spread(data[f"vector {name}"]), spread(data[f"vector {name} numpy"]),
                         f"{ratio:.3g}x"])
            if side == "ours":
                targets.append(f"1e6-point eval of {name}: {ratio:.3g}x NumPy (target <= {NUMPY_TARGET:g}x) — "
                               f"{verdict(ratio <= NUMPY_TARGET)}")
    headers = ["1e6 points", "Expression.eval", "hand-written NumPy (same process)", "eval / NumPy (paired median)"]
    return table(headers, rows), targets


def grouped(failures: dict[str, str]) -> str:
    """One line per distinct reason: '- 34 at gradient(): PrintMethodNotImplementedError: ...: mae, huber, ...'."""
    reasons: dict[str, list[str]] = {}
    for name, why in failures.items():
        reason = re.sub(r"d/d\w+", "d/dv", re.sub(r"\('[^']*'\)", "()", why))
        reasons.setdefault(reason, []).append(name)
    return "\n".join(f"- {len(names)} at {reason}: {', '.join(names)}"
                     for reason, names in sorted(reasons.items(), key=lambda item: -len(item[1]))) or "- none"


def sanity(ours: dict, theirs: dict) -> list[str]:
    problems = []
    if ours["version"] != OURS_VERSION or theirs["version"] != THEIRS_VERSION:
        problems.append(f"unexpected versions: ours {ours['version']}, theirs {theirs['version']}")
    for key in ("eval quadratic'(x)", "eval sigmoid(x)"):
        if abs(ours[key]["value"] - theirs[key]["value"]) > 1e-12:
            problems.append(f"{key}: the packages disagree ({ours[key]['value']} vs {theirs[key]['value']})")
    if not (ours["vector agrees"] and theirs["vector agrees"]):
        problems.append("a vector evaluation disagrees with NumPy")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theirs", required=True, help="python of the venv with neurogebra 2.5.11")
    parser.add_argument("--rounds", type=int, default=2, help="measurement runs per package (alternating)")
    parser.add_argument("--fresh", type=int, default=7, help="fresh processes per package for import timing")
    options = parser.parse_args()
    results = collect({"ours": sys.executable, "theirs": os.path.abspath(options.theirs)}, options.rounds,
                      options.fresh)
    ours, theirs = results["ours"], results["theirs"]
    main_table, targets = library_table(ours, theirs)
    vector_table, vector_targets = numpy_table(ours, theirs)
    environment = (f"Python {ours['python']}, SymPy {ours['sympy']}, NumPy {ours['numpy']} (2.5.11's venv: Python "
                   f"{theirs['python']}, SymPy {theirs['sympy']}, NumPy {theirs['numpy']}); "
                   f"{os.cpu_count()} CPUs, load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    problems = sanity(ours, theirs)
    markdown = "\n\n".join([
        "## Library: this repository against neurogebra 2.5.11 (PyPI)", environment, main_table,
        "### Vector evaluation against hand-written NumPy", vector_table,
        "### Targets", "\n".join(f"- {t}" for t in targets + vector_targets),
        "### Catalog entries whose gradient fails (differentiate, then evaluate at a sample point)",
        f"ours:\n{grouped(ours['catalog']['failures'])}",
        f"neurogebra 2.5.11:\n{grouped(theirs['catalog']['failures'])}",
        *(["### Problems", "\n".join(f"- {p}" for p in problems)] if problems else []),
    ])
    print(markdown)
    save("library", {"ours": ours, "theirs": theirs, "targets": targets + vector_targets}, markdown)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
