"""What one analysis of one document shares, whatever its language: the statement cache (an LruCache of
CacheEntry, keyed by key_of), the time budget of each statement (budgeted), and a statement's Outcome, computed
with offsets local to the statement and placed in the document by shift."""
from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Callable, ClassVar, Hashable, Sequence, TypeVar

import sympy

from neurogebra.analysis.budget import BudgetExceeded, Cancelled, interruptions, time_budget
from neurogebra.analysis.model import (
    Code,
    Diagnostic,
    DocumentAnalysis,
    Focus,
    Rendered,
    Settings,
    Severity,
    Span,
    Statement,
    StatementKind,
)
from neurogebra.analysis.ngb import parse_interval
from neurogebra.analysis.packed import PACK_OVER, Collector
from neurogebra.analysis.render import render
from neurogebra.analysis.terms import Named
from neurogebra.domains import REAL_LINE, Domain
from neurogebra.syntax import ParseError

CODES = {code.value: code for code in Code}
FOCUS_FIRST_MIN_REST = 100  # statements left after the focus for a run to hand over the focus's analysis first
Item = TypeVar("Item")
logger = logging.getLogger(__name__)


class LruCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable):
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        return None

    def put(self, key: Hashable, value: object) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


@dataclass(frozen=True, slots=True)
class Definition:
    """A document name as its dependents see it: a function (params) or a constant (params None)."""

    params: tuple[str, ...] | None
    expr: sympy.Expr
    named: type[Named] | None = None  # the name in user terms (detailed pass only)


@dataclass(frozen=True, slots=True)
class Outcome:
    statement: Statement                      # offsets relative to the statement start
    definition: Definition | None = None
    insertions: tuple[tuple[str, str], ...] = ()  # (variable, derivative text): "Insert derivative d/dvariable"


@dataclass(frozen=True, slots=True)
class CacheEntry:
    detailed: bool
    outcome: Outcome



def default_domain(settings: Settings) -> Domain:
    try:
        return parse_interval(settings.default_domain)
    except ParseError:
        return REAL_LINE


def budgeted(settings: Settings, span: Span, compute: Callable[[], Outcome], text: str, kind: StatementKind,
             ) -> tuple[Outcome, bool]:
    """Run one statement's symbolic work within the time budget; whatever goes wrong costs one diagnostic. Also
    whether the outcome is final: not when a budget cut any of the work short, as that depends on the load."""
    interrupted = interruptions()
    problem = None
    try:
        with time_budget(settings.time_budget_ms / 1000):
            outcome = compute()
    except BudgetExceeded:
        problem = Severity.WARNING, Code.TOO_COMPLEX, (
            f"too complex to analyze within {settings.time_budget_ms} ms: "
            "raise neurogebra.analysis.timeBudgetMs (neurogebra check: --time-budget-ms)")
    except RecursionError:
        problem = Severity.WARNING, Code.TOO_COMPLEX, "too complex to analyze (nested too deeply)"
    except MemoryError:
        problem = Severity.WARNING, Code.TOO_COMPLEX, "too complex to analyze (out of memory)"
    except Exception as exc:  # SymPy and NumPy raise many kinds; any of them costs this statement, not the document
        logger.exception("analysis of %r failed", text[:200])
        problem = Severity.ERROR, Code.EVALUATION_ERROR, f"cannot analyze this statement: {exc}"
    if problem is not None:
        outcome = Outcome(Statement(kind, span, text, diagnostics=(Diagnostic(span, *problem),)))
    return outcome, interruptions() == interrupted


def parse_error_diagnostic(error: ParseError, delta: int = 0) -> Diagnostic:
    message = f"{error.message} ({error.hint})" if error.hint else error.message
    return Diagnostic(Span(error.offset + delta, error.offset + delta + error.length), Severity.ERROR,
                      CODES.get(error.code, Code.PARSE_ERROR), message)


def shift(statement: Statement, delta: int) -> Statement:
    def move(span: Span) -> Span:
        return Span(span.start + delta, span.end + delta)

    def move_optional(span: Span | None) -> Span | None:
        return None if span is None else move(span)

    return replace(
        statement,
        span=move(statement.span), name_span=move_optional(statement.name_span),
        formula_span=move_optional(statement.formula_span),
        diagnostics=tuple(replace(d, span=move(d.span), related=tuple(replace(r, span=move(r.span))
                                                                      for r in d.related))
                          for d in statement.diagnostics),
        fixes=tuple(replace(f, edits=tuple(replace(e, span=move(e.span)) for e in f.edits)) for f in statement.fixes),
        references=tuple(replace(r, span=move(r.span), target=move_optional(r.target)) for r in statement.references),
    )


def key_of(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


class DocumentRun:
    """What one analysis of one document shares, whatever its language: the cache and the budget."""

    # Told the document offset and text of each statement before it is computed, in this process: how an analysis
    # worker names the statement it crashed on, or is stuck in. None when nobody asks.
    computing: ClassVar[Callable[[int, str], None] | None] = None
    language: ClassVar[str]
    part: Span | None = None  # set by Engine.analyze: only the statements that begin in it are assembled

    def __init__(self, cache: LruCache, text: str, settings: Settings,
                 should_cancel: Callable[[], bool] | None, detail: bool = True, focus: Focus | None = None) -> None:
        self.cache = cache
        self.focus = focus
        self.text = text
        self.settings = settings
        self.detail = detail
        self.should_cancel = should_cancel or (lambda: False)
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.reused = 0
        self.budget_ran_out = False  # for a statement of this run: later outcomes may build on its too-complex one

    def rendered(self, expr: sympy.Expr) -> Rendered:
        """The fast pass feeds diagnostics only: no reading forms there."""
        return render(expr, self.detail)

    def cached(self, key: str, compute: Callable[[], Outcome], source: str, kind: StatementKind,
               start: int) -> Outcome:
        """The statement's outcome from the cache, or computed within the budget (offsets local to `source`, which
        begins at `start` in the document).
        One entry per statement: a detailed outcome serves both passes, and the detailed pass replaces a fast one.
        Nothing a budget cut short is cached, nor anything after a statement whose budget ran out in this run:
        its dependents saw no definition, only an error."""
        entry = self.cache.get(key)
        if entry is not None and (entry.detailed or not self.detail):
            self.reused += 1
            return entry.outcome
        if DocumentRun.computing is not None:
            DocumentRun.computing(start, source)
        outcome, final = budgeted(self.settings, Span(0, len(source)), compute, source, kind)
        if not final and any(d.code == Code.TOO_COMPLEX for d in outcome.statement.diagnostics):
            self.budget_ran_out = True
        if final and not self.budget_ran_out:
            self.cache.put(key, CacheEntry(self.detail, outcome))
        return outcome

    def focus_first(self, items: Sequence[Item], span_of: Callable[[Item], Span],
                    assemble: Callable[[Item], Statement], fixed: Sequence[Statement] = ()) -> DocumentAnalysis:
        """The analysis of the document: `fixed` and every item assembled, those inside the focus first. When more
        than FOCUS_FIRST_MIN_REST items are left after those, the focus gets the analysis of its part (and of
        `fixed`) before the others are computed."""
        focus, part = self.focus, self.part
        if part is not None:
            items = [i for i in items if part.start <= span_of(i).start < part.end]
            fixed = [s for s in fixed if part.start <= s.span.start < part.end]
        inside = [focus is not None and span_of(i).start <= focus.span.end and focus.span.start <= span_of(i).end
                  for i in items]
        first = [i for i, chosen in zip(items, inside) if chosen]
        rest = [i for i, chosen in zip(items, inside) if not chosen]
        assembled = Collector(pack=len(items) + len(fixed) > PACK_OVER)
        assembled.extend(fixed)
        for group in (first, rest):
            for item in group:
                if self.should_cancel():
                    raise Cancelled()
                assembled.add(assemble(item))
            if group is first and focus is not None and len(rest) > FOCUS_FIRST_MIN_REST:
                focus.show(self.analysis(assembled))
        return self.analysis(assembled)

    def analysis(self, statements: Collector) -> DocumentAnalysis:
        return DocumentAnalysis(self.language, self.text, statements.result(), self.reused)
