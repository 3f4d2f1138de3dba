"""Formulas in Python code that uses neurogebra (never imported or run).

Recognized: Expression("name", "formula", params={...}) (or symbolic_expr="..."), MathForge() bound to a name,
forge.get("relu"), forge.compose("mse + 0.1*mae"), f.gradient("x") chains through assignments, and
f.eval(x=0, ...) / f(x=0) calls (evaluated when the values are literal numbers). A name bound to an Expression
refers to the statement that made it (so hover and go-to-definition on `act_grad` show that statement); names in
formula strings refer to the catalog and math functions; `# neurogebra: domain p in (0, 1)` comments give the
formulas of their statement (or of the statement below) their domains (python.domains).

walk.py finds the statements, semantics.py computes each one from its recipe (cached by it), and this module
places the results in the document.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable, Iterator

from neurogebra.analysis.budget import Cancelled
from neurogebra.analysis.model import (
    DocumentAnalysis,
    Edit,
    Fix,
    Focus,
    Reference,
    ReferenceKind,
    Settings,
    Span,
    Statement,
    StatementKind,
)
from neurogebra.analysis.packed import Collector
from neurogebra.analysis.python.boundary import top_level_start
from neurogebra.analysis.python.semantics import PythonSemantics
from neurogebra.analysis.python.walk import Found, Walk
from neurogebra.analysis.run import DocumentRun, LruCache, Outcome, key_of, shift
from neurogebra.catalog import canonical_name
from neurogebra.syntax import CONSTANT_NAMES, MATH_SIGNATURES, ParseError, parse_tree


class PythonRun(DocumentRun):
    """One analysis of one Python document."""

    language = "python"

    def __init__(self, cache: LruCache, text: str, settings: Settings,
                 should_cancel: Callable[[], bool] | None, detail: bool = True, focus: Focus | None = None) -> None:
        super().__init__(cache, text, settings, should_cancel, detail, focus)
        self.semantics = PythonSemantics(text, settings, detail, self.rendered)
        self.early: dict[str, Outcome] = {}  # the focus's outcomes by key, computed before the whole module is walked

    def run(self) -> DocumentAnalysis:
        if self.focus is not None and self.focus_from_prefix(self.focus):
            self.focus = None  # shown: the whole module's statements are computed in order
        walk = Walk(self.text, self.semantics, key_of(self.settings))
        return self.focus_first(walk.found, lambda found: found.span,
                                lambda found: self.assemble(found, walk.uses.get(found.span, ())),
                                self.comments(walk))

    def comments(self, walk: Walk) -> list[Statement]:
        return [Statement(StatementKind.DOMAIN, c.span, self.text[c.span.start:c.span.end],
                          diagnostics=(c.error,) if c.error else ()) for c in walk.comments]

    def focus_from_prefix(self, focus: Focus) -> bool:
        """When the focus lies in the first half of the module: its analysis from the code up to the first
        top-level statement below it (the walk goes top down, so that code alone decides what is found there, and
        the outcomes are cached for the whole run), shown before the whole module is parsed. Uses of its names
        further down are not among its references yet."""
        cut = top_level_start(self.text, focus.span.end)
        if cut is None or cut > len(self.text) // 2:
            return False
        walk = Walk(self.text[:cut], self.semantics, key_of(self.settings))
        inside = [found for found in walk.found
                  if found.span.start <= focus.span.end and focus.span.start <= found.span.end]
        statements = Collector(pack=False)
        statements.extend(self.comments(walk))
        for found in inside:
            if self.should_cancel():
                raise Cancelled()
            outcome = self.early.get(found.key) or self.outcome(found)
            self.early[found.key] = outcome
            statements.add(self.placed(found, outcome, walk.uses.get(found.span, ())))
        focus.show(self.analysis(statements))
        return True

    def outcome(self, found: Found) -> Outcome:
        return self.cached(found.key, found.compute, self.text[found.span.start:found.span.end], found.kind,
                           found.span.start)

    def assemble(self, found: Found, uses: Iterable[Reference]) -> Statement:
        early = self.early.pop(found.key) if found.key in self.early else None
        return self.placed(found, early or self.outcome(found), uses)

    def placed(self, found: Found, outcome: Outcome, uses: Iterable[Reference]) -> Statement:
        """The outcome at its place in the document, with its insertions and references."""
        statement = shift(outcome.statement, found.span.start)
        fixes = tuple(self.insertion(found, variable, derivative) for variable, derivative in outcome.insertions
                      if found.line_end)
        references = (*self.references(found, statement), *uses)
        return replace(statement, fixes=statement.fixes + fixes, references=references)

    def insertion(self, found: Found, variable: str, derivative: str) -> Fix:
        assert found.value is not None  # insertions come from formula strings, which are Expression values
        recipe = found.value.recipe
        base = found.target or "f"
        name = f"d({recipe.name})/d{variable}"
        line = f'{found.indent}{base}_d{variable} = {found.callee}("{_escape(name)}", "{_escape(derivative)}")'
        return Fix(f"Insert derivative d/d{variable}", (Edit(Span(found.line_end, found.line_end),
                                                               self.newline + line),), "refactor")

    def references(self, found: Found, statement: Statement) -> Iterator[Reference]:
        """The catalog name of forge.get("relu"); the names in a formula string (catalog and math functions,
        variables; in a composition, the entries it names)."""
        if found.kind not in (StatementKind.CATALOG, StatementKind.FORMULA):
            return
        literal = found.literal
        assert literal is not None  # a catalog name or a formula is a string literal
        if found.kind == StatementKind.CATALOG:
            yield Reference(literal.value, statement.span, ReferenceKind.CATALOG)
            return
        try:
            tree = parse_tree(literal.value)
        except ParseError:
            return
        assert found.value is not None  # a formula string makes an Expression value
        composed = found.value.recipe.kind == "compose"
        for node in tree.walk():
            if node.kind not in ("name", "call"):
                continue
            start, end = literal.span(node.start, node.name_end if node.kind == "call" else node.end)
            yield Reference(node.value, Span(start, end), name_kind(node.value, node.kind == "call", composed))


def name_kind(name: str, called: bool, composed: bool) -> ReferenceKind:
    """What a name in a formula string refers to (math first, as the parser resolves it)."""
    if name in (MATH_SIGNATURES if called else CONSTANT_NAMES):
        return ReferenceKind.MATH
    if (called or composed) and canonical_name(name) is not None:
        return ReferenceKind.CATALOG
    return ReferenceKind.UNKNOWN if called else ReferenceKind.VARIABLE


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
