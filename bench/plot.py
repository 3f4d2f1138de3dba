"""bench/results/rediagnosis.png: latency after a one-line edit against document size, through the language
server (p50 with the range of the runs) and in the engine alone."""
from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from report import RESULTS  # noqa: E402

TARGET_S = 0.3


def series(rows: list[dict], middle: str) -> tuple[list[int], list[float], list[list[float]]]:
    sizes = [r["lines"] for r in rows]
    centre = [r["edit"][middle] * 1e3 for r in rows]
    error = [[c - r["edit"]["min"] * 1e3 for c, r in zip(centre, rows)],
             [r["edit"]["max"] * 1e3 - c for c, r in zip(centre, rows)]]
    return sizes, centre, error


def main() -> None:
    figure, axes = plt.subplots(figsize=(6, 4), dpi=100)
    lsp, engine = RESULTS / "lsp.json", RESULTS / "engine.json"
    if lsp.exists():
        sizes, centre, error = series(json.loads(lsp.read_text())["rediagnosis"], "p50")
        axes.errorbar(sizes, centre, yerr=error, marker="o", capsize=4,
                      label="language server (didChange → diagnostics)")
    if engine.exists():
        rows = [r for r in json.loads(engine.read_text())["sizes"] if not r.get("options")]
        sizes, centre, error = series(rows, "median")
        axes.errorbar(sizes, centre, yerr=error, marker="s", capsize=4, label="engine alone (analyze)")
    axes.axhline(TARGET_S * 1e3, color="grey", linestyle="--", linewidth=1, label="target at 2,000 lines")
    axes.set_xscale("log")
    axes.set_xlabel("document size (lines)")
    axes.set_ylabel("latency after a one-line edit (ms)")
    axes.set_ylim(bottom=0)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    RESULTS.mkdir(exist_ok=True)
    figure.savefig(RESULTS / "rediagnosis.png")
    print(f"written {RESULTS / 'rediagnosis.png'}")


if __name__ == "__main__":
    main()
