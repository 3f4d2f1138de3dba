"""`neurogebra check` as CI runs it, on a 500-line .ngb document and on examples/: cold (no cache) and warm (every
file in the cache), side by side with the checker of an earlier commit (a git worktree of BASE, run alternately
with this one so that the machine's load hits both alike). Writes bench/results/check.{json,md}.

    python bench/check.py [--base COMMIT] [--repeats N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from documents import document
from report import duration, save, table

ROOT = Path(__file__).resolve().parents[1]
BASE = "3a2b4f8"  # before issue 15: no cache, the detailed pass for diagnostics
COLD_TARGET_S = 1.2
WARM_TARGET_S = 0.3


def seconds(command: list[str], env: dict[str, str], cwd: Path = ROOT) -> float:
    """`python -m` imports the package of the working directory: this repository's, or the worktree's."""
    started = time.perf_counter()
    result = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=BASE, help="the earlier commit to compare with")
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        big = folder / "notebook-500.ngb"
        big.write_text(document(500, seed=1), encoding="utf-8")
        worktree = folder / "base"
        subprocess.run(["git", "worktree", "add", "--detach", str(worktree), options.base], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            rows, data = [], {}
            for name, target in (("500-line .ngb", str(big)), ("examples/", str(ROOT / "examples"))):
                check = [sys.executable, "-m", "neurogebra.cli", "check", "--exit-zero", target]
                ours = {**os.environ, "NEUROGEBRA_CACHE_DIR": str(folder / "cache")}
                theirs = {**os.environ, "PYTHONPATH": str(worktree), "NEUROGEBRA_CACHE_DIR": str(folder / "unused")}
                seconds(check, ours)  # primes the cache (and the file system's)
                runs: dict[str, list[float]] = {"before": [], "cold": [], "warm": []}
                for _ in range(options.repeats):
                    runs["before"].append(seconds(check, theirs, worktree))
                    runs["cold"].append(seconds(check[:-1] + ["--no-cache", target], ours))
                    runs["warm"].append(seconds(check, ours))
                medians = {kind: statistics.median(values) for kind, values in runs.items()}
                data[name] = {"runs": runs, "medians": medians}
                rows.append([name, duration(medians["before"]), duration(medians["cold"]),
                             f"{medians['before'] / medians['cold']:.1f}x", duration(medians["warm"]),
                             f"{medians['before'] / medians['warm']:.0f}x"])
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=False,
                           capture_output=True)
    markdown = "\n".join([
        "## neurogebra check (bench/check.py)", "",
        table(["files", f"before ({options.base})", "cold", "faster", "warm", "faster"], rows), "",
        f"Medians of {options.repeats} runs, each alternating with the earlier checker. Cold: --no-cache (a fresh "
        "process computes every file). Warm: every file in the cache on disk. Targets for the 500-line document: "
        f"cold under {COLD_TARGET_S} s, warm under {WARM_TARGET_S} s."])
    save("check", {"base": options.base, "documents": data}, markdown)
    print(markdown)


if __name__ == "__main__":
    main()
