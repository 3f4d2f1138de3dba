"""The corpus's independent labeller: every label from first principles with mpmath. Never imports neurogebra.

Claims are labelled by `claims.py` (mpmath.diff of the function against the claim, at 51 digits and more),
stability by `stability.py` (Herbie's bits of error in float64); the formulas are read by `formula.py` (Python's
ast, never eval) into `exact.py`'s mpmath values with error bounds, or NumPy float64.

    python -m tests.corpus.labels [--jobs N] [--show] [--measure-all] [ID ...]

re-derives the labels and prints every case whose stored labels disagree, then a count; it exits 1 if any do.
"""
from __future__ import annotations

import argparse
import sys
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .cases import CASES, Case
from .catalog import check_derivatives
from .claims import Evidence, claim_label
from .evaluation import Unresolved
from .formula import NoFloat64Form
from .ngb import read
from .stability import Stability, stability


@dataclass(frozen=True)
class Derived:
    case: Case
    verdict: str | None
    stability: Stability | None
    evidence: Evidence | None
    seconds: float
    error: str | None = None

    @property
    def disagreements(self) -> list[str]:
        if self.error:
            return [f"cannot label: {self.error}"]
        found = []
        if self.verdict != self.case.verdict:
            found.append(f"verdict {self.case.verdict} -> {self.verdict}"
                         + (f" ({self.evidence})" if self.evidence else ""))
        stability = self.stability.label if self.stability else None
        if self.case.stability is not None and stability != self.case.stability:
            found.append(f"stability {self.case.stability} -> {stability} ({self.stability.bits:.2f} bits)"
                         if self.stability else f"stability {self.case.stability} -> none")
        return found


def derive(case: Case, measure_all: bool = False) -> Derived:
    start = time.perf_counter()
    text, line = case.document, case.line
    try:
        is_claim = line in read(text).claims
        verdict, evidence = claim_label(text, line) if is_claim else (None, None)
        measured = stability(text, line) if case.stability is not None else None
        if measured is None and measure_all and verdict != "wrong":
            try:
                measured = stability(text, line)
            except (Unresolved, NoFloat64Form):
                pass
    except Exception as error:  # reported as a disagreement, with where it happened
        where = traceback.extract_tb(error.__traceback__)[-1]
        return Derived(case, None, None, None, time.perf_counter() - start,
                       f"{type(error).__name__}: {error} ({Path(where.filename).name}:{where.lineno})")
    return Derived(case, verdict, measured, evidence, time.perf_counter() - start)


def derive_all(cases, jobs: int = 1, measure_all: bool = False):
    flags = [measure_all] * len(cases)
    if jobs <= 1:
        yield from map(derive, cases, flags)
        return
    with ProcessPoolExecutor(jobs) as pool:
        yield from pool.map(derive, cases, flags, chunksize=2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.corpus.labels", description=__doc__.split("\n\n")[0])
    parser.add_argument("ids", nargs="*", help="only these cases")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--show", action="store_true", help="print every case's labels and bits")
    parser.add_argument("--measure-all", action="store_true",
                        help="also measure the stability of unlabelled definitions and right claims")
    args = parser.parse_args(argv)
    cases = [c for c in CASES if not args.ids or c.id in args.ids]
    start, disagreeing = time.perf_counter(), 0
    wrong_derivatives = check_derivatives()
    for problem in wrong_derivatives:
        print(f"catalog derivative: {problem}")
    for derived in derive_all(cases, args.jobs, args.measure_all):
        problems = derived.disagreements
        disagreeing += bool(problems)
        if problems or args.show:
            bits = f"{derived.stability.bits:6.2f} bits" if derived.stability else " " * 11
            if derived.stability and derived.case.stability is None and derived.stability.label:
                problems = problems + [f"could be labelled {derived.stability.label}"]
            print(f"{derived.case.id:40} {derived.verdict or '-':6} {bits} {derived.seconds:5.1f} s  "
                  + "; ".join(problems), flush=True)
    print(f"{len(cases)} cases, {disagreeing} disagree with their stored labels "
          f"({time.perf_counter() - start:.0f} s)")
    return 1 if disagreeing or wrong_derivatives else 0


if __name__ == "__main__":
    sys.exit(main())
