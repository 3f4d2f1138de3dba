"""The analysis engine alone (no LSP): the cost of re-analyzing a document after a one-line edit, for a short and
a long document, and how many statements the cache gave back (`DocumentAnalysis.reused`)."""
from __future__ import annotations

import argparse
import inspect
import time

import sympy
from documents import definition_line, document, edited
from report import duration, save, spread, table
from timing import summary

from neurogebra.analysis import Engine

FIRST_CONSTANT = 100  # above any constant the generator writes, so every edit is a new text


def edit_costs(lines: int, edits: int, **options: bool) -> dict:
    """A fresh Engine and an empty SymPy cache: cold analysis, unchanged re-analysis, then one-line edits."""
    sympy.core.cache.clear_cache()
    engine = Engine()
    engine.analyze("warm(x) = x**2\n", "ngb", **options)  # first-use costs out of the way
    text = document(lines, seed=lines)
    start = time.perf_counter()
    cold = engine.analyze(text, "ngb", **options)
    cold_seconds = time.perf_counter() - start
    unchanged = []
    for _ in range(edits):
        start = time.perf_counter()
        engine.analyze(text, "ngb", **options)
        unchanged.append(time.perf_counter() - start)
    line = definition_line(text, lines // 2)
    seconds, reused = [], []
    for edit in range(edits):
        changed = edited(text, line, FIRST_CONSTANT + edit)
        start = time.perf_counter()
        analysis = engine.analyze(changed, "ngb", **options)
        seconds.append(time.perf_counter() - start)
        reused.append(analysis.reused)
    return {"lines": lines, "options": options, "statements": len(cold.statements), "cold": cold_seconds,
            "diagnostics": len(cold.diagnostics), "unchanged": summary(unchanged), "edit": summary(seconds),
            "reused": reused}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200, 2000])
    parser.add_argument("--edits", type=int, default=7)
    options = parser.parse_args()
    variants = [{}]
    if "detail" in inspect.signature(Engine.analyze).parameters:
        variants.append({"detail": False})  # the engine's fast pass (diagnostics only)
    results = [edit_costs(lines, options.edits, **variant) for variant in variants for lines in options.sizes]
    rows = [[", ".join(f"{k}={v}" for k, v in r["options"].items()) or "default", str(r["lines"]),
             str(r["statements"]), duration(r["cold"]), f"{r['cold'] / r['lines'] * 1e3:.3g} ms",
             spread(r["unchanged"]), spread(r["edit"]),
             f"{min(r['reused'])}–{max(r['reused'])} of {r['statements']}"] for r in results]
    markdown = "\n\n".join([
        "## Analysis engine: one-line edit (no LSP)",
        "Each edit changes the constant of one polynomial definition in the middle of the document; its claim, "
        "evaluations and the functions built on it are analyzed again, everything else comes from the cache.",
        table(["analyze(...)", "lines", "statements", "cold analysis", "cold per line", "re-analysis, unchanged text",
               "re-analysis after one edit", "reused"], rows)])
    print(markdown)
    save("engine", {"sizes": results}, markdown)


if __name__ == "__main__":
    main()
