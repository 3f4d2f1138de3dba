"""`neurogebra check PATH...`: diagnostics for .ngb files, Python files and Jupyter notebooks, as
`path:line:col: severity: message` (in a notebook, the message starts with its cell and line: `cell 3, line 2: `),
or as JSON, SARIF, GitHub annotations or JUnit XML (`neurogebra.report_formats`). A file the checker fails on is
reported as an internal-error, the others as usual, and the exit status is 2."""
from __future__ import annotations

import argparse
import gc
import os
import sys
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, NoReturn, TextIO

from neurogebra import __version__
from neurogebra.analysis import (
    Code,
    Diagnostic,
    DocumentAnalysis,
    Settings,
    Severity,
    Span,
    Statement,
    StatementKind,
    discover,
    language_of,
)
from neurogebra.analysis.disk_cache import DiskCache, default_folder
from neurogebra.analysis.lines import code_units, line_col, line_starts
from neurogebra.analysis.notebook import NotebookError, read_notebook
from neurogebra.report_formats import (
    FORMATS,
    INTERNAL_ERROR,
    IO_ERROR,
    CheckedFile,
    Finding,
    Note,
    Place,
    Region,
    Replacement,
    SuggestedFix,
)
from neurogebra.verdict import Verdict

if TYPE_CHECKING:
    from neurogebra.analysis.engine import Engine  # imported when a file is first computed: it brings SymPy

SEVERITY_NAMES = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFORMATION: "info",
                  Severity.HINT: "hint"}
PROGRESS_THRESHOLD = 5

_engine: Engine | None = None
SPLIT_OVER_LINES = 200  # a longer file alone is analyzed in two processes when there are cores for them
FORK = sys.platform.startswith("linux")  # a forked process starts with the engine imported; elsewhere, one process
_caches: dict[Path, DiskCache] = {}


@dataclass(frozen=True)
class FileReport:
    path: str
    analysis: DocumentAnalysis | None
    error: str | None = None  # why there is no analysis
    code: str = IO_ERROR      # INTERNAL_ERROR: the checker failed on this file (exit status 2)


def analyze_file(path: str, settings: Settings, cache_folder: Path | None = None, compute: bool = True,
                 detail: bool = False, split: bool = False) -> FileReport | None:
    """The file's analysis: from the cache on disk when the same text was checked with the same settings by the
    same checker (SymPy is imported only when something is computed), else computed and stored there; None when
    it is not in the cache and not to be computed. Diagnostics need only the fast pass (`detail` adds the
    derivatives and values --show-results prints: its diagnostics are the same). With `split`, a long file is
    analyzed in two processes (`analyzed_in_halves`)."""
    global _engine
    try:
        text = Path(path).read_text(encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        return FileReport(path, None, f"cannot read: {exc.strerror or exc}")
    language = language_of(path) or "ngb"
    cache = disk_cache(cache_folder) if cache_folder is not None else None
    key = DiskCache.key(text, language, settings, detail)
    analysis = cache.get(key) if cache is not None else None
    if analysis is not None:
        return FileReport(path, analysis)
    if not compute:
        return None
    if _engine is None:
        from neurogebra.analysis.engine import Engine
        _engine = Engine()
        gc.freeze()  # what the imports made lives as long as the process: the collector need not walk it again
    try:
        halves = split and language != "ipynb" and text.count("\n") >= SPLIT_OVER_LINES and FORK
        analysis = analyzed_in_halves(text, language, settings, detail) if halves else _engine.analyze(
            text, language, settings, detail=detail)
    except Exception as exc:  # a bug in the checker costs this file's report, not the others'
        return internal_error(path, exc)
    if cache is not None and not cut_short(analysis):
        cache.put(key, analysis)
    return FileReport(path, analysis)


def analyzed_in_halves(text: str, language: str, settings: Settings, detail: bool) -> DocumentAnalysis:
    """The statements of the second half (by where they begin) in a forked process, those of the first here, at
    once: each computes what its statements use, so the analysis is the same as in one process."""
    middle = text.rfind("\n", 0, len(text) // 2) + 1
    with ProcessPoolExecutor(1, mp_context=get_context("fork")) as pool:
        later = pool.submit(analyzed_part, text, language, settings, detail, Span(middle, len(text) + 1))
        first = analyzed_part(text, language, settings, detail, Span(0, middle))
        second = later.result()
    statements = (*first.statements, *second.statements)  # each in document order, the first half's all before
    return DocumentAnalysis(language, text, statements, first.reused + second.reused)


def analyzed_part(text: str, language: str, settings: Settings, detail: bool, part: Span) -> DocumentAnalysis:
    assert _engine is not None  # made before the fork, which the other process inherits with what it imported
    return _engine.analyze(text, language, settings, detail=detail, part=part)


def disk_cache(folder: Path) -> DiskCache:
    if folder not in _caches:
        _caches[folder] = DiskCache(folder)
    return _caches[folder]


def cut_short(analysis: DocumentAnalysis) -> bool:
    """Whether a statement was too complex: when a time budget decided that, another run may do better."""
    return any(d.code == Code.TOO_COMPLEX for s in analysis.statements for d in s.diagnostics)


def internal_error(path: str, exc: BaseException) -> FileReport:
    traceback.print_exception(exc, file=sys.stderr)
    return FileReport(path, None, f"the checker failed on this file ({type(exc).__name__}: {exc}); "
                                  "please report it", INTERNAL_ERROR)


def place(text: str, starts: list[int], offset: int) -> Place:
    """The 1-based line and column of an offset, the column in characters and in UTF-16 code units."""
    line, column = line_col(starts, offset)
    return Place(line + 1, column + 1, code_units(text[starts[line]:offset], "utf-16") + 1)


def run_all(paths: list[str], settings: Settings, jobs: int, progress: TextIO | None,
            cache_folder: Path | None = None, detail: bool = False) -> Iterable[FileReport]:
    """Each file's report, in order: those in the cache read here, the others computed (in `jobs` processes)."""
    found = {path: analyze_file(path, settings, cache_folder, False, detail) if cache_folder else None
             for path in paths}
    computed = iter(compute_all([p for p in paths if found[p] is None], settings, jobs, cache_folder, detail))
    for index, path in enumerate(paths, 1):
        yield found[path] or next(computed)
        show_progress(progress, index, len(paths))


def compute_all(paths: list[str], settings: Settings, jobs: int, cache_folder: Path | None,
                detail: bool) -> Iterable[FileReport]:
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            report = analyze_file(path, settings, cache_folder, True, detail, split=jobs > 1)
            assert report is not None  # computed when not in the cache
            yield report
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(analyze_file, path, settings, cache_folder, True, detail) for path in paths]
        for path, future in zip(paths, futures):
            try:
                report = future.result()
                assert report is not None  # computed when not in the cache
                yield report
            except Exception as exc:  # the worker died (BrokenProcessPool) or its report could not be sent back
                yield internal_error(path, exc)


def show_progress(stream: TextIO | None, done: int, total: int) -> None:
    if stream is None:
        return
    width = 30
    filled = width * done // total
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} files")
    if done == total:
        stream.write("\r" + " " * (width + 24) + "\r")
    stream.flush()


def checked_file(report: FileReport) -> CheckedFile:
    """A file's diagnostics in order, each with its place, related places and the quick fixes made for it."""
    analysis = report.analysis
    if analysis is None:
        start = Place(1, 1, 1)
        return CheckedFile(report.path, (Finding(Region(start, start), "error", report.code, report.error or ""),),
                           report.code)
    starts = line_starts(analysis.text)
    cell = cell_numbers(analysis)

    def region(span: Span) -> Region:
        return Region(place(analysis.text, starts, span.start), place(analysis.text, starts, span.end))

    def finding(diagnostic: Diagnostic, statement: Statement) -> Finding:
        fixes = tuple(SuggestedFix(fix.title, tuple(Replacement(region(e.span), e.new_text) for e in fix.edits))
                      for fix in statement.fixes if fix.code is not None and fix.code == diagnostic.code)
        notes = tuple(Note(region(related.span), related.message) for related in diagnostic.related)
        return Finding(region(diagnostic.span), SEVERITY_NAMES[diagnostic.severity], diagnostic.code.value,
                       diagnostic.message, notes, fixes, cell(diagnostic.span.start))

    found = sorted(((d, s) for s in analysis.statements for d in s.diagnostics),
                   key=lambda pair: (pair[0].span.start, pair[0].severity))
    return CheckedFile(report.path, tuple(finding(d, s) for d, s in found))


def cell_numbers(analysis: DocumentAnalysis) -> Callable[[int], int | None]:
    """The notebook cell (1-based, every cell counted) of an offset into a notebook's text; None elsewhere."""
    if analysis.language != "ipynb" or not any(s.diagnostics for s in analysis.statements):
        return lambda offset: None
    try:
        notebook = read_notebook(analysis.text)
    except NotebookError:  # its one diagnostic says the text is not a notebook
        return lambda offset: None
    return lambda offset: notebook.place(offset)[0]


def place_labels(analysis: DocumentAnalysis) -> Callable[[int], str]:
    """How a statement's place is shown: its line, or in a notebook its cell and the line in that cell (3:2)."""
    if analysis.language == "ipynb":
        notebook = read_notebook(analysis.text)
        return lambda offset: "{}:{}".format(*notebook.place(offset))
    starts = line_starts(analysis.text)
    return lambda offset: str(line_col(starts, offset)[0] + 1)


def results_text(report: FileReport) -> list[str]:
    """What a newcomer should see: each statement with its derivatives and values."""
    analysis = report.analysis
    if analysis is None:
        return []
    lines = [f"── {report.path}" + (" (cell:line)" if analysis.language == "ipynb" else "")]
    place = place_labels(analysis)
    for statement in analysis.statements:
        if statement.kind in (StatementKind.DOMAIN, StatementKind.SHAPE):
            continue
        multiline = "\n" in statement.text.strip()  # a Python function (a gradient rule): its label, not its code
        head = statement.label if multiline and statement.label else " ".join(statement.text.split())
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
    check.add_argument("--format", choices=tuple(FORMATS), default="text",
                       help="text; json; sarif (SARIF 2.1.0, for GitHub code scanning); github (GitHub Actions "
                            "annotations); junit (JUnit XML, for GitLab and Jenkins test reports)")
    check.add_argument("--show-results", action="store_true", help="also print derivatives and values (text format)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are errors")
    check.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes to use (default: all cores)")
    check.add_argument("--samples", type=int, default=Settings.samples, help="gradient-check sample points")
    check.add_argument("--time-budget-ms", type=int, default=Settings.time_budget_ms,
                       help="time budget per statement")
    check.add_argument("--dtype", choices=("float64", "float32"), default=Settings.dtype,
                       help="the precision formulas are judged stable in (default: float64)")
    check.add_argument("--cache-dir", type=Path, default=None,
                       help="where results are kept between runs (default: NEUROGEBRA_CACHE_DIR, else "
                            "~/.cache/neurogebra)")
    check.add_argument("--no-cache", action="store_true", help="compute everything, keep nothing")
    args = parser.parse_args(argv)

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        parser.error(f"no such file or folder: {', '.join(missing)}")
    files = [str(p) for p in discover(args.paths)]
    settings = Settings(samples=args.samples, time_budget_ms=args.time_budget_ms, dtype=args.dtype)
    progress = sys.stderr if sys.stderr.isatty() and len(files) >= PROGRESS_THRESHOLD else None
    cache_folder = None if args.no_cache else (args.cache_dir or default_folder()).resolve()
    if cache_folder is not None and disk_cache(cache_folder).problem:
        print(f"neurogebra: {disk_cache(cache_folder).problem}", file=sys.stderr)
    detail = args.show_results and args.format == "text"
    reports = list(run_all(files, settings, args.jobs, progress, cache_folder, detail))
    checked = [checked_file(report) for report in reports]
    if args.show_results and args.format == "text":
        for report in reports:
            print("\n".join(results_text(report)))
        print()
    FORMATS[args.format](checked, sys.stdout)
    return exit_status(checked, args.exit_zero)


def exit_status(checked: list[CheckedFile], exit_zero: bool) -> int:
    """2 when the checker failed on a file, 1 when there are errors (unless --exit-zero), else 0."""
    if any(file.failure == INTERNAL_ERROR for file in checked):
        return 2
    has_errors = any(finding.severity == "error" for file in checked for finding in file.findings)
    return 1 if has_errors and not exit_zero else 0


def run() -> NoReturn:
    """The `neurogebra` command: main, then an exit that skips tearing down SymPy's objects one by one (a tenth
    of a second of a cold check) once the output is flushed."""
    status = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (`| head`): what it read is all it wanted
        pass
    os._exit(status)


if __name__ == "__main__":
    run()
