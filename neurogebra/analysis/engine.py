"""The analysis's one entry point: `Engine.analyze` runs a document of any language (.ngb, Python, a notebook's
code cells) against statement caches that persist from one run to the next."""
from __future__ import annotations

from typing import Callable

from neurogebra.analysis.model import DocumentAnalysis, Focus, Settings, Span
from neurogebra.analysis.ngb_run import NgbRun
from neurogebra.analysis.notebook import analyze_notebook
from neurogebra.analysis.run import DocumentRun, LruCache


class Engine:
    """Holds the caches; `analyze` is the one entry point."""

    def __init__(self, cache_size: int = 5_000) -> None:
        """`cache_size` statement outcomes (about 2 kB each): a 2,000-line document fits three times."""
        self.cache = LruCache(cache_size)

    def analyze(self, text: str, language: str, settings: Settings = Settings(),
                should_cancel: Callable[[], bool] | None = None, detail: bool = True,
                focus: Focus | None = None, part: Span | None = None) -> DocumentAnalysis:
        """`detail=False` is the fast pass for diagnostics: no higher-order derivatives, self-forms or reading forms
        (hover needs them; both passes are cached). A `focus` is analyzed first (not in notebooks). With `part`,
        only the statements that begin in it (what they use is computed as always): one process's share of a long
        document (not in notebooks)."""
        run: DocumentRun
        if language == "ngb":
            run = NgbRun(self.cache, text, settings, should_cancel, detail, focus)
        elif language == "python":
            from neurogebra.analysis.python.run import PythonRun  # parso and the Python rules: not for .ngb alone
            run = PythonRun(self.cache, text, settings, should_cancel, detail, focus)
        elif language == "ipynb":
            return analyze_notebook(self, text, settings, should_cancel, detail)
        else:
            raise ValueError(f"unknown language {language!r}")
        run.part = part
        return run.run()
