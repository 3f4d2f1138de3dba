"""Neurogebra's score on issue 16's held-out corpus of gradients written in Python, through
`neurogebra check --format json`, as the issue measures it:

- a mutant is caught by a `gradient-mismatch` error whose range lies within its backward's lines;
- an unstable one is warned by an `unstable-form` warning within the lines its label names (forward or backward),
  and its right backward draws no `gradient-mismatch`;
- a correct one draws no error and no warning anywhere in its file (information is fine).

The labels come from python_gradients.py, confirmed by test_python_gradients_labels.py. The table by kind and
style and every miss are printed at the end of the run (with the .ngb corpus's score, see conftest.py).
"""
from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .python_gradients import CASES, KINDS, STYLES, Case
from .test_corpus import REPORT


@dataclass(frozen=True)
class Outcome:
    case: Case
    said: tuple[dict, ...]  # every diagnostic in the case's file

    def within(self, lines) -> list[dict]:
        first, last = lines
        return [d for d in self.said if first <= d["line"] and d["end_line"] <= last]

    @property
    def problem(self) -> str | None:
        case = self.case
        mismatches = [d for d in self.said if d["code"] == "gradient-mismatch" and d["severity"] == "error"]
        if case.kind == "mutant":
            caught = [d for d in self.within(case.backward["lines"]) if d in mismatches]
            return None if caught else "not caught"
        if case.kind == "unstable":
            warned = [d for d in self.within(case.warn_lines)
                      if d["code"] == "unstable-form" and d["severity"] == "warning"]
            if mismatches:
                return "right backward called wrong"
            return None if warned else f"no unstable-form warning on its {case.unstable_in}"
        alarms = [d for d in self.said if d["severity"] in ("error", "warning")]
        return f"false alarm ({', '.join(sorted({d['code'] for d in alarms}))})" if alarms else None

    def describe(self) -> str:
        case = self.case
        said = "; ".join(f"{d['line']}: {d['severity']} {d['code']}: {d['message']}" for d in self.said) or "nothing"
        label = case.mutation or case.kind
        return f"  {case.id} [{case.style} {case.api}, {label}, backward lines " \
               f"{case.backward['lines'][0]}-{case.backward['lines'][1]}] {self.problem}; the checker said: {said}"


def run_checker() -> list[dict]:
    result = subprocess.run([sys.executable, "-m", "neurogebra.cli", "check", "--format", "json", "--exit-zero",
                             "--no-cache", *(str(case.path) for case in CASES)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def score(rows: list[dict]) -> list[Outcome]:
    said = defaultdict(list)
    for row in rows:
        said[Path(row["path"]).name].append(row)
    return [Outcome(case, tuple(said[case.file])) for case in CASES]


def report(outcomes: list[Outcome]) -> list[str]:
    misses = [o for o in outcomes if o.problem]
    lines = [f"python gradients (issue 16): {len(outcomes) - len(misses)}/{len(outcomes)} right",
             f"  {'':10}" + "".join(f"{style:>10}" for style in STYLES) + f"{'all':>10}"]
    for kind in KINDS:
        cells = []
        for style in (*STYLES, None):
            of = [o for o in outcomes if o.case.kind == kind and style in (None, o.case.style)]
            cells.append(f"{sum(not o.problem for o in of)}/{len(of)}")
        lines.append(f"  {kind:10}" + "".join(f"{cell:>10}" for cell in cells))
    if misses:
        lines.append("misses:")
        lines += [o.describe() for o in misses]
    return lines


def test_python_gradients_score():
    outcomes = score(run_checker())
    lines = report(outcomes)
    REPORT.extend(lines)
    print("\n".join(lines))
    assert not [o for o in outcomes if o.problem], "\n".join(lines)
