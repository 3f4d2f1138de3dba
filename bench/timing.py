"""Timing on a shared, noisy machine: warm up, repeat, keep every sample, summarize by the median.

Standard library only: this module also runs under the reference package's interpreter.
"""
from __future__ import annotations

import statistics
import time
from typing import Callable


def per_call(fn: Callable[[], object], *, repeats: int = 9, min_time: float = 0.02, budget: float = 3.0,
             setup: Callable[[], object] | None = None) -> list[float]:
    """Seconds per call of `fn`, one sample per repeat. Fast calls are looped until a sample lasts `min_time`.
    With `setup` (run before every call, untimed, e.g. to clear a cache) each sample is one call. Stops after
    `budget` seconds once three samples exist."""
    if setup is not None:
        setup()
    fn()  # warm-up
    number = 1
    if setup is None:
        while number < 1_000_000:
            start = time.perf_counter()
            for _ in range(number):
                fn()
            if time.perf_counter() - start >= min_time:
                break
            number *= 4
    samples: list[float] = []
    began = time.perf_counter()
    for _ in range(repeats):
        if setup is not None:
            setup()
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
        if len(samples) >= 3 and time.perf_counter() - began > budget:
            break
    return samples


def interleaved(fns: dict[str, Callable[[], object]], *, repeats: int = 9, number: int = 3) -> dict[str, list[float]]:
    """Seconds per call of several functions, alternating them in every repeat so that drift in the machine's
    load hits all of them alike."""
    for fn in fns.values():
        fn()
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            for _ in range(number):
                fn()
            samples[name].append((time.perf_counter() - start) / number)
    return samples


def summary(samples: list[float]) -> dict:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "n": len(samples),
            "samples": samples}


def percentile(samples: list[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction in [0, 1])."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]
