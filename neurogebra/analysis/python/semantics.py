"""What the Expression values of a Python file are and what analysis says about them: each value has a recipe
(a formula, a catalog entry, a composition, a gradient of another value), and each statement that makes or
evaluates one is computed from the recipe alone (so it is cached by it). Offsets here are local to the
statement; walk.py finds the statements and run.py places them."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterator, Mapping

import sympy

from neurogebra.analysis.model import (
    Code,
    Diagnostic,
    Edit,
    Fix,
    Rendered,
    Settings,
    Severity,
    Span,
    Statement,
    StatementKind,
)
from neurogebra.analysis.poles import shown
from neurogebra.analysis.python.domains import Domains, catalog_domains
from neurogebra.analysis.python.literals import Literal
from neurogebra.analysis.render import formula_text
from neurogebra.analysis.run import Outcome, default_domain, key_of, parse_error_diagnostic
from neurogebra.analysis.scope import ScopedBuilder
from neurogebra.analysis.semantics import evaluate, function_facts
from neurogebra.analysis.suggestions import replacement, suggestion_fix
from neurogebra.analysis.terms import NamedBuilder, catalog_named
from neurogebra.calculus import differentiate
from neurogebra.catalog import ENTRIES, canonical_name
from neurogebra.catalog.formulas import entry_expr
from neurogebra.domains import Domain
from neurogebra.parsing import ParseError, parse_formula, parse_tree, symbol
from neurogebra.suggest import did_you_mean


class CatalogNames(Mapping[str, sympy.Expr]):
    """Catalog entries by name (or alias), parsed only when a formula uses them."""

    def __getitem__(self, name: str) -> sympy.Expr:
        canonical = canonical_name(name)
        if canonical is None:
            raise KeyError(name)
        return entry_expr(canonical)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and canonical_name(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(ENTRIES)

    def __len__(self) -> int:
        return len(ENTRIES)


@dataclass(frozen=True)
class Recipe:
    """How an Expression value was made, as text: the cache identity of everything derived from it."""

    kind: str                  # formula, catalog, compose, gradient
    name: str                  # the Expression's name
    source: str                # formula text or catalog name
    params: tuple[tuple[str, float], ...] = ()
    variable: str = ""         # for gradients: of `parent` with respect to `variable`
    parent: "Recipe | None" = None
    domains: Domains = ()      # what `# neurogebra: domain` comments say about its variables

    @property
    def key(self) -> str:
        return key_of(self.kind, self.name, self.source, self.params, self.variable, self.domains,
                      self.parent.key if self.parent else None)


@dataclass(frozen=True)
class Value:
    """An Expression value in the code: its recipe, and the span of the statement that made it."""

    recipe: Recipe
    origin: Span


@dataclass(frozen=True)
class Argument:
    """An argument of an eval call: its keyword (None if positional) and its literal number (None if it is not
    one)."""

    keyword: str | None
    number: float | int | None


class PythonSemantics:
    """The cached computations of one document's statements (each reads only its recipe and its own text)."""

    def __init__(self, text: str, settings: Settings, detail: bool, rendered: Callable[[sympy.Expr], Rendered]):
        self.text = text
        self.settings = settings
        self.detail = detail
        self.rendered = rendered

    def expression_of(self, recipe: Recipe) -> sympy.Expr:
        """The SymPy expression a recipe makes (raises ParseError for a bad formula)."""
        if recipe.kind == "formula":
            return parse_formula(recipe.source)
        if recipe.kind == "catalog":
            name = canonical_name(recipe.source)
            if name is None:
                raise ParseError(f"'{recipe.source}' is not in the catalog", 0, len(recipe.source))
            return entry_expr(name)
        if recipe.kind == "compose":
            return ScopedBuilder(recipe.source, {}, CatalogNames(), ()).build(parse_tree(recipe.source))
        assert recipe.parent is not None  # a gradient's recipe is made with its parent's
        return differentiate(self.expression_of(recipe.parent), symbol(recipe.variable))

    def named_formula(self, recipe: Recipe) -> sympy.Expr | None:
        """A formula string in user terms (catalog functions by name, numbers as written), for what is shown and
        inserted; the detailed pass only."""
        if recipe.kind != "formula" or not self.detail:
            return None
        return NamedBuilder(recipe.source, catalog_named(), {}, None).build(parse_tree(recipe.source))

    def variables_of(self, recipe: Recipe, expr: sympy.Expr) -> set[str]:
        """An Expression's variables, which its derivatives keep (as the library's gradient() does)."""
        names = {s.name for s in expr.free_symbols}
        while recipe.parent is not None:
            recipe = recipe.parent
            names |= {s.name for s in self.expression_of(recipe).free_symbols}
        return names

    def domains_of(self, recipe: Recipe) -> dict[str, Domain]:
        """Where a value's variables are sampled, when not the default: comments first, then the catalog's own
        domains (of the entry, or of the entries its formula passes the variable to)."""
        root = recipe
        while root.parent is not None:
            root = root.parent
        if root.kind == "catalog":
            own = dict(ENTRIES[canonical_name(root.source) or root.source].domain)
        else:
            own = catalog_domains(parse_tree(root.source), root.kind == "compose")
        return {**own, **dict(recipe.domains)}

    def local(self, kind: StatementKind, span: Span, **fields) -> Statement:
        return Statement(kind, Span(0, span.end - span.start), self.text[span.start:span.end], **fields)

    def content(self, literal: Literal) -> Span | None:
        """The document span of a literal's content when the text there is its value as written (one literal, no
        escapes): only there may a fix replace text."""
        start, end = literal.span(0, len(literal.value))
        return Span(start, end) if self.text[start:end] == literal.value else None

    def name_fix(self, literal: Literal, span: Span, name: str) -> tuple[Fix, ...]:
        """Replace the literal's content (a catalog name, a variable) with `name`, where the content is plain."""
        content = self.content(literal)
        if content is None:
            return ()
        return (replacement(Span(content.start - span.start, content.end - span.start), name, Code.UNDEFINED_NAME),)

    # ------------------------------------------------------------------------------ statements
    def function_statement(self, kind: StatementKind, recipe: Recipe, expr: sympy.Expr, span: Span,
                           formula_span: Span | None, shown_name: str, description: str = "",
                           rewritable: bool = False) -> Outcome:
        """`rewritable`: the formula is one plain string literal, whose text a fix may replace."""
        params = dict(recipe.params)
        inputs = tuple(sorted(s.name for s in expr.free_symbols if s.name not in params))
        given, base_domain = self.domains_of(recipe), default_domain(self.settings)
        domain_map = {n: given.get(n, base_domain) for n in inputs}
        values = {symbol(k): sympy.Float(v) for k, v in params.items()}
        body = expr.xreplace(values)
        named = self.named_formula(recipe)
        named_body = named.xreplace(values) if named is not None else None
        facts = function_facts(shown_name, body, inputs, domain_map, self.settings,
                               formula_span or Span(0, span.end - span.start), self.detail, named_body)
        fixes: tuple[Fix, ...] = ()
        if facts.stable_body is not None and rewritable and not params:  # a param's value would be baked in
            assert formula_span is not None  # a rewritable formula is a string literal, located
            fixes = (Fix("Use the stable form", (Edit(formula_span, formula_text(facts.stable_body)),), "quickfix",
                         Code.UNSTABLE_FORM, True),)
        statement = self.local(kind, span, name=recipe.name, label=f"{shown_name}({', '.join(inputs)})",
                               params=inputs, formula_span=formula_span,
                               formula=self.rendered(expr if named is None else named), variables=inputs,
                               derivatives=facts.derivatives, checks=facts.checks,
                               diagnostics=shown(facts.diagnostics, self.settings), description=description,
                               plot=facts.plot, fixes=fixes,
                               stable_form=self.rendered(facts.stable_body) if facts.stable_body is not None else None)
        # the derivatives as shown (stable where needed), never a self-form: a formula string cannot call the function
        insertions = tuple((d.variable, d.formula.plain) for d in facts.derivatives if d.order == 1)
        return Outcome(statement, None, insertions)

    def compute_formula(self, recipe: Recipe, literal: Literal, span: Span, shown_name: str) -> Outcome:
        start, end = literal.span(0, len(literal.value))
        formula_span = Span(start - span.start, end - span.start)
        plain = self.content(literal) is not None  # no escapes, no concatenation
        try:
            expr = self.expression_of(recipe)
        except ParseError as error:
            start, end = literal.span(error.offset, error.offset + error.length)
            located = ParseError(error.message, start - span.start, max(1, end - start), error.hint, error.code)
            diagnostic = parse_error_diagnostic(located)
            written = literal.value[error.offset:error.offset + error.length]
            fix = suggestion_fix(diagnostic.span, written, error.hint, diagnostic.code) if plain else None
            return Outcome(self.local(StatementKind.FORMULA, span, name=recipe.name, formula_span=formula_span,
                                      diagnostics=(diagnostic,), fixes=(fix,) if fix else ()))
        return self.function_statement(StatementKind.FORMULA, recipe, expr, span, formula_span, shown_name,
                                       rewritable=plain)

    def compute_catalog(self, recipe: Recipe, literal: Literal, span: Span) -> Outcome:
        name = canonical_name(recipe.source)
        if name is None:
            close = did_you_mean(recipe.source, list(ENTRIES))
            hint = f"; did you mean {close[0]}?" if close else ""
            return Outcome(self.local(StatementKind.CATALOG, span, name=recipe.source, diagnostics=(
                Diagnostic(Span(0, span.end - span.start), Severity.ERROR, Code.UNDEFINED_NAME,
                           f"'{recipe.source}' is not in the catalog{hint}"),),
                fixes=self.name_fix(literal, span, close[0]) if close else ()))
        return self.function_statement(StatementKind.CATALOG, recipe, entry_expr(name), span, None, name,
                                       ENTRIES[name].description)

    def compute_gradient(self, recipe: Recipe, literal: Literal, quoted: Span, span: Span, shown_name: str
                         ) -> Outcome:
        """`quoted`: the document span of the variable's string literal, quotes included."""
        parent = recipe.parent
        assert parent is not None  # a gradient's recipe is made with its parent's
        try:
            parent_expr = self.expression_of(parent)
        except ParseError:
            return Outcome(self.local(StatementKind.GRADIENT, span, name=recipe.name))
        variables = {s.name for s in parent_expr.free_symbols} | {k for k, _ in parent.params}
        if recipe.variable not in variables:
            close = did_you_mean(recipe.variable, sorted(variables))
            hint = f"; did you mean {close[0]}?" if close else ""
            return Outcome(self.local(StatementKind.GRADIENT, span, name=recipe.name, diagnostics=(
                Diagnostic(Span(quoted.start - span.start, quoted.end - span.start), Severity.ERROR,
                           Code.UNDEFINED_NAME, f"{parent.name} has no variable '{recipe.variable}' (its variables: "
                                                f"{', '.join(sorted(variables)) or 'none'}){hint}"),),
                fixes=self.name_fix(literal, span, close[0]) if close else ()))
        return self.function_statement(StatementKind.GRADIENT, recipe, self.expression_of(recipe), span, None,
                                       shown_name)

    def compute_eval(self, recipe: Recipe, arguments: tuple[Argument, ...] | None, span: Span) -> Outcome:
        """An eval call: the value when every argument is a literal number; the Expression's signature in any
        case (`arguments` None: *args or **kwargs, which cannot be read)."""
        try:
            expr = self.expression_of(recipe)
        except ParseError:
            return Outcome(self.local(StatementKind.EVAL_CALL, span, name=recipe.name))
        params = dict(recipe.params)
        inputs = sorted(self.variables_of(recipe, expr) - set(params))
        signature = tuple(inputs) + tuple(f"{k}={v:g}" for k, v in params.items())
        statement = self.local(StatementKind.EVAL_CALL, span, name=recipe.name, params=signature,
                               variables=tuple(inputs), formula=self.rendered(expr))
        problem = None if arguments is None else self.eval_problem(recipe, inputs, params, arguments)
        if problem is not None:
            return Outcome(replace(statement, diagnostics=(
                Diagnostic(Span(0, span.end - span.start), Severity.ERROR, *problem),)))
        if arguments is None or any(a.number is None for a in arguments):
            return Outcome(statement)  # values known only when the code runs
        positional = (a.number for a in arguments if a.keyword is None and a.number is not None)  # all numbers here
        values: dict[str, float] = {**params, **dict(zip(inputs, positional)),
                                    **{a.keyword: a.number for a in arguments
                                       if a.keyword is not None and a.number is not None}}
        point = expr.xreplace({symbol(k): _number(v) for k, v in values.items()})
        value, failure = evaluate(point, self.detail)
        diagnostics = () if not failure else (
            Diagnostic(Span(0, span.end - span.start), Severity.WARNING, Code.EVALUATION_ERROR, failure),)
        label = f"{recipe.name} at " + ", ".join(f"{k} = {v}" for k, v in values.items())
        return Outcome(replace(statement, value=value, label=label, diagnostics=diagnostics))

    @staticmethod
    def eval_problem(recipe: Recipe, inputs: list[str], params: dict[str, float],
                     arguments: tuple[Argument, ...]) -> tuple[Code, str] | None:
        """What makes the call raise: too many positional values, an unknown keyword, a variable left out."""
        positional = [a for a in arguments if a.keyword is None]
        if len(positional) > len(inputs):
            return Code.WRONG_ARGUMENT_COUNT, (f"{recipe.name} takes {len(inputs)} positional value(s), "
                                               f"got {len(positional)}")
        known = set(inputs) | set(params)
        for argument in arguments:
            if argument.keyword is not None and argument.keyword not in known:
                return Code.UNDEFINED_NAME, (f"{recipe.name} has no variable '{argument.keyword}' (its variables: "
                                             f"{', '.join(sorted(known)) or 'none'})")
        given = set(inputs[:len(positional)]) | {a.keyword for a in arguments if a.keyword is not None}
        missing = [n for n in inputs if n not in given]
        if missing:
            return Code.MISSING_VARIABLES, f"missing value for {', '.join(missing)}: this call raises TypeError"
        return None


def _number(value: float | int) -> sympy.Expr:
    return sympy.Integer(value) if isinstance(value, int) else sympy.Float(value)
