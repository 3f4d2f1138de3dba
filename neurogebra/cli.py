"""`neurogebra check PATH...`: diagnostics for .ngb files, Python files and Jupyter notebooks, as
`path:line:col: severity: message` (in a notebook, the message starts with its cell and line: `cell 3, line 2: `).
A file the checker fails on is reported as an internal-error, the others as usual, and the exit status is 2."""
from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Callable, Iterable, TextIO

from neurogebra import __version__
from neurogebra.analysis import DocumentAnalysis, Engine, Settings, Severity, StatementKind, discover, language_of
from neurogebra.analysis.lines import line_col, line_starts
from neurogebra.analysis.notebook import read_notebook
from neurogebra.verdict import Verdict

SEVERITY_NAMES = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "info",
                  Severity.HINT: "hint"}
PROGRESS_THRESHOLD = 5
INTERNAL_ERROR = "internal-error"

_engine: Engine | None = None


@dataclass(frozen=True)
class FileReport:
    path: str
    analysis: DocumentAnalysis | None
    error: str | None = None  # why there is no analysis
    code: str = "io-error"    # "internal-error": the checker failed on this file (exit status 2)


def analyze_file(path: str, settings: Settings) -> FileReport:
    global _engine
    if _engine is None:
        _engine = Engine()
    try:
        text = Path(path).read_text(encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        return FileReport(path, None, f"cannot read: {exc.strerror or exc}")
    language = language_of(path) or "ngb"
    try:
        return FileReport(path, _engine.analyze(text, language, settings))
    except Exception as exc:  # a bug in the checker costs this file's report, not the others'
        return internal_error(path, exc)


def internal_error(path: str, exc: BaseException) -> FileReport:
    traceback.print_exception(exc, file=sys.stderr)
    return FileReport(path, None, f"the checker failed on this file ({type(exc).__name__}: {exc}); "
                                  "please report it", INTERNAL_ERROR)


def position(starts: list[int], offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of an offset."""
    line, column = line_col(starts, offset)
    return line + 1, column + 1


def run_all(paths: list[str], settings: Settings, jobs: int, progress: TextIO | None) -> Iterable[FileReport]:
    if jobs <= 1 or len(paths) <= 1:
        for index, path in enumerate(paths, 1):
            yield analyze_file(path, settings)
            show_progress(progress, index, len(paths))
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(analyze_file, path, settings) for path in paths]
        for index, (path, future) in enumerate(zip(paths, futures), 1):
            try:
                yield future.result()
            except Exception as exc:  # the worker died (BrokenProcessPool) or its report could not be sent back
                yield internal_error(path, exc)
            show_progress(progress, index, len(paths))


def show_progress(stream: TextIO | None, done: int, total: int) -> None:
    if stream is None:
        return
    width = 30
    filled = width * done // total
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
    if done == total:
        stream.write("\r" + " " * (width + 24) + "\r")
    stream.flush()


def diagnostic_rows(report: FileReport) -> list[dict]:
    if report.analysis is None:
        return [{"path": report.path, "line": 1, "column": 1, "end_line": 1, "end_column": 1,
                 "severity": "error", "code": report.code, "message": report.error}]
    starts = line_starts(report.analysis.text)
    rows = []
    for diagnostic in sorted(report.analysis.diagnostics, key=lambda d: (d.span.start, d.severity)):
        line, column = position(starts, diagnostic.span.start)
        end_line, end_column = position(starts, diagnostic.span.end)
        rows.append({"path": report.path, "line": line, "column": column, "end_line": end_line,
                     "end_column": end_column, "severity": SEVERITY_NAMES[diagnostic.severity],
                     "code": diagnostic.code.value, "message": diagnostic.message})
    return rows


def place_labels(analysis: DocumentAnalysis) -> Callable[[int], str]:
    """How a statement's place is shown: its line, or in a notebook its cell and the line in that cell (3:2)."""
    if analysis.language == "ipynb":
        notebook = read_notebook(analysis.text)
        return lambda offset: "{}:{}".format(*notebook.place(offset))
    starts = line_starts(analysis.text)
    return lambda offset: str(position(starts, offset)[0])


def results_text(report: FileReport) -> list[str]:
    """What a newcomer should see: each statement with its derivatives and values."""
    analysis = report.analysis
    if analysis is None:
        return []
    lines = [f"── {report.path}" + (" (cell:line)" if analysis.language == "ipynb" else "")]
    place = place_labels(analysis)
    for statement in analysis.statements:
        if statement.kind == StatementKind.DOMAIN:
            continue
        head = " ".join(statement.text.split())
        if analysis.language != "ngb" and statement.formula is not None:
            head = f"{statement.label} = {statement.formula.plain}"
        if statement.value is not None and statement.kind != StatementKind.CONSTANT:
            head = f"{head}  = {statement.value.plain}"
        lines.append(f"{place(statement.span.start):>5}  {head}")
        for derivative in statement.derivatives:
            shown = f"{derivative.label} = {derivative.formula.plain}"
            if derivative.self_form is not None:
                shown += f"   (= {derivative.self_form.plain})"
            lines.append(f"{'':>9}{shown}")
        for check in statement.checks:
            if check.verdict != Verdict.OK:
                lines.append(f"{'':>9}gradcheck d/d{check.variable}: {check.verdict.value}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="neurogebra", description="Symbolic gradients where you write your math.")
    parser.add_argument("--version", action="version", version=f"neurogebra {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="check .ngb files and the formulas in Python files and notebooks")
    check.add_argument("paths", nargs="+", help="files or folders")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--show-results", action="store_true", help="also print derivatives and values")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are errors")
    check.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes to use (default: all cores)")
    check.add_argument("--samples", type=int, default=Settings.samples, help="gradient-check sample points")
    check.add_argument("--time-budget-ms", type=int, default=Settings.time_budget_ms,
                       help="time budget per statement")
    check.add_argument("--dtype", choices=("float64", "float32"), default=Settings.dtype,
                       help="the precision formulas are judged stable in (default: float64)")
    args = parser.parse_args(argv)

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        parser.error(f"no such file or folder: {', '.join(missing)}")
    files = [str(p) for p in discover(args.paths)]
    settings = Settings(samples=args.samples, time_budget_ms=args.time_budget_ms, dtype=args.dtype)
    progress = sys.stderr if sys.stderr.isatty() and len(files) >= PROGRESS_THRESHOLD else None
    reports = list(run_all(files, settings, args.jobs, progress))
    rows = [row for report in reports for row in diagnostic_rows(report)]
    if args.format == "json":
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        if args.show_results:
            for report in reports:
                print("\n".join(results_text(report)))
            print()
        for row in rows:
            print(f"{row['path']}:{row['line']}:{row['column']}: {row['severity']}: {row['message']} [{row['code']}]")
        counts = {name: sum(1 for r in rows if r["severity"] == name) for name in ("error", "warning", "info")}
        print(f"{len(files)} file(s) checked: {counts['error']} error(s), {counts['warning']} warning(s), "
              f"{counts['info']} info")
    if any(report.code == INTERNAL_ERROR for report in reports):
        return 2
    has_errors = any(row["severity"] == "error" for row in rows)
    return 1 if has_errors and not args.exit_zero else 0


if __name__ == "__main__":
    sys.exit(main())
