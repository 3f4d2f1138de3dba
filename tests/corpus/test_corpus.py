"""The labelled corpus: its labels re-derived by the independent labeller, and Neurogebra's score on it.

The score runs `neurogebra check --format json` once over every case (each in its own file) and compares the
diagnostics on each judged line with the labels: `gradient-mismatch` means "wrong", `unstable-form` means
"unstable", and a diagnostic that stops the check (`too-complex`, `parse-error`, ...) is a miss whatever the
label. The score and every miss are printed at the end of the run (see conftest.py).
"""
from __future__ import annotations

import json
import subprocess
import sys
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .cases import CASES, KINDS, Case
from .catalog import check_derivatives
from .labels import derive_all

BLOCKING = {"too-complex", "parse-error", "evaluation-error", "dependency-error", "undefined-name"}
CONFIRMED_KINDS = ("unstable_right", "catalog_prime", "subtle_wrong", "catalog_defaults", "cancellation")
OTHERS_CONFIRMED = 60
REPORT: list[str] = []  # read by conftest.py's terminal summary


def cases_to_confirm() -> list[Case]:
    """Every case of the first five kinds, and a fixed sample of 60 of the others (the labeller's slow part is
    the same code for all)."""
    others = sorted((c for c in CASES if c.kind not in CONFIRMED_KINDS), key=lambda c: zlib.crc32(c.id.encode()))
    return [c for c in CASES if c.kind in CONFIRMED_KINDS] + others[:OTHERS_CONFIRMED]


def test_labels_are_confirmed():
    assert check_derivatives() == []
    disagreements = [f"{d.case.id}: {'; '.join(d.disagreements)}"
                     for d in derive_all(cases_to_confirm(), jobs=2) if d.disagreements]
    assert not disagreements, "stored labels the labeller does not confirm:\n" + "\n".join(disagreements)


@dataclass(frozen=True)
class Outcome:
    case: Case
    said: tuple[dict, ...]  # the checker's diagnostics on the judged line

    @property
    def codes(self) -> set[str]:
        return {d["code"] for d in self.said}

    @property
    def problems(self) -> list[str]:
        if self.codes & BLOCKING:
            return ["no verdict"]
        found = []
        if self.case.verdict and ("gradient-mismatch" in self.codes) != (self.case.verdict == "wrong"):
            found.append(f"verdict {self.case.verdict}")
        if self.case.stability and ("unstable-form" in self.codes) != (self.case.stability == "unstable"):
            found.append(f"stability {self.case.stability}")
        return found

    def describe(self) -> str:
        labels = "/".join(label for label in (self.case.verdict, self.case.stability) if label)
        said = "; ".join(f"{d['code']}: {d['message']}" for d in self.said) or "nothing"
        return f"  {self.case.id} [{self.case.kind}] label {labels}, missed {', '.join(self.problems)}; " \
               f"the checker said: {said}"


def run_checker(folder: Path) -> list[dict]:
    for case in CASES:
        (folder / f"{case.id}.ngb").write_text(case.document, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "neurogebra.cli", "check", "--format", "json", "--exit-zero",
                             str(folder)], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def score(rows: list[dict]) -> list[Outcome]:
    said = defaultdict(list)
    for row in rows:
        said[(Path(row["path"]).stem, row["line"])].append(row)
    return [Outcome(case, tuple(said[(case.id, case.line)])) for case in CASES]


def report(outcomes: list[Outcome]) -> list[str]:
    misses = [o for o in outcomes if o.problems]
    lines = [f"corpus: {len(outcomes) - len(misses)}/{len(outcomes)} right"]
    for kind in KINDS:
        of_kind = [o for o in outcomes if o.case.kind == kind]
        right = sum(not o.problems for o in of_kind)
        lines.append(f"  {kind}: {right}/{len(of_kind)} ({KINDS[kind]})")
    if misses:
        lines.append("misses:")
        lines += [o.describe() for o in misses]
    return lines


def test_corpus_score(tmp_path):
    outcomes = score(run_checker(tmp_path))
    REPORT[:] = report(outcomes)
    print("\n".join(REPORT))
    misses = [o.case.id for o in outcomes if o.problems]
    assert not misses, "\n".join(REPORT)
