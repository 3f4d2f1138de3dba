"""Where this repository's `Expression.eval` spends its time: cProfile of many scalar calls and of 1e6-point
calls, written to bench/results/profile.txt; the top lines are printed."""
from __future__ import annotations

import cProfile
import io
import pstats

import numpy as np
from report import RESULTS

from neurogebra import MathForge

TOP = 8


def profiled(label: str, call, count: int) -> str:
    call()
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(count):
        call()
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(TOP)
    return f"### {label} ({count} calls, sorted by own time)\n{out.getvalue()}"


def main() -> None:
    sigmoid = MathForge().get("sigmoid")
    x = np.linspace(-8.0, 8.0, 1_000_000)
    text = "\n".join([profiled("sigmoid.eval(x=0.3)", lambda: sigmoid.eval(x=0.3), 20_000),
                      profiled("sigmoid.eval(x=<1e6 points>)", lambda: sigmoid.eval(x=x), 20)])
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "profile.txt").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
